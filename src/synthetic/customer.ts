/** Everything one synthetic customer does over the history window, drawn from their persona's process. */
import { Rng } from '../core/rng.js';
import { MS_PER_DAY } from '../core/time.js';
import { drawCampaigns, type CampaignExposure, type CampaignSchedule } from './campaigns.js';
import { drawConsentHistory, sortByTime, type ConsentRecord } from './consent.js';
import { drawAnswers, type Answer } from './declared.js';
import { drawBrowsing, drawJourney, type SyntheticEvent } from './engagement.js';
import { drawIdentity, type Identity } from './identity.js';
import { drawOrder, type Order } from './orders.js';
import { DEFAULT_CONSENT_MIX, PERSONAS, type ConsentProfile, type PersonaSpec } from './personas.js';
import { simulatePurchases, type PurchaseHistory } from './purchases.js';
import { pickWeighted } from './sampling.js';

/** Share of customers who ask to be erased. */
export const ERASURE_PROBABILITY = 0.005;
/** How far past the end date the truth follows each customer's purchases. */
export const FUTURE_DAYS = 365;

export interface GenerationContext {
  readonly seed: number;
  /** History window [startMs, endMs): endMs is the first instant after the end date. */
  readonly startMs: number;
  readonly endMs: number;
  readonly endYear: number;
  readonly schedule: CampaignSchedule;
}

export interface CustomerRecord {
  readonly customerId: string;
  readonly persona: PersonaSpec;
  readonly createdAt: number;
  readonly identity: Identity;
  /** The purchase process up to the end of the window (or the erasure request). */
  readonly purchases: PurchaseHistory;
  /** Purchases the same process makes in the year after the end date (none after an erasure request). */
  readonly futurePurchases: readonly number[];
  readonly orders: readonly Order[];
  /** In time order. */
  readonly events: readonly SyntheticEvent[];
  readonly answers: readonly Answer[];
  /** In time order. */
  readonly consent: readonly ConsentRecord[];
  readonly consentProfile: ConsentProfile;
  readonly erasureRequestedAt: number | undefined;
  /** What the campaigns planted: delivered sends and expected opens and clicks. */
  readonly campaignExposure: CampaignExposure;
}

const PERSONA_SHARES = PERSONAS.map((p) => p.share);

/** What an orders-only customer was exposed to: nothing (no campaigns are sent in that data set). */
const NO_EXPOSURE: CampaignExposure = Object.freeze({
  emailDelivered: 0,
  emailExpectedOpens: 0,
  emailExpectedClicks: 0,
  smsDelivered: 0,
  smsExpectedClicks: 0,
});

/**
 * Customer `index` (0-based) depends only on the seed and the index, never on other customers. With
 * `ordersOnly` the draws stop after the orders: the customer, the orders and the signup consent records are
 * exactly those of the full data set of the same seed, and there are no events, answers or campaign
 * unsubscribes.
 */
export function generateCustomer(
  context: GenerationContext,
  index: number,
  customerId: string,
  ordersOnly = false,
): CustomerRecord {
  const rng = Rng.derive(context.seed, `customer/${index}`);
  const persona = PERSONAS[rng.weightedIndex(PERSONA_SHARES)] as PersonaSpec;
  const createdAt = drawSignup(rng, persona, context);
  const identity = drawIdentity(rng, persona);
  const erasureRequestedAt = drawErasure(rng, createdAt, context.endMs);
  const stopMs = erasureRequestedAt ?? context.endMs;

  const consentProfile = pickWeighted(rng, persona.consentMix ?? DEFAULT_CONSENT_MIX);
  const initialConsent = drawConsentHistory(rng, consentProfile, createdAt, stopMs);
  // The process runs one year past the end so the truth can say what happens next (never written as orders).
  const horizonMs = erasureRequestedAt ?? context.endMs + FUTURE_DAYS * MS_PER_DAY;
  const full = simulatePurchases(rng, persona, createdAt, horizonMs);
  const purchases: PurchaseHistory = {
    ...full,
    times: full.times.filter((t) => t < stopMs),
    droppedAtMs: full.droppedAtMs !== undefined && full.droppedAtMs < stopMs ? full.droppedAtMs : undefined,
  };
  const futurePurchases = full.times.filter((t) => t >= stopMs);
  const orders = purchases.times.map((t) => drawOrder(rng, persona, Math.floor(t)));
  const drawn = {
    customerId,
    persona,
    createdAt,
    identity,
    purchases,
    futurePurchases,
    orders,
    consentProfile,
    erasureRequestedAt,
  };
  if (ordersOnly)
    return { ...drawn, events: [], answers: [], consent: initialConsent, campaignExposure: NO_EXPOSURE };
  const journeys = orders.map((order) => drawJourney(rng, persona, order));
  const journeyStarts: number[] = [];
  for (const journey of journeys) if (journey.length > 0) journeyStarts.push(earliest(journey));
  journeyStarts.sort((a, b) => a - b);
  const browsing = drawBrowsing(rng, persona, createdAt, purchases.droppedAtMs, stopMs);
  const campaigns = drawCampaigns(
    rng,
    persona,
    context.schedule,
    initialConsent,
    journeyStarts,
    createdAt,
    purchases.droppedAtMs,
    stopMs,
    Rng.derive(context.seed, `bounce/${index}`),
  );
  // Journeys, browsing, then campaign events, those before stopMs, sorted stably by time.
  const events: SyntheticEvent[] = [];
  for (const journey of journeys) keepBefore(events, journey, stopMs);
  keepBefore(events, browsing, stopMs);
  keepBefore(events, campaigns.events, stopMs);
  events.sort((a, b) => a.occurredAt - b.occurredAt);
  const answers = drawAnswers(rng, persona, identity, createdAt, stopMs, context.endYear).filter(
    (a) => a.answeredAt < stopMs,
  );
  return {
    ...drawn,
    events,
    answers,
    consent: sortByTime([...initialConsent, ...campaigns.consent]),
    campaignExposure: campaigns.exposure,
  };
}

function earliest(events: readonly SyntheticEvent[]): number {
  let min = Infinity;
  for (const e of events) if (e.occurredAt < min) min = e.occurredAt;
  return min;
}

function keepBefore(into: SyntheticEvent[], events: readonly SyntheticEvent[], stopMs: number): void {
  for (const e of events) if (e.occurredAt < stopMs) into.push(e);
}

function drawSignup(rng: Rng, persona: PersonaSpec, context: GenerationContext): number {
  const span = context.endMs - context.startMs;
  const s = persona.signup;
  const t =
    'recentDays' in s
      ? context.endMs - Math.min(span, rng.uniform(0, s.recentDays) * MS_PER_DAY)
      : context.startMs + span * (s.from + (s.to - s.from) * Math.pow(rng.next(), s.skew));
  // Whole seconds, and strictly inside the window.
  return Math.min(context.endMs - 1000, Math.max(context.startMs, Math.floor(t / 1000) * 1000));
}

function drawErasure(rng: Rng, createdAt: number, endMs: number): number | undefined {
  if (!rng.bernoulli(ERASURE_PROBABILITY)) return undefined;
  const earliest = createdAt + 7 * MS_PER_DAY;
  return earliest < endMs ? Math.floor(rng.uniform(earliest, endMs) / 1000) * 1000 : undefined;
}
