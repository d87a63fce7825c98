import { z } from 'zod';
import { configError } from '../core/errors.js';
import { groupRfm, waitOrder, type PurchaseCountModel } from './base-fitter.js';
import type { GammaGammaModel } from './gamma-gamma.js';
import { UNIT_DAYS, type TimeUnit } from './rfm-summary.js';
import type { CustomerPrediction } from './types.js';

/**
 * Per-customer predictions from a fitted BG/NBD or Pareto/NBD model and a Gamma-Gamma spend model.
 *
 * - P(buy within N days) = 1 − P(no purchase in (T, T+N] | x, t_x, T), which includes the customers who
 *   have already dropped out (they never buy).
 * - Time to the next purchase: its distribution given the history is defective (a dropped-out customer
 *   never buys again), so we report it conditional on there being a next purchase: the median as the
 *   point estimate and the (1−level)/2 and (1+level)/2 quantiles as the interval (80% by default). Under
 *   BG/NBD an alive customer waits Exp(λ), λ ~ Gamma(r+x, α+T) (closed-form Lomax quantiles); under
 *   Pareto/NBD the wait also races the remaining lifetime, and the quantiles come from bisection on the
 *   integrated CDF. The mean is not used: with r + x ≤ 1 it is infinite. When the probability of any
 *   further purchase is below `minRepurchaseProbability`, the date is not predictable and is null.
 * - CLV as in `lifetimes` (discounted approach): Σ_{m=1..H} spend · (E[X(m)] − E[X(m−1)]) / (1+d)^m with
 *   monthly steps (30 days; 4.345 weeks for weekly data, as lifetimes) and a monthly discount rate d.
 * - Spend: Gamma-Gamma's conditional expectation. One-time buyers (x = 0) have no repeat spend:
 *   `expectedSpend` is null and their CLV uses the population mean spend. Customers whose mean repeat spend
 *   is ≤ 0 (refunds) get expectedSpend 0 and CLV 0: no value is projected onto them.
 */
export const predictionSettingsSchema = z
  .object({
    horizonsDays: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([30, 60, 90]),
    clvMonths: z.number().int().positive().default(12),
    monthlyDiscountRate: z.number().min(0).max(1).default(0.01),
    intervalLevel: z.number().gt(0).lt(1).default(0.8),
    minRepurchaseProbability: z.number().min(0).max(1).default(0.05),
  })
  .strict();
export type PredictionSettings = z.infer<typeof predictionSettingsSchema>;

export interface CustomerHistory {
  readonly timeUnit: TimeUnit;
  readonly customerIds: readonly string[];
  readonly frequency: ArrayLike<number>;
  readonly recency: ArrayLike<number>;
  readonly age: ArrayLike<number>;
  readonly monetary: ArrayLike<number>;
}

/** CustomerPrediction plus the probability of any further purchase (what the interval is conditional on). */
export interface BtydPrediction extends CustomerPrediction {
  readonly pRepurchase: number;
}

/** Expected spend per transaction given x repeat transactions of mean value m (Gamma-Gamma, or empiricalSpend). */
export type SpendModel = Pick<GammaGammaModel, 'conditionalExpectedSpend'>;

const UNITS_PER_MONTH: Record<TimeUnit, number> = { day: 30, week: 4.345 };

export function predictCustomers(
  history: CustomerHistory,
  model: PurchaseCountModel,
  spend: SpendModel,
  settings: Partial<PredictionSettings> = {},
): BtydPrediction[] {
  const parsed = predictionSettingsSchema.safeParse(settings);
  if (!parsed.success) configError('btyd.prediction_settings', `invalid prediction settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const options = parsed.data;
  const unitDays = UNIT_DAYS[history.timeUnit];
  const month = UNITS_PER_MONTH[history.timeUnit];
  // Once per unique (x, t_x, T), in (x, T) order: the waits of one (x, T) are computed once (see waitOrder).
  const rows = groupRfm(history.frequency, history.recency, history.age);
  const timing: Timing[] = new Array<Timing>(rows.frequency.length);
  const waits: Waits = { x: Number.NaN, T: Number.NaN, quantiles: [] };
  for (const u of waitOrder(rows))
    timing[u] = timingFor(model, options, unitDays, month, rows.frequency[u] as number, rows.recency[u] as number, rows.age[u] as number, waits);
  return history.customerIds.map((customerId, i) => {
    const x = history.frequency[i] as number;
    const t = timing[rows.rowIndex[i] as number] as Timing;
    const m = history.monetary[i] as number;
    const oneTime = !(x > 0);
    const perTransaction = spend.conditionalExpectedSpend(x, m);
    let clv = 0;
    t.monthly.forEach((purchases, k) => {
      clv += (perTransaction * purchases) / Math.pow(1 + options.monthlyDiscountRate, k + 1);
    });
    const { monthly: _monthly, ...rest } = t;
    return { customerId, ...rest, expectedSpend: oneTime ? null : perTransaction, clv };
  });
}

type Timing = Omit<BtydPrediction, 'customerId' | 'expectedSpend' | 'clv'> & { monthly: number[] };

/** The next-purchase quantiles of the last (x, T) (they do not depend on t_x). */
interface Waits {
  x: number;
  T: number;
  quantiles: { q: number; days: number }[];
}

function timingFor(model: PurchaseCountModel, options: PredictionSettings, unitDays: number, month: number, x: number, tx: number, T: number, waits: Waits): Timing {
  const [h1, h2, h3] = options.horizonsDays.map((d) => d / unitDays) as [number, number, number];
  const pBuy = (t: number): number => clamp01(1 - model.pPurchases(0, t, x, tx, T));
  const pRepurchase = clamp01(model.pEverPurchaseAgain(x, tx, T));
  const predictable = pRepurchase >= options.minRepurchaseProbability && pRepurchase > 0;
  const tail = (1 - options.intervalLevel) / 2;
  const quantileDays = (q: number): number | null => {
    if (!predictable) return null;
    if (waits.x !== x || waits.T !== T) Object.assign(waits, { x, T, quantiles: [] });
    let kept = waits.quantiles.find((k) => k.q === q);
    if (!kept) waits.quantiles.push((kept = { q, days: model.nextPurchaseQuantile(q, x, tx, T) * unitDays }));
    return Number.isFinite(kept.days) ? kept.days : null;
  };
  const monthly: number[] = [];
  let previous = 0;
  for (let k = 1; k <= options.clvMonths; k++) {
    const cumulative = model.conditionalExpectedPurchases(k * month, x, tx, T);
    monthly.push(cumulative - previous);
    previous = cumulative;
  }
  return {
    pAlive: model.pAlive(x, tx, T),
    pBuy30: pBuy(h1),
    pBuy60: pBuy(h2),
    pBuy90: pBuy(h3),
    expectedPurchases90: model.conditionalExpectedPurchases(h3, x, tx, T),
    nextPurchaseDays: quantileDays(0.5),
    nextPurchaseLow: quantileDays(tail),
    nextPurchaseHigh: quantileDays(1 - tail),
    model: model.type,
    pRepurchase,
    monthly,
  };
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
