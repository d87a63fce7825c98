import { inputError } from '../core/errors.js';
import { toIsoDate } from '../core/time.js';
import type { PurchaseCountModel } from './base-fitter.js';
import { UNIT_DAYS, dayToDate, type RfmSummary } from './rfm-summary.js';

/**
 * The two classic checks of a BTYD model on a holdout period (Fader, Hardie & Lee 2005, figures 2–4):
 * 1. conditional expectations: mean holdout transactions per customer, grouped by calibration frequency
 *    (0, 1, …, 6, 7+), actual vs predicted E[X(holdout) | x, t_x, T];
 * 2. tracking: cumulative repeat transactions of the whole cohort week by week through calibration and
 *    holdout, actual vs Σ_customers E[X(time since their first purchase)] (the unconditional expectation).
 */
export interface FrequencyBucket {
  readonly label: string;
  readonly customers: number;
  /** Mean holdout transactions per customer in the bucket. */
  readonly actual: number;
  readonly predicted: Record<string, number>;
}

export interface TrackingPoint {
  /** Last day of the week (ISO date). */
  readonly date: string;
  readonly week: number;
  readonly inHoldout: boolean;
  readonly actual: number;
  readonly predicted: Record<string, number>;
}

export interface HoldoutReport {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  readonly holdoutLength: number;
  readonly timeUnit: string;
  readonly customers: number;
  readonly actualHoldoutTransactions: number;
  readonly predictedHoldoutTransactions: Record<string, number>;
  /** Mean absolute error of predicted vs actual holdout transactions per customer. */
  readonly customerMae: Record<string, number>;
  readonly buckets: readonly FrequencyBucket[];
  readonly tracking: readonly TrackingPoint[];
}

const TOP_BUCKET = 7;

export function holdoutReport(summary: RfmSummary, models: readonly PurchaseCountModel[]): HoldoutReport {
  if (summary.holdoutEnd === null || !(summary.holdoutLength > 0)) {
    inputError('btyd.no_holdout', 'a holdout report needs a holdout period', 'pass --holdout-end after --calibration-end');
  }
  const n = summary.customerIds.length;
  const unitDays = UNIT_DAYS[summary.timeUnit];
  const bucketCount = new Float64Array(TOP_BUCKET + 1);
  const bucketActual = new Float64Array(TOP_BUCKET + 1);
  const bucketPredicted = models.map(() => new Float64Array(TOP_BUCKET + 1));
  const predictedTotal = models.map(() => 0);
  const absError = models.map(() => 0);
  let actualTotal = 0;
  for (let i = 0; i < n; i++) {
    const x = summary.frequency[i] as number;
    const bucket = Math.min(x, TOP_BUCKET);
    const actual = summary.holdoutFrequency[i] as number;
    bucketCount[bucket]++;
    bucketActual[bucket] = (bucketActual[bucket] as number) + actual;
    actualTotal += actual;
    models.forEach((model, k) => {
      const predicted = model.conditionalExpectedPurchases(summary.holdoutLength, x, summary.recency[i] as number, summary.age[i] as number);
      const perBucket = bucketPredicted[k] as Float64Array;
      perBucket[bucket] = (perBucket[bucket] as number) + predicted;
      predictedTotal[k] = (predictedTotal[k] as number) + predicted;
      absError[k] = (absError[k] as number) + Math.abs(predicted - actual);
    });
  }
  const byModel = (values: number[]): Record<string, number> => Object.fromEntries(models.map((m, k) => [m.type, values[k] as number]));
  const buckets: FrequencyBucket[] = [];
  for (let b = 0; b <= TOP_BUCKET; b++) {
    const count = bucketCount[b] as number;
    buckets.push({
      label: b === TOP_BUCKET ? `${TOP_BUCKET}+` : String(b),
      customers: count,
      actual: count > 0 ? (bucketActual[b] as number) / count : 0,
      predicted: byModel(bucketPredicted.map((p) => (count > 0 ? (p[b] as number) / count : 0))),
    });
  }
  return {
    calibrationEnd: summary.calibrationEnd,
    holdoutEnd: summary.holdoutEnd,
    holdoutLength: summary.holdoutLength,
    timeUnit: summary.timeUnit,
    customers: n,
    actualHoldoutTransactions: actualTotal,
    predictedHoldoutTransactions: byModel(predictedTotal),
    customerMae: byModel(absError.map((e) => (n > 0 ? e / n : 0))),
    buckets,
    tracking: trackingCurve(summary, models, unitDays),
  };
}

function trackingCurve(summary: RfmSummary, models: readonly PurchaseCountModel[], unitDays: number): TrackingPoint[] {
  const { startDay, counts } = summary.dailyRepeats;
  const lastDay = startDay + counts.length - 1;
  const calibrationEndDay = lastDay - Math.round(summary.holdoutLength * unitDays);
  // Customers grouped by their first day: the unconditional expectation only depends on the elapsed time.
  const cohorts = new Map<number, number>();
  for (const day of summary.firstDay) cohorts.set(day, (cohorts.get(day) ?? 0) + 1);
  const points: TrackingPoint[] = [];
  let cumulative = 0;
  let cursor = startDay;
  for (let week = 1; cursor <= lastDay; week++) {
    const end = Math.min(startDay + 7 * week - 1, lastDay);
    for (; cursor <= end; cursor++) cumulative += counts[cursor - startDay] as number;
    const predicted = models.map((model) => {
      let total = 0;
      for (const [first, size] of cohorts) if (end > first) total += size * model.expectedPurchases((end - first) / unitDays);
      return total;
    });
    points.push({
      date: toIsoDate(dayToDate(end)),
      week,
      inHoldout: end > calibrationEndDay,
      actual: cumulative,
      predicted: Object.fromEntries(models.map((m, k) => [m.type, predicted[k] as number])),
    });
  }
  return points;
}
