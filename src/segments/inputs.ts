import { inputError, show } from '../core/errors.js';
import type { CustomerPrediction } from '../timing/types.js';
import type { LifecycleInput } from './lifecycle.js';
import type { RfmInput } from './rfm.js';

/** The features.parquet columns the segments read (names from src/features/sql/orders.ts and events.ts). */
export interface SegmentFeatureRow {
  readonly customer_id: string;
  /** Days from the last purchase to the as-of date; null when the customer never bought. */
  readonly recency_days: number | null;
  readonly orders_count: number;
  readonly monetary_total: number;
  readonly tenure_first_purchase_days: number | null;
  /** Mean days between purchase days; null with fewer than two. */
  readonly interpurchase_mean_days: number | null;
  /** Absent when there is no events table. */
  readonly days_since_engagement?: number | null;
}

export interface SegmentInputs {
  readonly lifecycle: LifecycleInput[];
  readonly rfm: RfmInput[];
}

/**
 * Joins features, timing predictions and the previous run's segments into the inputs of
 * {@link assignLifecycle} and {@link scoreRfm}, one per feature row. A customer who bought must have a
 * prediction, except one whose first purchase is at most a day old (BTYD models need T > 0; the `new` rule
 * decides before any prediction is read, with the default new_within_days). A customer who never bought gets
 * placeholders (the prospect rule fires first).
 */
export function segmentInputs(
  features: readonly SegmentFeatureRow[],
  predictions: readonly CustomerPrediction[],
  previousSegments: ReadonlyMap<string, string> = new Map(),
): SegmentInputs {
  const byId = new Map(predictions.map((p) => [p.customerId, p]));
  const lifecycle: LifecycleInput[] = [];
  const rfm: RfmInput[] = [];
  for (const f of features) {
    const p = byId.get(f.customer_id);
    lifecycle.push(lifecycleInputOf(f, p, previousSegments));
    rfm.push(rfmInputOf(f));
  }
  return { lifecycle, rfm };
}

/**
 * One customer's lifecycle input, as {@link segmentInputs} gives it (and with the same check): for callers that
 * build inputs one at a time instead of holding them all.
 */
export function lifecycleInputOf(
  f: SegmentFeatureRow,
  p: Pick<CustomerPrediction, 'pAlive' | 'pBuy30' | 'nextPurchaseDays' | 'nextPurchaseHigh' | 'clv'> | null | undefined,
  previousSegments: ReadonlyMap<string, string>,
): LifecycleInput {
  const bought = f.orders_count > 0 && f.recency_days !== null;
  // BTYD models cannot score a customer first seen on the as-of day (T = 0): such a customer is new anyway.
  const brandNew = (f.tenure_first_purchase_days ?? Infinity) <= 1;
  if (bought && !p && !brandNew) {
    inputError(
      'missing_prediction',
      `customer ${show(f.customer_id)} has ${f.orders_count} orders but no timing prediction`,
      'score every customer with at least one purchase before assigning segments',
    );
  }
  return {
    customerId: f.customer_id,
    daysSinceFirstPurchase: bought ? f.tenure_first_purchase_days : null,
    daysSinceLastPurchase: bought ? f.recency_days : null,
    orders: f.orders_count,
    // Placeholders without a prediction: BG/NBD's own values for a customer with no repeat and no elapsed time.
    pAlive: p?.pAlive ?? (bought ? 1 : 0),
    pBuy30: p?.pBuy30 ?? 0,
    nextPurchaseDays: p?.nextPurchaseDays ?? null,
    nextPurchaseHigh: p?.nextPurchaseHigh ?? null,
    typicalIntervalDays: f.interpurchase_mean_days,
    clv: p?.clv ?? 0,
    monetary: f.monetary_total,
    daysSinceLastEngagement: f.days_since_engagement ?? null,
    previousSegment: previousSegments.get(f.customer_id) ?? null,
  };
}

/** One customer's RFM input, as {@link segmentInputs} gives it. */
export function rfmInputOf(f: SegmentFeatureRow): RfmInput {
  const bought = f.orders_count > 0 && f.recency_days !== null;
  return {
    customerId: f.customer_id,
    daysSinceLastPurchase: bought ? f.recency_days : null,
    frequency: bought ? f.orders_count : 0,
    monetary: f.monetary_total,
  };
}
