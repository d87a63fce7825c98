/**
 * Purchase timing: BG/NBD with seasonality. λ ~ Gamma(shape, rate) purchases per year; purchases arrive as a
 * Poisson process with intensity λ·season(month) (simulated by thinning); after every purchase but the
 * first, the customer drops out for good with probability p ~ Beta(a, b). An optional acquisition order
 * happens right after signup, as real customers often sign up at their first checkout.
 */
import { MS_PER_DAY } from '../core/time.js';
import type { Rng } from '../core/rng.js';
import type { PersonaSpec } from './personas.js';

export const MS_PER_YEAR = 365.25 * MS_PER_DAY;
/** A safety cap: no customer places more orders than this in the history window. */
const MAX_PURCHASES = 1000;

export interface PurchaseHistory {
  /** Purchase times (ms since epoch), ascending, all in [createdMs, stopMs). */
  readonly times: readonly number[];
  readonly ratePerYear: number;
  readonly dropoutProbability: number;
  /** When the customer became inactive (the time of their last purchase), if they did before stopMs. */
  readonly droppedAtMs: number | undefined;
}

/** The UTC month (0–11) of an instant; the last month looked up is cached (draws come in time order). */
export function monthOf(ms: number): number {
  if (ms >= cachedMonthFrom && ms < cachedMonthTo) return cachedMonth;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  cachedMonth = date.getUTCMonth();
  cachedMonthFrom = Date.UTC(year, cachedMonth, 1);
  cachedMonthTo = Date.UTC(year, cachedMonth + 1, 1);
  return cachedMonth;
}

let cachedMonth = 0;
let cachedMonthFrom = Number.NaN;
let cachedMonthTo = Number.NaN;

export function simulatePurchases(
  rng: Rng,
  persona: PersonaSpec,
  createdMs: number,
  stopMs: number,
): PurchaseHistory {
  const ratePerYear = rng.gamma(persona.purchaseRate.shape, persona.purchaseRate.rate);
  const dropoutProbability = rng.beta(persona.dropout.a, persona.dropout.b);
  const season = persona.seasonality;
  const maxSeason = Math.max(...season);
  const times: number[] = [];
  let droppedAtMs: number | undefined;
  let t = createdMs;
  if (rng.bernoulli(persona.firstOrder.probability)) {
    const first = createdMs + rng.exponential(1 / persona.firstOrder.meanDelayDays) * MS_PER_DAY;
    if (first < stopMs) {
      times.push(first);
      t = first;
    }
  }
  const envelopeRate = ratePerYear * maxSeason;
  while (times.length < MAX_PURCHASES && envelopeRate > 0) {
    t += rng.exponential(envelopeRate) * MS_PER_YEAR;
    if (t >= stopMs) break;
    if (rng.next() * maxSeason >= (season[monthOf(t)] as number)) continue;
    times.push(t);
    if (times.length > 1 && rng.bernoulli(dropoutProbability)) {
      droppedAtMs = t;
      break;
    }
  }
  return { times, ratePerYear, dropoutProbability, droppedAtMs };
}
