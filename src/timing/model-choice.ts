/**
 * Which model scores each horizon, chosen honestly: on a selection backtest that is not the one whose
 * metrics are reported. The model with the lowest Brier score at a horizon in the selection backtest scores
 * that horizon; its metrics at that horizon on the reported backtest (and on the same season a year
 * earlier, when there is one) are what run.json and the report show. Grading the chosen model on the
 * window it was chosen on would flatter it: the winner of a close race is partly the luckiest.
 */
import type { Evaluation, HorizonMetrics } from './evaluate/index.js';
import { qualityGrade, type QualityGrade } from './evaluate/grade.js';

/** A model that was not fitted or not scored, and why (run.json, the log and the report say it). */
export interface SkippedModel {
  readonly model: string;
  /** Where it failed: a backtest window (test, selection, seasonal) or the final fit at the as-of date. */
  readonly stage: string;
  readonly reason: string;
}

export interface HorizonChoice {
  readonly horizon: number;
  /** The model whose P(buy within `horizon` days) goes into the scores. */
  readonly model: string;
  /** Why, in words (the ranking it won, or the fallback it is). */
  readonly reason: string;
  /** Brier score of every candidate at this horizon on the selection backtest (lowest first). */
  readonly selectionBrier: readonly { readonly model: string; readonly brier: number }[];
  /** The chosen model's metrics at this horizon on the reported backtest (null: not scored there). */
  readonly heldOut: HorizonMetrics | null;
  readonly grade: QualityGrade | null;
  /** Its metrics on the same season a year earlier (null: history too short, or not scored there). */
  readonly seasonal: HorizonMetrics | null;
}

export interface ChoiceInput {
  readonly horizons: readonly number[];
  /** The backtest the choice is made on (null when there is none: the fallback order decides). */
  readonly selection: Evaluation | null;
  /** Words for the selection backtest in reasons ("the backtest 2011-03-14 → 2011-06-12"). */
  readonly selectionLabel: string;
  readonly reported: Evaluation | null;
  readonly seasonal: Evaluation | null;
  /** Models that can score at the as-of date (fitted there), in fallback order: the first one is used when no backtest ranks them. */
  readonly available: readonly string[];
}

const metricsAt = (evaluation: Evaluation | null, model: string, horizon: number): HorizonMetrics | null =>
  evaluation?.models.find((m) => m.model === model)?.horizons.find((h) => h.horizon === horizon) ?? null;

/** One choice per horizon; `available` must not be empty (the empirical baseline is always there). */
export function chooseModelsPerHorizon(input: ChoiceInput): HorizonChoice[] {
  return input.horizons.map((horizon): HorizonChoice => {
    const ranking = input.available
      .map((model) => ({ model, brier: metricsAt(input.selection, model, horizon)?.brier ?? Number.NaN }))
      .filter((r) => Number.isFinite(r.brier))
      .sort((a, b) => a.brier - b.brier || a.model.localeCompare(b.model));
    const winner = ranking[0];
    const model = winner?.model ?? (input.available[0] as string);
    const reason = winner
      ? `lowest Brier score for buying within ${horizon} days on ${input.selectionLabel} (${ranking
          .map((r) => `${r.model} ${r.brier.toFixed(4)}`)
          .join(', ')})`
      : `no backtest could rank the models; ${model} is the first that could be fitted (order: ${input.available.join(', ')})`;
    const heldOut = metricsAt(input.reported, model, horizon);
    return {
      horizon,
      model,
      reason,
      selectionBrier: ranking,
      heldOut,
      grade: heldOut ? qualityGrade(heldOut) : null,
      seasonal: metricsAt(input.seasonal, model, horizon),
    };
  });
}
