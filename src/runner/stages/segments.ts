import {
  assignLifecycle,
  scoreRfm,
  segmentInputs,
  type LifecycleAssignment,
  type RfmScore,
  type SegmentFeatureRow,
} from '../../segments/index.js';
import type { CustomerPrediction } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import type { PreviousState } from '../previous.js';
import type { FeatureTable } from './features.js';
import type { TimingResult } from './timing.js';

export interface Segments {
  readonly lifecycle: readonly LifecycleAssignment[];
  readonly rfm: readonly RfmScore[];
  /** Predictions aligned with the features' customer order (null for customers who never bought). */
  readonly predictions: readonly (CustomerPrediction | null)[];
}

/** Stage 5: lifecycle segments (with reasons) and RFM groups for every eligible customer. */
export async function segmentsStage(
  ctx: RunContext,
  features: FeatureTable,
  timing: TimingResult,
  previous?: PreviousState,
): Promise<[Segments]> {
  const rows = featureRows(features);
  const predictions = features.customerIds.map((id) => timing.predictions.get(id) ?? null);
  const inputs = segmentInputs(
    rows,
    predictions.filter((p): p is CustomerPrediction => p !== null),
    previous?.lifecycle ?? new Map(),
  );
  const lifecycle = assignLifecycle(inputs.lifecycle, ctx.config.segments.lifecycle, {});
  const rfm = scoreRfm(inputs.rfm, ctx.config.segments.rfm);
  const counts = new Map<string, number>();
  for (const a of lifecycle) counts.set(a.segment, (counts.get(a.segment) ?? 0) + 1);
  ctx.log.info(`segments: ${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  return [{ lifecycle, rfm, predictions }];
}

function featureRows(features: FeatureTable): SegmentFeatureRow[] {
  const c = features.columns;
  const num = (name: string, i: number): number | null => {
    const v = c[name]?.[i];
    return v === null || v === undefined ? null : Number(v);
  };
  return features.customerIds.map((customer_id, i) => ({
    customer_id,
    recency_days: num('recency_days', i),
    orders_count: num('orders_count', i) ?? 0,
    monetary_total: num('monetary_total', i) ?? 0,
    tenure_first_purchase_days: num('tenure_first_purchase_days', i),
    interpurchase_mean_days: num('interpurchase_mean_days', i),
    ...('days_since_engagement' in c ? { days_since_engagement: num('days_since_engagement', i) } : {}),
  }));
}
