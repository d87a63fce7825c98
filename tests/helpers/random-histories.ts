import { Rng } from '../../src/core/rng.js';
import { consentVerdicts, type ConsentLine, type ErasureLine, type Verdict } from './consent-oracle.js';

/**
 * Random consent and erasure histories as exports write them, good and bad: dates in every format the
 * contract reads (offsets included) and many it does not, statuses and purposes that cannot be read,
 * records tied at one UTC instant written with different offsets, dates on both sides of the end of the
 * as-of day, and lines that cannot be parsed. Values never hold a comma, so the lines split on commas.
 */
export interface Histories {
  /** CSV lines, header first. */
  readonly consent: string[];
  readonly erasure: string[];
}

const DAY = 86_400_000;
const OFFSETS = [0, 60, 120, -300, 330, 840, -720, 545];
const UNREADABLE = ['31/12/2025', 'yesterday', '', '2025-02-30', '2025-12-31T10:00:00 CET', '2025-12-31T10:00:00+15:00', '20251231', 'infinity', 'soon'];
const IMPLAUSIBLE = ['1970-01-01', '1985-06-15 12:00:00', '1969-12-31T23:00:00-02:00'];

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** An instant written in one of the ISO forms the contract reads, at an offset it applies. */
function writeInstant(rng: Rng, ms: number): string {
  const offset = rng.pick(OFFSETS);
  const local = new Date(ms + offset * 60_000);
  const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const sign = offset < 0 ? '-' : '+';
  const hh = pad(Math.trunc(Math.abs(offset) / 60));
  const mm = pad(Math.abs(offset) % 60);
  const utc = new Date(ms).toISOString();
  switch (rng.int(9)) {
    case 0:
      return day; // midnight UTC of the local day: a different instant, on purpose
    case 1:
      return `${day} ${time}`; // no zone: read as UTC
    case 2:
      return `${utc.slice(0, 19)}Z`;
    case 3:
      return `${day}T${time}${sign}${hh}:${mm}`;
    case 4:
      return `${day}T${time}${sign}${hh}${mm}`;
    case 5:
      return offset % 60 === 0 ? `${day}T${time}.250${sign}${hh}` : `${day}T${time}${sign}${hh}:${mm}`;
    case 6:
      return `${utc.slice(0, 10)} ${utc.slice(11, 19)} UTC`;
    case 7:
      return `${day}T${time.slice(0, 5)}${sign}${hh}:${mm}`;
    default:
      return `${utc.slice(0, 23)}Z`;
  }
}

/** A date as an export may hold it: mostly readable, near a few instants (so records tie), sometimes not. */
function writeDate(rng: Rng, anchors: readonly number[]): string {
  const roll = rng.next();
  if (roll < 0.08) return rng.pick(UNREADABLE);
  if (roll < 0.12) return rng.pick(IMPLAUSIBLE);
  return writeInstant(rng, rng.pick(anchors));
}

/** Instants around the end of the as-of day (both sides), well before it, and after it. */
function anchorsFor(rng: Rng, asOfEnd: number): number[] {
  const near = [0, 30, 120, 300, -30, -120, -300].map((m) => asOfEnd - m * 60_000 - 999);
  const choices = [
    ...near,
    asOfEnd - 10 * DAY,
    asOfEnd - 200 * DAY - 3_600_000,
    asOfEnd - 400 * DAY,
    asOfEnd + 20 * DAY,
  ];
  return Array.from({ length: 1 + rng.int(3) }, () => Math.floor(rng.pick(choices) / 1000) * 1000);
}

export function randomHistories(rng: Rng, ids: readonly string[], asOf: string): Histories {
  const asOfEnd = Date.parse(`${asOf}T23:59:59.999Z`);
  const consent = ['customer_id,purpose,status,recorded_at'];
  const erasure = ['customer_id,requested_at'];
  const maybeBreak = (cells: string[]): string => {
    if (rng.bernoulli(0.03)) return [...cells, 'extra'].join(','); // one field too many
    return cells.join(',');
  };
  for (const id of ids) {
    const anchors = anchorsFor(rng, asOfEnd);
    // Most customers consented once, cleanly, long ago; the random records after that may take them out.
    if (rng.bernoulli(0.75)) {
      const since = writeInstant(rng, asOfEnd - (300 + rng.int(400)) * DAY);
      consent.push(`${id},profiling,granted,${since}`);
      if (rng.bernoulli(0.7)) consent.push(`${id},email,granted,${since}`);
      if (rng.bernoulli(0.5)) consent.push(`${id},sms,granted,${since}`);
    }
    const records = rng.int(4);
    for (let i = 0; i < records; i++) {
      const purpose = rng.pick(['profiling', 'profiling', 'profiling', 'email', 'sms', 'Profiling', 'profilling', 'postal', '']);
      const status = rng.pick(['granted', 'granted', 'granted', 'withdrawn', 'withdrawn', 'GRANTED', 'maybe', 'pending', '']);
      consent.push(maybeBreak([rng.bernoulli(0.02) ? '' : id, purpose, status, writeDate(rng, anchors)]));
    }
    if (rng.bernoulli(0.15)) {
      for (let i = 0, n = 1 + rng.int(2); i < n; i++) erasure.push(maybeBreak([id, writeDate(rng, anchors)]));
    }
  }
  return { consent, erasure };
}

/** The records of a generated file and its lines with the wrong number of fields (the oracle's input). */
export function splitLines<T extends ConsentLine | ErasureLine>(lines: readonly string[]): { rows: T[]; malformed: string[] } {
  const [header, ...body] = lines;
  const names = (header as string).split(',');
  const rows: T[] = [];
  const malformed: string[] = [];
  for (const line of body) {
    const cells = line.split(',');
    if (cells.length !== names.length) malformed.push(line);
    else rows.push(Object.fromEntries(names.map((n, i) => [n, cells[i] as string])) as unknown as T);
  }
  return { rows, malformed };
}

/** What the contract's rules (tests/helpers/consent-oracle.ts) decide for generated histories. */
export function historyVerdicts(
  histories: Histories,
  universe: readonly string[],
  asOf: string,
  basis: 'consent' | 'legitimate_interest' = 'consent',
): Map<string, Verdict> {
  const consent = splitLines<ConsentLine>(histories.consent);
  const erasure = splitLines<ErasureLine>(histories.erasure);
  return consentVerdicts({
    asOf,
    universe,
    consent: consent.rows,
    erasure: erasure.rows,
    malformedConsent: consent.malformed,
    malformedErasure: erasure.malformed,
    basis,
  });
}
