/**
 * Consent history: the records a consent-management platform would export for one customer, from a
 * consent profile (never asked, email only, withdrawn later…). Channel unsubscribes are added later by the
 * campaign simulation, so a customer typically has two to five records.
 */
import type { Rng } from '../core/rng.js';
import type { ConsentPurpose } from '../contract/schema.js';
import { MS_PER_DAY } from '../core/time.js';
import type { ConsentProfile } from './personas.js';

export interface ConsentRecord {
  readonly purpose: ConsentPurpose;
  readonly status: 'granted' | 'withdrawn';
  readonly recordedAt: number;
}

/** Records as of signup and the later changes the profile implies, in time order. */
export function drawConsentHistory(
  rng: Rng,
  profile: ConsentProfile,
  createdMs: number,
  stopMs: number,
): ConsentRecord[] {
  // Signup records land a few seconds after the account exists, in the order a signup form posts them.
  const at = (offsetSeconds: number): number => createdMs + offsetSeconds * 1000;
  const later = (from: number): number | undefined => {
    const earliest = from + 7 * MS_PER_DAY;
    return earliest < stopMs ? rng.uniform(earliest, stopMs) : undefined;
  };
  const records: ConsentRecord[] = [];
  const add = (
    purpose: ConsentPurpose,
    status: 'granted' | 'withdrawn',
    recordedAt: number | undefined,
  ): void => {
    if (recordedAt !== undefined && recordedAt < stopMs)
      records.push({ purpose, status, recordedAt: Math.floor(recordedAt) });
  };
  switch (profile) {
    case 'never_asked':
      return [];
    case 'profiling_only':
      add('profiling', 'granted', at(2));
      break;
    case 'email_only':
      add('profiling', 'granted', at(2));
      add('email', 'granted', at(3));
      if (rng.bernoulli(0.15)) add('sms', 'granted', later(createdMs));
      break;
    case 'sms_only':
      add('profiling', 'granted', at(2));
      add('sms', 'granted', at(3));
      break;
    case 'email_and_sms':
      add('profiling', 'granted', at(2));
      add('email', 'granted', at(3));
      add('sms', 'granted', at(4));
      break;
    case 'profiling_withdrawn_later': {
      add('profiling', 'granted', at(2));
      const emailToo = rng.bernoulli(0.7);
      if (emailToo) add('email', 'granted', at(3));
      const withdrawnAt = later(createdMs);
      add('profiling', 'withdrawn', withdrawnAt);
      if (emailToo && withdrawnAt !== undefined && rng.bernoulli(0.5))
        add('email', 'withdrawn', withdrawnAt + 1000);
      break;
    }
    case 'profiling_declined':
      add('profiling', 'withdrawn', at(2));
      if (rng.bernoulli(0.6)) add('email', 'granted', at(3));
      break;
    case 'regranted': {
      add('profiling', 'granted', at(2));
      add('email', 'granted', at(3));
      const withdrawnAt = later(createdMs);
      add('profiling', 'withdrawn', withdrawnAt);
      if (withdrawnAt !== undefined) add('profiling', 'granted', later(withdrawnAt));
      break;
    }
  }
  // Consent refreshes: a preference-centre visit re-confirms email consent.
  if (records.some((r) => r.purpose === 'email' && r.status === 'granted') && rng.bernoulli(0.1)) {
    const refreshedAt = later(createdMs);
    if (refreshedAt !== undefined && statusAt(records, 'email', refreshedAt) === 'granted')
      add('email', 'granted', refreshedAt);
  }
  return sortByTime(records);
}

/** The latest status of a purpose at time t (inclusive), or 'none' when never recorded. */
export function statusAt(
  records: readonly ConsentRecord[],
  purpose: ConsentPurpose,
  t: number,
): 'granted' | 'withdrawn' | 'none' {
  let status: 'granted' | 'withdrawn' | 'none' = 'none';
  let latest = -Infinity;
  for (const r of records) {
    if (r.purpose === purpose && r.recordedAt <= t && r.recordedAt >= latest) {
      latest = r.recordedAt;
      status = r.status;
    }
  }
  return status;
}

export function sortByTime(records: readonly ConsentRecord[]): ConsentRecord[] {
  return records.slice().sort((a, b) => a.recordedAt - b.recordedAt);
}
