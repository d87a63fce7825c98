/**
 * How far to trust the predictions, as figures a marketer can read literally (the report words them):
 * per horizon, the model that scores it, how well it ranked buyers on the reported backtest (AUC), and
 * one line of its reliability table — "of the customers we gave about 60%, 58% bought" — taken from the
 * most confident bin that holds enough customers to mean something; and, when the history reaches it, what
 * it predicted and what happened in the same season a year earlier.
 */
import type { HorizonMetrics, ReliabilityBin } from './evaluate/index.js';
import type { HorizonChoice } from './model-choice.js';

export interface ReliabilityExample {
  readonly customers: number;
  /** Mean predicted P(buy) of these customers. */
  readonly predicted: number;
  /** Share of them who bought. */
  readonly observed: number;
}

export interface HorizonTrust {
  readonly horizon: number;
  readonly model: string;
  readonly auc: number | null;
  readonly grade: string | null;
  readonly ece: number | null;
  readonly example: ReliabilityExample | null;
  /** Whole cohort: mean predicted vs share who bought, on the reported backtest. */
  readonly overall: ReliabilityExample | null;
  /** The same, on the same season a year earlier. */
  readonly seasonal: ReliabilityExample | null;
}

export interface ModelTrust {
  /** The reported backtest window (ISO dates), null without one. */
  readonly window: { readonly cutoff: string; readonly end: string } | null;
  readonly seasonalWindow: { readonly cutoff: string; readonly end: string } | null;
  /** Only when the backtests graded a seeded sample (timing.backtest_max_customers): its size, and out of how many. */
  readonly sample?: { readonly customers: number; readonly of: number };
  readonly horizons: readonly HorizonTrust[];
  /** The model of P(alive), expected purchases and CLV. */
  readonly lifetimeModel: string;
  /** Models that could not be fitted somewhere (the reasons are in run.json and the warnings). */
  readonly skipped: readonly string[];
}

/** A bin must hold at least this many customers, and this share of them, to be quoted. */
const MIN_BIN = 30;
const MIN_BIN_SHARE = 0.02;

export function overallOf(metrics: HorizonMetrics): ReliabilityExample | null {
  const customers = metrics.calibration.reduce((n, b) => n + b.count, 0);
  if (customers === 0) return null;
  const predicted =
    metrics.calibration.reduce((s, b) => s + (b.count > 0 ? b.count * b.meanPredicted : 0), 0) / customers;
  return { customers, predicted, observed: metrics.baseRate };
}

/** The most confident bin with enough customers (null when none has). */
export function reliabilityExample(bins: readonly ReliabilityBin[]): ReliabilityExample | null {
  const total = bins.reduce((n, b) => n + b.count, 0);
  const enough = Math.max(MIN_BIN, MIN_BIN_SHARE * total);
  const bin = bins.filter((b) => b.count >= enough).sort((a, b) => b.meanPredicted - a.meanPredicted)[0];
  return bin ? { customers: bin.count, predicted: bin.meanPredicted, observed: bin.observedRate } : null;
}

export function modelTrust(input: {
  readonly choice: readonly HorizonChoice[];
  readonly window: ModelTrust['window'];
  readonly seasonalWindow: ModelTrust['seasonalWindow'];
  readonly lifetimeModel: string;
  readonly skipped: readonly { readonly model: string }[];
  readonly sample?: { readonly customers: number; readonly of: number };
}): ModelTrust {
  const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);
  return {
    window: input.window,
    seasonalWindow: input.seasonalWindow,
    ...(input.sample ? { sample: input.sample } : {}),
    lifetimeModel: input.lifetimeModel,
    skipped: [...new Set(input.skipped.map((s) => s.model))],
    horizons: input.choice.map((c) => ({
      horizon: c.horizon,
      model: c.model,
      auc: finite(c.heldOut?.auc),
      grade: c.grade?.level ?? null,
      ece: finite(c.heldOut?.ece),
      example: c.heldOut ? reliabilityExample(c.heldOut.calibration) : null,
      overall: c.heldOut ? overallOf(c.heldOut) : null,
      seasonal: c.seasonal ? overallOf(c.seasonal) : null,
    })),
  };
}
