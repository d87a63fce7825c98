/**
 * The naive recency baseline: what a marketer does with a spreadsheet. Customers are grouped into recency
 * buckets (days since the last purchase at the cutoff, cut at the deciles of the training customers; one
 * extra bucket for customers who never bought), and each bucket predicts the share of its training
 * customers who bought within N days, and their mean number of purchases in the window. A model that does
 * not beat this has learned nothing beyond recency.
 *
 * Rates are shrunk toward the overall rate with `prior` pseudo-customers, so that a tiny bucket does not
 * predict exactly 0 or 1.
 */
import { inputError } from '../../core/errors.js';
import type { TimingLabels } from '../labels.js';

export interface RecencyBaseline {
  /** Upper bounds (inclusive) of the recency buckets in days; the last bucket is open-ended. */
  readonly edges: readonly number[];
  readonly horizons: readonly number[];
  /** rates[h][b]: P(buy within horizons[h]) in bucket b; the last bucket is "never bought" (recency NaN). */
  readonly rates: readonly (readonly number[])[];
  /** Mean purchases in the label window per bucket (same bucket order). */
  readonly meanPurchases: readonly number[];
  readonly windowDays: number;
}

export interface RecencyBaselineOptions {
  readonly buckets?: number;
  readonly horizons?: readonly number[];
  readonly prior?: number;
}

function bucketOf(edges: readonly number[], recency: number): number {
  if (Number.isNaN(recency)) return edges.length + 1;
  let b = 0;
  while (b < edges.length && recency > (edges[b] as number)) b++;
  return b;
}

function quantileEdges(values: number[], buckets: number): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < buckets; q++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / buckets))] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  return edges;
}

/**
 * Fits the baseline on the training window: `recencyDays` at the training cutoff (NaN for customers who
 * never bought) and the labels of the window after it.
 */
export function fitRecencyBaseline(
  recencyDays: ArrayLike<number>,
  labels: TimingLabels,
  options: RecencyBaselineOptions = {},
): RecencyBaseline {
  const horizons = options.horizons ?? [30, 60, 90];
  const prior = options.prior ?? 2;
  const n = recencyDays.length;
  if (labels.daysToNext.length !== n) inputError('baseline_rows_mismatch', `${n} recency values for ${labels.daysToNext.length} labels`);
  for (const h of horizons) {
    if (h > labels.windowDays) inputError('baseline_horizon', `horizon ${h} days exceeds the label window (${labels.windowDays} days)`, 'use a longer label window');
  }
  const finite = Array.from(recencyDays).filter((r) => !Number.isNaN(r));
  const edges = quantileEdges(finite, options.buckets ?? 10);
  const bucketCount = edges.length + 2;
  const sizes = new Float64Array(bucketCount);
  const purchases = new Float64Array(bucketCount);
  const buyers = horizons.map(() => new Float64Array(bucketCount));
  for (let i = 0; i < n; i++) {
    const b = bucketOf(edges, recencyDays[i] as number);
    sizes[b] = (sizes[b] as number) + 1;
    purchases[b] = (purchases[b] as number) + (labels.purchases[i] as number);
    horizons.forEach((h, k) => {
      if (labels.event[i] === 1 && (labels.daysToNext[i] as number) <= h) (buyers[k] as Float64Array)[b] = ((buyers[k] as Float64Array)[b] as number) + 1;
    });
  }
  const total = n;
  const rates = buyers.map((counts) => {
    const overall = counts.reduce((a, c) => a + c, 0) / total;
    return Array.from(counts, (c, b) => (c + prior * overall) / ((sizes[b] as number) + prior));
  });
  const overallPurchases = purchases.reduce((a, c) => a + c, 0) / total;
  const meanPurchases = Array.from(purchases, (p, b) => (p + prior * overallPurchases) / ((sizes[b] as number) + prior));
  return { edges, horizons, rates, meanPurchases, windowDays: labels.windowDays };
}

export interface BaselinePrediction {
  /** P(buy within N days) per horizon (keys are the horizons in days). */
  readonly pBuy: Readonly<Record<number, Float64Array>>;
  /** Expected purchases in a window as long as the training label window. */
  readonly expectedPurchases: Float64Array;
}

export function predictRecencyBaseline(baseline: RecencyBaseline, recencyDays: ArrayLike<number>): BaselinePrediction {
  const buckets = Array.from(recencyDays, (r) => bucketOf(baseline.edges, r));
  const pBuy: Record<number, Float64Array> = {};
  baseline.horizons.forEach((h, k) => {
    const rates = baseline.rates[k] as readonly number[];
    pBuy[h] = Float64Array.from(buckets, (b) => rates[b] as number);
  });
  return { pBuy, expectedPurchases: Float64Array.from(buckets, (b) => baseline.meanPurchases[b] as number) };
}
