/**
 * The floor under the purchase-timing models: predictions at the as-of date from the empirical recency
 * baseline (evaluate/baseline.ts) when no BTYD model could be fitted to the data. Each customer gets the
 * rates that customers of the same recency showed in the last window:
 * - P(buy within N days): the baseline's rate for the customer's recency bucket;
 * - P(alive): the rate of buying again within the longest horizon — a lower bound (a customer alive but
 *   slow does not buy in the window), said so in run.json's notes;
 * - expected purchases: the bucket's mean number of purchase days in the window, scaled to 90 days;
 * - the next-purchase date is not predicted (null);
 * - spend: Gamma-Gamma when it could be fitted, else `empiricalSpend`; CLV discounts the bucket's monthly
 *   purchase rate times that spend, as btyd-predictions.ts does with a model's expected purchases.
 */
import { predictRecencyBaseline, type RecencyBaseline } from './evaluate/baseline.js';
import type { CustomerHistory, PredictionSettings, SpendModel } from './btyd-predictions.js';
import { UNIT_DAYS } from './rfm-summary.js';
import type { CustomerPrediction } from './types.js';

export const EMPIRICAL_MODEL = 'recency_baseline';

/** Spend without Gamma-Gamma: a repeat buyer's own mean repeat spend; the repeat buyers' mean for the others. */
export function empiricalSpend(frequency: ArrayLike<number>, monetary: ArrayLike<number>): SpendModel {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < frequency.length; i++) {
    const m = monetary[i] as number;
    if ((frequency[i] as number) > 0 && Number.isFinite(m)) {
      sum += m;
      count++;
    }
  }
  const population = count > 0 ? sum / count : 0;
  return {
    conditionalExpectedSpend: (x: number, m: number): number =>
      Math.max(0, x > 0 && Number.isFinite(m) ? m : population),
  };
}

/** Days since each customer's last purchase at the calibration end (T − t_x in days). */
export function recencyDays(history: Pick<CustomerHistory, 'timeUnit' | 'recency' | 'age'>): Float64Array {
  const unit = UNIT_DAYS[history.timeUnit];
  return Float64Array.from(history.age, (T, i) => (T - (history.recency[i] as number)) * unit);
}

export function empiricalPredictions(
  history: CustomerHistory,
  baseline: RecencyBaseline,
  spend: SpendModel,
  settings: Pick<PredictionSettings, 'clvMonths' | 'monthlyDiscountRate'>,
): CustomerPrediction[] {
  const predicted = predictRecencyBaseline(baseline, recencyDays(history));
  const rate = (h: number, i: number): number => (predicted.pBuy[h]?.[i] as number | undefined) ?? Number.NaN;
  const longest = Math.max(...baseline.horizons);
  return history.customerIds.map((customerId, i) => {
    const x = history.frequency[i] as number;
    const perWindow = predicted.expectedPurchases[i] as number;
    const perMonth = (perWindow * 30) / baseline.windowDays;
    const perTransaction = spend.conditionalExpectedSpend(x, history.monetary[i] as number);
    let clv = 0;
    for (let k = 1; k <= settings.clvMonths; k++)
      clv += (perTransaction * perMonth) / Math.pow(1 + settings.monthlyDiscountRate, k);
    return {
      customerId,
      pAlive: rate(longest, i),
      pBuy30: rate(30, i),
      pBuy60: rate(60, i),
      pBuy90: rate(90, i),
      expectedPurchases90: (perWindow * 90) / baseline.windowDays,
      nextPurchaseDays: null,
      nextPurchaseLow: null,
      nextPurchaseHigh: null,
      expectedSpend: x > 0 ? perTransaction : null,
      clv,
      model: EMPIRICAL_MODEL,
    };
  });
}
