import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configError } from '../../core/errors.js';
import { daysBetween } from '../../core/time.js';
import { queryRows } from '../../io/duckdb.js';
import {
  classifyLifecycle,
  lifecycleDecision,
  lifecycleInputOf,
  lifecycleSegmentAt,
  rfmInputOf,
  rfmScoreAt,
  rfmTable,
  type LifecycleDecision,
  type LifecycleSegment,
  type LifecycleTable,
  type RfmScore,
  type RfmTable,
  type RuleMembership,
  type SegmentFeatureRow,
} from '../../segments/index.js';
import type { FeatureValues } from '../../features/preprocessing.js';
import { evaluateSegments } from '../../segments/rule-evaluate.js';
import { parseSegmentRulesYaml } from '../../segments/rules.js';
import type { PredictionTable } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import type { PreviousState } from '../previous.js';
import type { CrossSellResult } from './cross-sell.js';
import type { FeatureTable } from './features.js';
import type { TimingResult } from './timing.js';

/**
 * Per customer, on the features' rows: typed columns (a few bytes per customer), not an object each. A row's
 * whole assignment (its reasons in English and French, its RFM code) is rebuilt from the features and predictions
 * when it is read, by `lifecycleAt` and `rfmAt`.
 */
export interface Segments {
  readonly lifecycle: LifecycleTable;
  readonly rfm: RfmTable;
  /** The lifecycle segment of the customer at a features row. */
  readonly segmentAt: (row: number) => LifecycleSegment;
  /** The lifecycle segment of the customer at a features row with its reason (built on each call). */
  readonly lifecycleAt: (row: number) => LifecycleDecision;
  /** The RFM score of the customer at a features row (built on each call). */
  readonly rfmAt: (row: number) => RfmScore;
  /** Predictions on the features' rows (none for customers who never bought): the timing stage's table. */
  readonly predictions: PredictionTable;
  /** Rule-based segments per customer (customers in none are absent). */
  readonly rules: readonly RuleMembership[];
  readonly ruleCounts: Readonly<Record<string, number>>;
  /** The labels the rules file gives its segments (EN/FR), for the report; rules without one are absent. */
  readonly ruleLabels: Readonly<Record<string, { readonly en: string; readonly fr: string }>>;
}

/** Stage 5: lifecycle segments (with reasons) and RFM groups for every eligible customer. */
export async function segmentsStage(
  ctx: RunContext,
  features: FeatureTable,
  timing: TimingResult,
  previous?: PreviousState,
  // Not read here: the stage runs after cross-sell so that `next_category` rules find its table.
  _crossSell?: CrossSellResult,
): Promise<[Segments]> {
  const predictions = timing.predictions;
  const previousSegments = previous?.lifecycle ?? new Map<string, string>();
  const n = features.customerIds.length;
  const lifecycleInput = (row: number) =>
    lifecycleInputOf(featureRow(features, row), predictions.at(row), previousSegments);
  const rfmInput = (row: number) => rfmInputOf(featureRow(features, row));
  const lifecycle = classifyLifecycle(
    n,
    lifecycleInput,
    ctx.config.segments.lifecycle,
    // A re-run for the same date (or an older one) has no "since the previous run" window.
    previous?.asOf && daysBetween(previous.asOf, ctx.asOf) > 0
      ? { daysSincePreviousRun: daysBetween(previous.asOf, ctx.asOf) }
      : {},
  );
  const rfm = rfmTable(n, rfmInput, ctx.config.segments.rfm);
  const counts = new Map<string, number>();
  for (let row = 0; row < n; row += 1) {
    const segment = lifecycleSegmentAt(lifecycle, row);
    counts.set(segment, (counts.get(segment) ?? 0) + 1);
  }
  ctx.log.info(`segments: ${[...counts].map(([s, k]) => `${s} ${k}`).join(', ')}`);
  const { rules, ruleCounts, ruleLabels } = await ruleSegments(ctx);
  return [
    {
      lifecycle,
      rfm,
      segmentAt: (row) => lifecycleSegmentAt(lifecycle, row),
      lifecycleAt: (row) => lifecycleDecision(lifecycle, row, lifecycleInput(row)),
      rfmAt: (row) => rfmScoreAt(rfm, row, features.customerIds[row] as string),
      predictions,
      rules,
      ruleCounts,
      ruleLabels,
    },
  ];
}

/** The config's rule-based segments, recomputed as of this run (none when no rules file is set). */
async function ruleSegments(
  ctx: RunContext,
): Promise<Pick<Segments, 'rules' | 'ruleCounts' | 'ruleLabels'>> {
  const file = ctx.config.segments.rules_file;
  if (!file) return { rules: [], ruleCounts: {}, ruleLabels: {} };
  const path = resolve(ctx.configPath ? dirname(ctx.configPath) : process.cwd(), file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    configError(
      'rules_file_missing',
      `segments.rules_file: ${path} cannot be read`,
      'Give a path relative to the config file.',
    );
  }
  const parsed = parseSegmentRulesYaml(text, path);
  const result = await evaluateSegments(ctx.engine.connection, parsed, {
    asOf: ctx.asOf,
  });
  ctx.warnings.push(...result.warnings);
  const rows = await queryRows<{ customer_id: string; segments: string[] }>(
    ctx.engine.connection,
    'SELECT customer_id, list(segment ORDER BY segment) AS segments FROM rule_segments GROUP BY customer_id ORDER BY customer_id',
  );
  return {
    rules: rows.map((r) => ({ customerId: r.customer_id, segments: r.segments })),
    ruleCounts: result.counts,
    ruleLabels: Object.fromEntries(parsed.flatMap((r) => (r.label ? [[r.name, r.label]] : []))),
  };
}

/** The features the segments read, of the customer at `row`. */
function featureRow(features: FeatureTable, row: number): SegmentFeatureRow {
  const c = features.columns;
  return {
    customer_id: features.customerIds[row] as string,
    recency_days: numberAt(c.recency_days, row),
    orders_count: numberAt(c.orders_count, row) ?? 0,
    monetary_total: numberAt(c.monetary_total, row) ?? 0,
    tenure_first_purchase_days: numberAt(c.tenure_first_purchase_days, row),
    interpurchase_mean_days: numberAt(c.interpurchase_mean_days, row),
    ...('days_since_engagement' in c ? { days_since_engagement: numberAt(c.days_since_engagement, row) } : {}),
  };
}

function numberAt(column: FeatureValues | undefined, row: number): number | null {
  const v = column?.[row];
  return v === null || v === undefined || Number.isNaN(v) ? null : Number(v);
}
