/**
 * The backtest harness: every model scored on the same holdout customers, against the same actuals (the
 * labels of the window after the cutoff), with the same metrics — AUC, Brier score (and its skill over the
 * base rate), log loss, reliability bins and expected calibration error for P(buy within N days), and the
 * MAE of predicted vs actual holdout purchases — plus a plain-words grade for each model.
 */
import { inputError, show } from '../../core/errors.js';
import type { TimingLabels } from '../labels.js';
import { qualityGrade, type QualityGrade } from './grade.js';
import {
  auc,
  brierScore,
  expectedCalibrationError,
  logLoss,
  mean,
  meanAbsoluteError,
  reliabilityTable,
  type ReliabilityBin,
} from './metrics.js';

/** One model's predictions for the holdout customers (aligned with the actuals). */
export interface ModelScores {
  /** e.g. neural, bgnbd, pareto_nbd, recency_baseline. */
  readonly name: string;
  /** P(buy within N days) keyed by N; horizons a model lacks are left out of its row. */
  readonly pBuy: Readonly<Record<number, ArrayLike<number>>>;
  /** Expected number of purchases (distinct purchase days) over the whole holdout window. */
  readonly expectedPurchases?: ArrayLike<number>;
}

export interface EvaluationOptions {
  /** Default: 30, 60, 90 (those within the holdout window). */
  readonly horizons?: readonly number[];
  readonly calibrationBins?: number;
  /** The horizon the grade and the ranking of models use (default: the first horizon). */
  readonly gradeHorizon?: number;
}

export interface HorizonMetrics {
  readonly horizon: number;
  /** Share of holdout customers who bought within the horizon. */
  readonly baseRate: number;
  readonly auc: number;
  readonly brier: number;
  /** 1 − Brier / Brier of predicting the base rate for everyone (> 0: better than that). */
  readonly brierSkill: number;
  readonly logLoss: number;
  readonly ece: number;
  readonly calibration: readonly ReliabilityBin[];
}

export interface PurchaseCountMetrics {
  readonly mae: number;
  readonly meanPredicted: number;
  readonly meanActual: number;
}

export interface ModelEvaluation {
  readonly model: string;
  readonly horizons: readonly HorizonMetrics[];
  readonly purchases: PurchaseCountMetrics | null;
  readonly grade: QualityGrade | null;
}

export interface Evaluation {
  readonly customers: number;
  readonly windowDays: number;
  readonly gradeHorizon: number;
  readonly models: readonly ModelEvaluation[];
  /** The model with the lowest Brier score at the grade horizon. */
  readonly best: string | null;
}

/** Whether each holdout customer bought within `days` (needs days ≤ the label window). */
export function boughtWithinDays(actual: TimingLabels, days: number): Uint8Array {
  return Uint8Array.from(actual.event, (e, i) => (e === 1 && (actual.daysToNext[i] as number) <= days ? 1 : 0));
}

function horizonMetrics(p: ArrayLike<number>, outcomes: Uint8Array, horizon: number, bins: number): HorizonMetrics {
  const baseRate = mean(outcomes);
  const brier = brierScore(p, outcomes);
  const reference = baseRate * (1 - baseRate);
  const calibration = reliabilityTable(p, outcomes, bins);
  return {
    horizon,
    baseRate,
    auc: auc(p, outcomes),
    brier,
    brierSkill: reference > 0 ? 1 - brier / reference : Number.NaN,
    logLoss: logLoss(p, outcomes),
    ece: expectedCalibrationError(calibration),
    calibration,
  };
}

/**
 * Scores every model on the holdout. `actual` holds the labels of the holdout window for the same
 * customers, in the same order, as every prediction array.
 */
export function evaluateModels(actual: TimingLabels, models: readonly ModelScores[], options: EvaluationOptions = {}): Evaluation {
  const n = actual.daysToNext.length;
  const horizons = options.horizons ?? [30, 60, 90].filter((h) => h <= actual.windowDays);
  if (horizons.length === 0) inputError('evaluation_no_horizon', `no horizon fits in the ${actual.windowDays}-day holdout window`, 'use a holdout of at least 30 days');
  for (const h of horizons) {
    if (!(h > 0 && h <= actual.windowDays)) {
      inputError('evaluation_bad_horizon', `horizon ${show(h)} days is outside the ${actual.windowDays}-day holdout window`, 'use horizons no longer than the holdout');
    }
  }
  const gradeHorizon = options.gradeHorizon ?? (horizons[0] as number);
  const bins = options.calibrationBins ?? 10;
  const outcomes = new Map(horizons.map((h) => [h, boughtWithinDays(actual, h)]));
  const names = new Set<string>();
  const evaluations = models.map((model): ModelEvaluation => {
    if (names.has(model.name)) inputError('evaluation_duplicate_model', `model ${show(model.name)} is listed twice`);
    names.add(model.name);
    const rows = horizons.flatMap((h) => {
      const p = model.pBuy[h];
      if (!p) return [];
      if (p.length !== n) {
        inputError('evaluation_rows_mismatch', `model ${show(model.name)}: ${p.length} predictions of P(buy in ${h} d) for ${n} holdout customers`, 'score the same customers, in the same order, as the actuals');
      }
      return [horizonMetrics(p, outcomes.get(h) as Uint8Array, h, bins)];
    });
    const counts = model.expectedPurchases;
    const purchases = counts
      ? { mae: meanAbsoluteError(counts, actual.purchases), meanPredicted: mean(counts), meanActual: mean(actual.purchases) }
      : null;
    const graded = rows.find((r) => r.horizon === gradeHorizon);
    return { model: model.name, horizons: rows, purchases, grade: graded ? qualityGrade(graded) : null };
  });
  let best: string | null = null;
  let bestBrier = Number.POSITIVE_INFINITY;
  for (const evaluation of evaluations) {
    const brier = evaluation.horizons.find((r) => r.horizon === gradeHorizon)?.brier ?? Number.POSITIVE_INFINITY;
    if (brier < bestBrier) {
      bestBrier = brier;
      best = evaluation.model;
    }
  }
  return { customers: n, windowDays: actual.windowDays, gradeHorizon, models: evaluations, best };
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** The models side by side at one horizon, as a Markdown table (for reports, notebooks and the CLI). */
export function comparisonTable(evaluation: Evaluation, horizon = evaluation.gradeHorizon): string {
  const header = `| model | AUC | Brier | Brier skill | log loss | ECE | MAE purchases (${evaluation.windowDays} d) | grade |`;
  const lines = evaluation.models.map((m) => {
    const r = m.horizons.find((h) => h.horizon === horizon);
    return `| ${m.model} | ${fixed(r?.auc, 3)} | ${fixed(r?.brier, 4)} | ${fixed(r?.brierSkill, 3)} | ${fixed(r?.logLoss, 4)} | ${fixed(r?.ece, 3)} | ${fixed(m.purchases?.mae, 3)} | ${m.grade?.level ?? '–'} |`;
  });
  return [`P(buy within ${horizon} days) on ${evaluation.customers} holdout customers`, '', header, '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}
