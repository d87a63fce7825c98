/**
 * Site/app sessions, the order journeys that precede purchases, and browsing without purchase. Engagement
 * is tied to the purchase process on purpose: sessions cluster in the days before each order, and browsing
 * fades after dropout, so engagement features carry signal beyond recency and frequency.
 */
import type { Rng } from '../core/rng.js';
import { MS_PER_DAY } from '../core/time.js';
import type { EVENT_TYPES } from '../contract/schema.js';
import type { Order } from './orders.js';
import type { PersonaSpec } from './personas.js';
import { monthOf } from './purchases.js';
import { logNormal, pickWeighted } from './sampling.js';

export type EventType = (typeof EVENT_TYPES)[number];

export interface SyntheticEvent {
  readonly occurredAt: number;
  readonly type: EventType;
  readonly category?: string;
  readonly value?: number;
  readonly device?: string;
  /** Email and SMS events only: the campaign they belong to. */
  readonly campaignId?: string;
}

const MINUTE = 60_000;
/** Share of orders per channel that have an online journey on the brand's own site or app. */
const JOURNEY_PROBABILITY: Readonly<Record<Order['channel'], number>> = {
  web: 0.97,
  app: 0.97,
  store: 0.4,
  marketplace: 0.3,
};

/** Sessions in the three days before an order, the last one ending in add_to_cart and checkout_start. */
export function drawJourney(rng: Rng, persona: PersonaSpec, order: Order): SyntheticEvent[] {
  if (!rng.bernoulli(JOURNEY_PROBABILITY[order.channel])) return [];
  const device = order.channel === 'app' ? 'mobile' : pickWeighted(rng, persona.devices);
  const unitPrice = Math.round((order.amount + order.discountAmount) / order.items);
  const events: SyntheticEvent[] = [];
  const extra = rng.poisson(persona.engagement.journeyExtraSessions);
  for (let i = 0; i < extra; i++) {
    const start = order.orderedAt - rng.uniform(0.05, 3) * MS_PER_DAY;
    pushSession(events, rng, persona, start, device, order.category, unitPrice, rng.bernoulli(0.3));
  }
  const start = order.orderedAt - rng.uniform(4, 30) * MINUTE;
  // A session always has its session_start, so the last event is the checkout session's last.
  pushSession(events, rng, persona, start, device, order.category, unitPrice, false);
  const lastAt = (events[events.length - 1] as SyntheticEvent).occurredAt;
  // The checkout session's cart and checkout happen between its browsing and the order itself.
  const cartAt = lastAt + (order.orderedAt - lastAt) * rng.uniform(0.3, 0.6);
  const checkoutAt = lastAt + (order.orderedAt - lastAt) * rng.uniform(0.7, 0.95);
  events.push(
    event(cartAt, 'add_to_cart', order.category, order.amount + order.discountAmount, device, undefined),
  );
  events.push(event(checkoutAt, 'checkout_start', order.category, order.amount, device, undefined));
  return events;
}

/**
 * An event with every field present (undefined when absent): one object shape for all events keeps the
 * generator's property reads monomorphic (events are ~95% of the rows).
 */
export function event(
  occurredAt: number,
  type: EventType,
  category: string | undefined,
  value: number | undefined,
  device: string | undefined,
  campaignId: string | undefined,
): SyntheticEvent {
  return { occurredAt, type, category, value, device, campaignId };
}

/** One session appended to `events`: a start, a few page views and product views, maybe an add_to_cart. */
export function pushSession(
  events: SyntheticEvent[],
  rng: Rng,
  persona: PersonaSpec,
  start: number,
  device: string,
  category: string,
  unitPrice: number,
  addToCart: boolean,
): void {
  events.push(event(start, 'session_start', undefined, undefined, device, undefined));
  let t = start;
  const pages = rng.poisson(0.5);
  for (let i = 0; i < pages; i++) {
    t += rng.uniform(0.2, 2) * MINUTE;
    events.push(event(t, 'page_view', undefined, undefined, device, undefined));
  }
  const views = 1 + rng.poisson(Math.max(0, persona.engagement.productViewsPerSession - 1));
  for (let i = 0; i < views; i++) {
    t += rng.uniform(0.3, 3) * MINUTE;
    events.push(event(t, 'product_view', category, unitPrice, device, undefined));
  }
  if (addToCart) {
    t += rng.uniform(0.3, 2) * MINUTE;
    events.push(event(t, 'add_to_cart', category, unitPrice, device, undefined));
  }
}

/**
 * Browsing without an order: a seasonal Poisson process of sessions while the customer is active,
 * continuing at a quarter of the rate for a while (exponential, mean 60 days) after dropout.
 */
export function drawBrowsing(
  rng: Rng,
  persona: PersonaSpec,
  createdMs: number,
  droppedAtMs: number | undefined,
  stopMs: number,
): SyntheticEvent[] {
  const perDay = persona.engagement.browseSessionsPerMonth / 30.44;
  const fadeUntil =
    droppedAtMs === undefined ? stopMs : Math.min(stopMs, droppedAtMs + rng.exponential(1 / 60) * MS_PER_DAY);
  const season = persona.seasonality;
  const maxWeight = 0.5 + 0.5 * Math.max(...season);
  const events: SyntheticEvent[] = [];
  let t = createdMs;
  for (;;) {
    t += rng.exponential(perDay * maxWeight) * MS_PER_DAY;
    if (t >= fadeUntil) break;
    const active = droppedAtMs === undefined || t < droppedAtMs;
    const weight = (0.5 + 0.5 * (season[monthOf(t)] as number)) * (active ? 1 : 0.25);
    if (rng.next() * maxWeight >= weight) continue;
    const device = pickWeighted(rng, persona.devices);
    const category = pickWeighted(rng, persona.categories);
    const price = Math.round(logNormal(rng, persona.basket.medianAmount, persona.basket.sigma));
    const addToCart = rng.bernoulli(persona.engagement.abandonCartProbability);
    pushSession(events, rng, persona, t, device, category, price, addToCart);
  }
  return events;
}
