/**
 * Email and SMS campaigns: brand-wide send schedules, delivered to customers whose channel consent is
 * granted at send time. Opens and clicks depend on the persona and on whether the customer is still
 * active; some order journeys start from an email click; a few opens end in an unsubscribe, which also
 * writes an email-withdrawn consent record. A few sends bounce (drawn from a stream of their own).
 *
 * Every send records the probability of an open and of a click the generator used for it: their sums per
 * persona are the planted truth that campaign KPIs must recover (truth/ground_truth.csv).
 */
import type { Rng } from '../core/rng.js';
import { MS_PER_DAY } from '../core/time.js';
import { statusAt, type ConsentRecord } from './consent.js';
import { event, pushSession, type EventType, type SyntheticEvent } from './engagement.js';
import type { PersonaSpec } from './personas.js';
import { logNormal, lowerBound, pickWeighted } from './sampling.js';

export interface CampaignSchedule {
  readonly email: readonly number[];
  readonly sms: readonly number[];
}

const EMAIL_EVERY_DAYS = 21;
const SMS_EVERY_DAYS = 42;
/** Reading an email that does not lead to a purchase stays a quiet signal: few unsubscribe. */
const UNSUBSCRIBE_GIVEN_OPEN = 0.01;
const SMS_STOP_PER_SEND = 0.004;
/** Engagement of customers who have dropped out, relative to active ones. */
const INACTIVE_FACTOR = 0.35;
/** Share of email and SMS sends that bounce (never delivered, so never opened or clicked). */
const EMAIL_BOUNCE = 0.02;
const SMS_BOUNCE = 0.01;

/** Email every three weeks at 09:00 UTC and SMS every six weeks at 12:00 UTC over [startMs, endMs). */
export function campaignSchedule(startMs: number, endMs: number): CampaignSchedule {
  const every = (days: number, offsetDays: number, hour: number): number[] => {
    const out: number[] = [];
    for (let t = startMs + offsetDays * MS_PER_DAY + hour * 3_600_000; t < endMs; t += days * MS_PER_DAY)
      out.push(t);
    return out;
  };
  return { email: every(EMAIL_EVERY_DAYS, 1, 9), sms: every(SMS_EVERY_DAYS, 5, 12) };
}

/** The campaign id of the i-th send of a channel: `email-0001`, `sms-0001`, … (the campaigns table's key). */
export function campaignId(channel: 'email' | 'sms', index: number): string {
  return `${channel}-${String(index + 1).padStart(4, '0')}`;
}

/** Expected responses the generator planted, summed over a customer's delivered sends. */
export interface CampaignExposure {
  emailDelivered: number;
  emailExpectedOpens: number;
  emailExpectedClicks: number;
  smsDelivered: number;
  smsExpectedClicks: number;
}

export interface CampaignResult {
  readonly events: SyntheticEvent[];
  /** Withdrawals caused by unsubscribes and SMS STOP replies. */
  readonly consent: ConsentRecord[];
  readonly exposure: CampaignExposure;
}

/**
 * @param journeyStarts ascending start times of the order journeys, so that an email sent shortly before
 *   one can be the click that started it.
 */
export function drawCampaigns(
  rng: Rng,
  persona: PersonaSpec,
  schedule: CampaignSchedule,
  consent: readonly ConsentRecord[],
  journeyStarts: readonly number[],
  createdMs: number,
  droppedAtMs: number | undefined,
  stopMs: number,
  bounceRng: Rng,
): CampaignResult {
  const e = persona.engagement;
  const events: SyntheticEvent[] = [];
  const exposure: CampaignExposure = {
    emailDelivered: 0,
    emailExpectedOpens: 0,
    emailExpectedClicks: 0,
    smsDelivered: 0,
    smsExpectedClicks: 0,
  };
  const withdrawals: ConsentRecord[] = [];
  const active = (t: number): number => (droppedAtMs === undefined || t < droppedAtMs ? 1 : INACTIVE_FACTOR);
  const clickSession = (t: number): void => {
    const device = pickWeighted(rng, persona.devices);
    const category = pickWeighted(rng, persona.categories);
    const price = Math.round(logNormal(rng, persona.basket.medianAmount, persona.basket.sigma));
    pushSession(events, rng, persona, t + 10_000, device, category, price, false);
  };
  const respond = (occurredAt: number, type: EventType, id: string): SyntheticEvent =>
    event(occurredAt, type, undefined, undefined, undefined, id);

  for (let i = lowerBound(schedule.email, createdMs); i < schedule.email.length; i++) {
    const sentAt = schedule.email[i] as number;
    if (sentAt >= stopMs) break;
    if (statusAt(consent, 'email', sentAt) !== 'granted') continue;
    const id = campaignId('email', i);
    events.push(respond(sentAt, 'email_sent', id));
    if (bounceRng.bernoulli(EMAIL_BOUNCE)) {
      events.push(respond(sentAt + 60_000, 'email_bounce', id));
      continue;
    }
    const next = journeyStarts[lowerBound(journeyStarts, sentAt + 10 * 60_000)];
    const journeyAhead = next !== undefined && next - sentAt <= 3 * MS_PER_DAY;
    const pOpen = e.emailOpen * active(sentAt);
    const pClick = pOpen * (1 - UNSUBSCRIBE_GIVEN_OPEN) * e.emailClickGivenOpen;
    const driven = journeyAhead ? e.emailDrivenShare : 0;
    exposure.emailDelivered++;
    exposure.emailExpectedOpens += driven + (1 - driven) * pOpen;
    exposure.emailExpectedClicks += driven + (1 - driven) * pClick;
    if (journeyAhead && rng.bernoulli(e.emailDrivenShare)) {
      events.push(respond(sentAt + (next - sentAt) * rng.uniform(0.1, 0.8), 'email_open', id));
      events.push(respond(next - rng.uniform(10, 60) * 1000, 'email_click', id));
      continue;
    }
    if (!rng.bernoulli(pOpen)) continue;
    const openedAt = sentAt + rng.exponential(1 / 8) * 3_600_000;
    if (openedAt >= stopMs) continue;
    events.push(respond(openedAt, 'email_open', id));
    if (rng.bernoulli(UNSUBSCRIBE_GIVEN_OPEN)) {
      const unsubscribedAt = Math.floor(openedAt + rng.uniform(1, 3) * 60_000);
      if (unsubscribedAt >= stopMs) continue;
      events.push(respond(unsubscribedAt, 'unsubscribe', id));
      withdrawals.push({ purpose: 'email', status: 'withdrawn', recordedAt: unsubscribedAt });
      break;
    }
    if (rng.bernoulli(e.emailClickGivenOpen)) {
      const clickedAt = openedAt + rng.uniform(0.2, 5) * 60_000;
      if (clickedAt >= stopMs) continue;
      events.push(respond(clickedAt, 'email_click', id));
      clickSession(clickedAt);
    }
  }

  for (let i = lowerBound(schedule.sms, createdMs); i < schedule.sms.length; i++) {
    const sentAt = schedule.sms[i] as number;
    if (sentAt >= stopMs) break;
    if (statusAt(consent, 'sms', sentAt) !== 'granted') continue;
    const id = campaignId('sms', i);
    events.push(respond(sentAt, 'sms_sent', id));
    if (bounceRng.bernoulli(SMS_BOUNCE)) {
      events.push(respond(sentAt + 60_000, 'sms_bounce', id));
      continue;
    }
    exposure.smsDelivered++;
    exposure.smsExpectedClicks += (1 - SMS_STOP_PER_SEND) * e.smsClick * active(sentAt);
    if (rng.bernoulli(SMS_STOP_PER_SEND)) {
      const stoppedAt = Math.floor(sentAt + rng.uniform(1, 120) * 60_000);
      if (stoppedAt < stopMs)
        withdrawals.push({ purpose: 'sms', status: 'withdrawn', recordedAt: stoppedAt });
      break;
    }
    if (rng.bernoulli(e.smsClick * active(sentAt))) {
      const clickedAt = sentAt + rng.exponential(1) * 3_600_000;
      if (clickedAt >= stopMs) continue;
      events.push(respond(clickedAt, 'sms_click', id));
      clickSession(clickedAt);
    }
  }
  return { events, consent: withdrawals, exposure };
}
