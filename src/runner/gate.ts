/**
 * The promotion gate (pure): compares a candidate's holdout metrics with the incumbent's, measured on the
 * same holdout, and decides whether the candidate may replace it. A model may get worse by at most a
 * tolerance on each metric; a metric the candidate lacks while the incumbent has it counts as worse; a
 * model without an incumbent is promoted. The run promotes only when every model passes (the personas
 * and timing models of one retrain go out together).
 */
import { z } from 'zod';
import { PersonaeError, show } from '../core/errors.js';

export type MetricDirection = 'higher' | 'lower';

/** Whether higher or lower is better, for the metrics personae computes. */
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  brier: 'lower',
  logLoss: 'lower',
  mae: 'lower',
  rmse: 'lower',
  mape: 'lower',
  smape: 'lower',
  calibrationError: 'lower',
  daviesBouldin: 'lower',
  inertia: 'lower',
  auc: 'higher',
  accuracy: 'higher',
  r2: 'higher',
  silhouette: 'higher',
  calinskiHarabasz: 'higher',
  logLikelihood: 'higher',
};

const metricRuleSchema = z
  .object({
    direction: z.enum(['higher', 'lower']).optional(),
    /** Relative worsening allowed (share of the incumbent's value); defaults to the gate's tolerance. */
    relative: z.number().min(0).max(10).optional(),
    /** Worsening allowed in the metric's own unit; the larger of the two allowances applies. */
    absolute: z.number().min(0).optional(),
    /** false: reported, never blocks a promotion. */
    gated: z.boolean().default(true),
  })
  .strict();

export const gateSettingsSchema = z
  .object({
    /** Relative worsening allowed on every metric, e.g. 0.02: a Brier score may grow by 2%. */
    tolerance: z.number().min(0).max(1).default(0.02),
    metrics: z.record(z.string(), metricRuleSchema).default({}),
  })
  .strict();

export type GateSettings = z.input<typeof gateSettingsSchema>;
export type Metrics = Readonly<Record<string, number | null | undefined>>;

export interface GateInput {
  /** Holdout metrics of the newly trained models, by model name. */
  readonly candidate: Readonly<Record<string, Metrics>>;
  /** Metrics of the promoted models on the same holdout; a missing or null entry means no incumbent. */
  readonly incumbent: Readonly<Record<string, Metrics | null | undefined>>;
  readonly settings?: GateSettings;
}

export type Verdict =
  | 'better'
  | 'equal'
  | 'within-tolerance'
  | 'worse'
  | 'missing-candidate'
  | 'new-metric'
  | 'unavailable'
  | 'not-gated';

export interface MetricVerdict {
  readonly metric: string;
  readonly direction: MetricDirection;
  readonly candidate: number | null;
  readonly incumbent: number | null;
  /** How much worse the candidate is, in the metric's unit (negative: better); null when not compared. */
  readonly worsening: number | null;
  /** The worsening allowed by the tolerance; null when not compared. */
  readonly allowed: number | null;
  readonly verdict: Verdict;
  readonly reason: string;
}

export interface ModelDecision {
  readonly model: string;
  readonly decision: 'promote' | 'keep-incumbent';
  readonly hasIncumbent: boolean;
  readonly metrics: readonly MetricVerdict[];
  /** Why, one line per blocking metric (or why it passes). */
  readonly reasons: readonly string[];
}

export interface GateDecision {
  readonly decision: 'promote' | 'keep-incumbent';
  readonly models: readonly ModelDecision[];
  /** One line for logs and run.json. */
  readonly summary: string;
}

const BLOCKING: ReadonlySet<Verdict> = new Set(['worse', 'missing-candidate']);
/** Differences below this are rounding, not a change. */
const EPS = 1e-12;

/** Decides promote / keep-incumbent, with a verdict and a reason per model and metric. */
export function decidePromotion(input: GateInput): GateDecision {
  const parsed = gateSettingsSchema.safeParse(input.settings ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersonaeError(
      'config',
      'gate_bad_settings',
      `gate.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      'see the gate section of the config reference',
    );
  }
  const settings = parsed.data;
  const models = Object.keys(input.candidate)
    .sort()
    .map((model) =>
      decideModel(model, input.candidate[model] as Metrics, input.incumbent[model] ?? null, settings),
    );
  const blocked = models.filter((m) => m.decision === 'keep-incumbent');
  const summary =
    models.length === 0
      ? 'promote: no model metrics to compare'
      : blocked.length === 0
        ? `promote: ${models.length} ${models.length === 1 ? 'model' : 'models'} compared, none worse beyond the tolerance`
        : `keep incumbent: ${blocked.map((m) => `${m.model} (${m.reasons.join('; ')})`).join('; ')}`;
  return { decision: blocked.length === 0 ? 'promote' : 'keep-incumbent', models, summary };
}

type Settings = z.infer<typeof gateSettingsSchema>;

function decideModel(
  model: string,
  candidate: Metrics,
  incumbent: Metrics | null,
  settings: Settings,
): ModelDecision {
  const names = [...new Set([...Object.keys(candidate), ...Object.keys(incumbent ?? {})])].sort();
  const metrics = names.map((metric) =>
    judgeMetric(
      model,
      metric,
      value(candidate[metric]),
      incumbent ? value(incumbent[metric]) : null,
      settings,
    ),
  );
  if (incumbent === null) {
    return {
      model,
      decision: 'promote',
      hasIncumbent: false,
      metrics,
      reasons: ['no incumbent: the first version is promoted'],
    };
  }
  const blocking = metrics.filter((m) => BLOCKING.has(m.verdict));
  return {
    model,
    decision: blocking.length === 0 ? 'promote' : 'keep-incumbent',
    hasIncumbent: true,
    metrics,
    reasons: blocking.length > 0 ? blocking.map((m) => m.reason) : ['no metric worse beyond the tolerance'],
  };
}

function value(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function judgeMetric(
  model: string,
  metric: string,
  candidate: number | null,
  incumbent: number | null,
  settings: Settings,
): MetricVerdict {
  const rule = settings.metrics[metric];
  const direction = rule?.direction ?? METRIC_DIRECTIONS[metric];
  if (direction === undefined) {
    throw new PersonaeError(
      'config',
      'gate_unknown_metric',
      `the gate does not know whether a higher or lower ${show(metric)} (model ${model}) is better`,
      `declare it in the config: gate.metrics.${metric}.direction: higher | lower (or gated: false)`,
    );
  }
  const base = { metric, direction, candidate, incumbent };
  const fmt = (x: number): string => formatNumber(x);
  if (rule?.gated === false) {
    return {
      ...base,
      worsening: null,
      allowed: null,
      verdict: 'not-gated',
      reason: `${metric}: reported only (not gated)`,
    };
  }
  if (incumbent === null) {
    return candidate === null
      ? {
          ...base,
          worsening: null,
          allowed: null,
          verdict: 'unavailable',
          reason: `${metric}: unavailable for both`,
        }
      : {
          ...base,
          worsening: null,
          allowed: null,
          verdict: 'new-metric',
          reason: `${metric}: ${fmt(candidate)} (no incumbent value to compare)`,
        };
  }
  if (candidate === null) {
    return {
      ...base,
      worsening: null,
      allowed: null,
      verdict: 'missing-candidate',
      reason: `${metric}: the candidate has no value, the incumbent has ${fmt(incumbent)}`,
    };
  }
  const worsening = direction === 'lower' ? candidate - incumbent : incumbent - candidate;
  const allowed = Math.max(rule?.absolute ?? 0, (rule?.relative ?? settings.tolerance) * Math.abs(incumbent));
  const relative = incumbent !== 0 ? ` (${(Math.abs(worsening / incumbent) * 100).toFixed(1)}%)` : '';
  const compared = `${metric} ${fmt(candidate)} vs ${fmt(incumbent)}`;
  if (Math.abs(worsening) <= EPS)
    return { ...base, worsening: 0, allowed, verdict: 'equal', reason: `${compared}: unchanged` };
  if (worsening < 0)
    return {
      ...base,
      worsening,
      allowed,
      verdict: 'better',
      reason: `${compared}: better by ${fmt(-worsening)}${relative}`,
    };
  if (worsening <= allowed + EPS) {
    return {
      ...base,
      worsening,
      allowed,
      verdict: 'within-tolerance',
      reason: `${compared}: worse by ${fmt(worsening)}${relative}, within the tolerance ${fmt(allowed)}`,
    };
  }
  return {
    ...base,
    worsening,
    allowed,
    verdict: 'worse',
    reason: `${compared}: worse by ${fmt(worsening)}${relative}, beyond the tolerance ${fmt(allowed)}`,
  };
}

function formatNumber(x: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1000 || abs < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

/**
 * The error a retrain ends with when the gate keeps the incumbent: kind "gate", exit code 3
 * (EXIT_CODES.gate), the blocking reasons in the message.
 */
export function gateRefusal(decision: GateDecision): PersonaeError {
  if (decision.decision === 'promote') throw new RangeError('gateRefusal needs a keep-incumbent decision');
  return new PersonaeError(
    'gate',
    'gate_kept_incumbent',
    `the new models were not promoted; the promoted ones stay in use. ${decision.summary}`,
    'look at the data of this run (drift report, validation summary); raise gate.tolerance only if the loss is acceptable, or promote by hand: personae models promote MODEL VERSION',
  );
}
