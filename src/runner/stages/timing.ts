import { PersonaeError, isPersonaeError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { addDays, MS_PER_DAY, toIsoDate } from '../../core/time.js';
import {
  fitPreprocessing,
  transform,
  type FeatureColumns,
  type FeatureValues,
  type PreprocessingParams,
} from '../../features/preprocessing.js';
import { queryRows } from '../../io/duckdb.js';
import { chooseBackend } from '../../timing/backend.js';
import { groupRfm, waitOrder, type PurchaseCountModel, type RfmColumns } from '../../timing/base-fitter.js';
import { backtestSample } from '../../timing/backtest-sample.js';
import { predictCustomers, type BtydPrediction } from '../../timing/btyd-predictions.js';
import { BTYD_MODELS, type FittableBtyd } from '../../timing/btyd-models.js';
import {
  EMPIRICAL_MODEL,
  empiricalPredictions,
  empiricalSpend,
  recencyDays,
} from '../../timing/empirical-predictions.js';
import {
  evaluateModels,
  fitRecencyBaseline,
  predictRecencyBaseline,
  type Evaluation,
  type ModelScores,
  type RecencyBaseline,
} from '../../timing/evaluate/index.js';
import { GammaGammaModel } from '../../timing/gamma-gamma.js';
import { ledgerLabels, type TimingLabels } from '../../timing/labels.js';
import { chooseModelsPerHorizon, type HorizonChoice, type SkippedModel } from '../../timing/model-choice.js';
import { trainNeuralTimingModel, type NeuralTimingModel } from '../../timing/neural/index.js';
import { trainingSample } from '../../timing/neural/training-sample.js';
import { dayToDate, rfmSummary, type PurchaseLedger, type RfmSummary } from '../../timing/rfm-summary.js';
import { modelTrust, type ModelTrust } from '../../timing/trust.js';
import { PredictionTable } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import { clvSettings, purchaseLedgerOf } from './purchases.js';
import type { FeatureTable } from './features.js';
import { FeatureDates, readFeatureColumns, type FeatureDateOptions } from './timing-feature-dates.js';

/** Promoted models of the registry, scored on this run's backtest next to the new ones (retrain's gate). */
export interface Incumbents {
  readonly bgnbd?: PurchaseCountModel;
  readonly neural?: { readonly model: NeuralTimingModel; readonly preprocessing: PreprocessingParams };
}

/** One backtest: models fitted up to `cutoff`, graded on the `windowDays` after it. */
export interface BacktestWindow {
  /** test: the metrics reported; selection: where the scoring model is chosen; seasonal: a year before the scored season. */
  readonly role: 'test' | 'selection' | 'seasonal';
  readonly cutoff: string;
  readonly end: string;
  readonly customers: number;
  readonly evaluation: Evaluation;
}

export interface TimingResult {
  /** Predictions at the as-of date for every eligible customer with at least one purchase, on the features' rows. */
  readonly predictions: PredictionTable;
  /** The reported backtest (its `best` is the model that scores the grade horizon). */
  readonly evaluation: Evaluation | undefined;
  /** Per horizon: the model whose P(buy) goes into the scores, why, and its held-out metrics. */
  readonly choice: readonly HorizonChoice[];
  /** How the choice was kept apart from the reported metrics (a window, a customer split, or none). */
  readonly selection: string;
  readonly backtests: readonly BacktestWindow[];
  /**
   * Only when the backtests graded a seeded sample (more customers with a purchase than
   * timing.backtest_max_customers): its size and the number sampled from. Their metrics are estimates on it.
   */
  readonly backtestSample?: { readonly customers: number; readonly of: number };
  /** The model of P(alive), expected purchases, CLV (a BTYD model, or the empirical floor). */
  readonly lifetimeModel: string;
  /** The model whose P(buy within 30 days) goes into the scores (choice at 30 days). */
  readonly chosenModel: string;
  readonly skipped: readonly SkippedModel[];
  /** The same in figures a marketer can read (the report's "how far to trust the predictions"). */
  readonly trust?: ModelTrust;
  readonly backend: string | undefined;
  readonly models: {
    /** The BTYD models fitted on all history up to the as-of date (those that could be). */
    readonly btyd: Readonly<Record<string, FittableBtyd>>;
    readonly gammaGamma: GammaGammaModel | undefined;
    readonly neural: NeuralTimingModel | undefined;
    readonly neuralPreprocessing: PreprocessingParams | undefined;
  };
  readonly notes: string[];
}

const DAY = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);
const MIN_COHORT = 50;

interface WindowRun extends BacktestWindow {
  readonly labels: TimingLabels;
  readonly scores: readonly ModelScores[];
  readonly neural?: Omit<NeuralBacktest, 'incumbent'>;
}

/**
 * Stage 4: purchase-timing models. Up to three backtests, each fitting every model up to its cutoff and
 * grading it on the `holdout_days` after it: the test backtest (the last window before the as-of date,
 * whose metrics are reported), the selection backtest (the window before that, where the scoring model of
 * each horizon is chosen; a seeded half of the test customers when the history is too short) and the
 * seasonal backtest (the same season a year earlier, when the history reaches it). Then BG/NBD, MBG/NBD,
 * Pareto/NBD and Gamma-Gamma are refitted on all history. A model that cannot be fitted is skipped with its
 * reason; the run fails only when not even the empirical recency baseline can score.
 */
export async function timingStage(
  ctx: RunContext,
  features: FeatureTable,
  incumbents?: Incumbents,
): Promise<[TimingResult]> {
  const settings = ctx.config.timing;
  const notes: string[] = [];
  const skipped: SkippedModel[] = [];
  // Typed arrays, not an object per order (see purchaseLedgerOf).
  const rows = await purchaseLedgerOf(ctx.engine.connection);
  const asOfDay = DAY(ctx.asOf);
  const holdout = settings.holdout_days;
  const horizons = [30, 60, 90].filter((h) => h <= holdout);
  const firstDay = rows.days.reduce((m, day) => Math.min(m, day), Number.POSITIVE_INFINITY);
  // Beyond timing.backtest_max_customers the backtests grade a seeded sample (the same one in every window).
  const sample = backtestSample(rows, settings.backtest_max_customers, ctx.config.seed);
  const graded = sample?.ledger ?? rows;
  if (sample)
    notes.push(
      `backtests graded on a seeded sample of ${sample.customers} of the ${sample.of} customers with a purchase (timing.backtest_max_customers): their metrics are estimates on it; the BTYD models and the recency baseline are fitted on every customer's history up to each cutoff, the neural model is trained on the sample's customers`,
    );
  const plan = [
    { role: 'test', cutoffDay: asOfDay - holdout },
    { role: 'selection', cutoffDay: asOfDay - 2 * holdout },
    { role: 'seasonal', cutoffDay: asOfDay - 365 },
  ] as const;
  const progress = (done: number): void => ctx.log.progress('timing models', done, plan.length + 1);
  progress(0);
  // A window needs as much history before its cutoff as it grades after it.
  const runnable = plan.filter(({ cutoffDay }) => cutoffDay - firstDay >= holdout);
  const featureDates = new FeatureDates(
    ctx.engine.connection,
    neuralFeatureOptions(ctx),
    settings.neural ? sharedFeatureDates(runnable.map(({ cutoffDay }) => dayToDate(cutoffDay)), holdout, firstDay) : [],
    sample?.ledger.customerIds,
  );
  const windows: WindowRun[] = [];
  try {
    for (const [i, { role, cutoffDay }] of plan.entries()) {
      if (!runnable.some((w) => w.role === role)) {
        notes.push(
          `${role} backtest skipped: the history starts ${toIsoDate(dayToDate(firstDay))}, less than ${holdout} days before its cutoff ${toIsoDate(dayToDate(cutoffDay))}`,
        );
      } else {
        const run = await backtest(
          ctx,
          features,
          featureDates,
          rows,
          graded,
          role,
          cutoffDay,
          holdout,
          firstDay,
          skipped,
          notes,
          role === 'test' ? incumbents : undefined,
        );
        if (run) windows.push(run);
      }
      progress(i + 1);
    }
  } finally {
    await featureDates.dropAll();
  }
  const test = windows.find((w) => w.role === 'test');
  const neuralRun = test?.neural;

  const full = rfmSummary(rows, { calibrationEndDay: asOfDay, timeUnit: 'day' });
  const fitted: Record<string, FittableBtyd> = {};
  for (const spec of BTYD_MODELS) {
    const model = tryFit(
      () => spec.make().fit(informative(full), { seed: ctx.config.seed }),
      skipped,
      spec.name,
      'as-of',
    );
    if (model) fitted[spec.name] = model;
  }
  const gammaGamma = tryFit(
    () => new GammaGammaModel().fit(informative(full), { seed: ctx.config.seed }),
    skipped,
    'gamma_gamma',
    'as-of',
  );
  const spend = gammaGamma ?? empiricalSpend(full.frequency, full.monetary);
  if (!gammaGamma)
    notes.push('spend per order: each repeat buyer’s own mean (Gamma-Gamma could not be fitted)');
  const baselineAtAsOf = trainBaseline(rows, asOfDay, holdout);
  if (typeof baselineAtAsOf === 'string')
    skipped.push({ model: EMPIRICAL_MODEL, stage: 'as-of', reason: baselineAtAsOf });

  const available = [
    ...Object.keys(fitted),
    ...(neuralRun ? ['neural'] : []),
    ...(typeof baselineAtAsOf === 'string' ? [] : [EMPIRICAL_MODEL]),
  ];
  if (available.length === 0 || (Object.keys(fitted).length === 0 && typeof baselineAtAsOf === 'string')) {
    throw new PersonaeError(
      'convergence',
      'timing.nothing_fits',
      `no purchase-timing model could be fitted at ${toIsoDate(ctx.asOf)}: ${skipped.map((s) => `${s.model} (${s.stage}): ${s.reason}`).join('; ')}`,
      `the data carry too little purchase history: use a later --as-of or a shorter timing.holdout_days (now ${holdout}), so that at least ${MIN_COHORT} customers bought before ${toIsoDate(addDays(ctx.asOf, -holdout))}`,
    );
  }
  const { selection, selectionLabel, reported } = selectionAndReported(windows, available, ctx.config.seed);
  const seasonalWindow = windows.find((w) => w.role === 'seasonal');
  const seasonal = seasonalWindow?.evaluation ?? null;
  const choice = chooseModelsPerHorizon({
    horizons,
    selection,
    selectionLabel,
    reported,
    seasonal,
    available,
  });
  // Without the baseline (too little history for it) an unchecked BTYD fit is better than nothing.
  const lifetimeModel =
    lifetimeModelOf(fitted, selection) ??
    (typeof baselineAtAsOf === 'string' ? Object.keys(fitted)[0] : undefined);

  const lifetime = lifetimeModel
    ? predictCustomers(full, fitted[lifetimeModel] as FittableBtyd, spend, clvSettings(settings))
    : empiricalPredictions(full, baselineAtAsOf as RecencyBaseline, spend, clvSettings(settings));
  const neuralAtAsOf =
    neuralRun && choice.some((c) => c.model === 'neural')
      ? predictNeural(neuralRun.model, neuralRun.preprocessing, features)
      : undefined;
  const recency = recencyDays(full);
  const rowOf = new Map<string, number>();
  features.customerIds.forEach((id, row) => rowOf.set(id, row));
  const btydPBuy = new Map<string, Map<number, Float64Array>>();
  const pBuyOf = (model: string, h: number, i: number, customerId: string): number => {
    if (model === 'neural') {
      const row = rowOf.get(customerId);
      return row === undefined ? Number.NaN : (neuralAtAsOf?.pBuy[h]?.[row] ?? Number.NaN);
    }
    if (model === EMPIRICAL_MODEL)
      return (
        predictRecencyBaseline(baselineAtAsOf as RecencyBaseline, [recency[i] as number]).pBuy[h]?.[0] ??
        Number.NaN
      );
    let perHorizon = btydPBuy.get(model);
    if (!perHorizon) {
      // Once per unique (x, t_x, T) for the horizons this model scores (see uniqueRowValues).
      const m = fitted[model] as FittableBtyd;
      const scored = choice.filter((c) => c.model === model).map((c) => c.horizon);
      const values = uniqueRowValues(full, scored.length, (x, tx, T, out) =>
        scored.forEach((hh, k) => (out[k] = clamp01(1 - m.pPurchases(0, hh, x, tx, T)))),
      );
      perHorizon = new Map(scored.map((hh, k) => [hh, values[k] as Float64Array]));
      btydPBuy.set(model, perHorizon);
    }
    return perHorizon.get(h)?.[i] ?? Number.NaN;
  };
  const label = modelLabel(choice);
  // Typed columns on the features' rows, not an object per customer (src/timing/types.ts).
  const predictions = new PredictionTable(features.customerIds);
  lifetime.forEach((p, i) => {
    const row = rowOf.get(p.customerId);
    if (row === undefined) return;
    const [c30, c60, c90] = choice;
    const pBuy = (c: HorizonChoice | undefined, own: number): number => {
      if (!c || c.model === (lifetimeModel ?? EMPIRICAL_MODEL)) return own;
      const v = pBuyOf(c.model, c.horizon, i, p.customerId);
      return Number.isFinite(v) ? v : own;
    };
    const neural = c30?.model === 'neural' ? neuralAtAsOf : undefined;
    const { pRepurchase: _pRepurchase, ...rest } = p as BtydPrediction;
    predictions.set(row, {
      ...rest,
      pBuy30: pBuy(c30, p.pBuy30),
      pBuy60: pBuy(c60, p.pBuy60),
      pBuy90: pBuy(c90, p.pBuy90),
      ...(neural
        ? {
            nextPurchaseDays: finiteOrNull(neural.median[row] as number),
            nextPurchaseLow: finiteOrNull(neural.low[row] as number),
            nextPurchaseHigh: finiteOrNull(neural.high[row] as number),
          }
        : {}),
      model: label,
    });
  });
  progress(plan.length + 1);
  for (const warning of skipWarnings(skipped)) {
    ctx.warnings.push(warning);
    ctx.log.warn(`timing: ${warning}`);
  }
  if (!lifetimeModel)
    ctx.warnings.push(
      'no BTYD model could be fitted and checked on a backtest: P(alive), expected purchases and CLV come from the empirical recency baseline (how often customers of the same recency bought again within 90 days)',
    );
  ctx.log.info(
    `timing: scores use ${choice.map((c) => `${c.model} at ${c.horizon} d`).join(', ')}; P(alive) and CLV from ${lifetimeModel ?? EMPIRICAL_MODEL}`,
  );
  const evaluation = test
    ? {
        ...test.evaluation,
        best: choice.find((c) => c.horizon === test.evaluation.gradeHorizon)?.model ?? null,
      }
    : undefined;
  return [
    {
      predictions,
      evaluation,
      choice,
      selection: selectionLabel,
      backtests: windows.map(({ role, cutoff, end, customers, evaluation: e }) => ({
        role,
        cutoff,
        end,
        customers,
        evaluation: e,
      })),
      ...(sample ? { backtestSample: { customers: sample.customers, of: sample.of } } : {}),
      lifetimeModel: lifetimeModel ?? EMPIRICAL_MODEL,
      chosenModel: choice[0]?.model ?? EMPIRICAL_MODEL,
      skipped,
      trust: modelTrust({
        choice,
        window: test ? { cutoff: test.cutoff, end: test.end } : null,
        seasonalWindow: seasonalWindow ? { cutoff: seasonalWindow.cutoff, end: seasonalWindow.end } : null,
        lifetimeModel: lifetimeModel ?? EMPIRICAL_MODEL,
        skipped,
        ...(sample ? { sample: { customers: sample.customers, of: sample.of } } : {}),
      }),
      backend: neuralRun?.backend,
      models: {
        btyd: fitted,
        gammaGamma,
        neural: neuralRun?.model,
        neuralPreprocessing: neuralRun?.preprocessing,
      },
      notes,
    },
  ];
}

/** "neural" when one model scores every horizon, else "30d:neural;60d:neural;90d:bgnbd" (scores.csv's timing_model). */
function modelLabel(choice: readonly HorizonChoice[]): string {
  const models = new Set(choice.map((c) => c.model));
  return models.size === 1
    ? (choice[0]?.model ?? EMPIRICAL_MODEL)
    : choice.map((c) => `${c.horizon}d:${c.model}`).join(';');
}

const MODEL_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(BTYD_MODELS.map((m) => [m.name, m.label])),
  gamma_gamma: 'Gamma-Gamma',
  neural: 'The neural model',
  [EMPIRICAL_MODEL]: 'The recency baseline',
};

/** One warning per model: where it could not be used, and the first reason (all of them are in run.json). */
export function skipWarnings(skipped: readonly SkippedModel[]): string[] {
  const byModel = new Map<string, { stages: string[]; reason: string }>();
  for (const s of skipped) {
    const entry = byModel.get(s.model);
    if (entry) entry.stages.push(s.stage);
    else byModel.set(s.model, { stages: [s.stage], reason: s.reason });
  }
  return [...byModel].map(([model, { stages, reason }]) => {
    const label = MODEL_LABELS[model] ?? model;
    const own = reason.startsWith(`${label}: `) ? reason.slice(label.length + 2) : reason;
    return `${label} was not used (${stages.join(', ')}): ${own}`;
  });
}

/**
 * The evaluation the choice is made on and the one reported. With a selection window: that window, and the
 * test window. Without one (history too short): a seeded half of the test customers chooses, the other
 * half is reported. Without a test window: nothing to choose on (fallback order) and nothing to report.
 */
function selectionAndReported(
  windows: readonly WindowRun[],
  available: readonly string[],
  seed: number,
): { selection: Evaluation | null; selectionLabel: string; reported: Evaluation | null } {
  const test = windows.find((w) => w.role === 'test');
  const selectionWindow = windows.find((w) => w.role === 'selection');
  if (!test) return { selection: null, selectionLabel: 'no backtest (history too short)', reported: null };
  const scored = (w: WindowRun, model: string): boolean => w.scores.some((s) => s.name === model);
  // The earlier window must grade every candidate the test window grades, else it would choose among fewer.
  const missing = selectionWindow
    ? available.filter((m) => scored(test, m) && !scored(selectionWindow, m))
    : [];
  if (selectionWindow && missing.length === 0)
    return {
      selection: selectionWindow.evaluation,
      selectionLabel: `the backtest ${selectionWindow.cutoff} → ${selectionWindow.end} (before the reported one)`,
      reported: test.evaluation,
    };
  const rng = Rng.derive(seed, 'timing/selection-split');
  const inSelection = Array.from({ length: test.customers }, () => rng.next() < 0.5);
  const part = (keep: boolean): Evaluation => {
    const idx: number[] = [];
    inSelection.forEach((s, i) => {
      if (s === keep) idx.push(i);
    });
    return evaluateModels(
      subsetLabels(test.labels, idx),
      test.scores.map((s) => subsetScores(s, idx)),
      { gradeHorizon: test.evaluation.gradeHorizon },
    );
  };
  return {
    selection: part(true),
    selectionLabel: `a random half of the customers of the backtest ${test.cutoff} → ${test.end} (${
      selectionWindow
        ? `the earlier backtest ${selectionWindow.cutoff} → ${selectionWindow.end} could not grade ${missing.join(', ')}`
        : 'the history is too short for an earlier backtest'
    }; the metrics reported are those of the other half)`,
    reported: part(false),
  };
}

function subsetLabels(l: TimingLabels, idx: readonly number[]): TimingLabels {
  return {
    daysToNext: Float64Array.from(idx, (i) => l.daysToNext[i] as number),
    event: Uint8Array.from(idx, (i) => l.event[i] as number),
    purchases: Float64Array.from(idx, (i) => l.purchases[i] as number),
    windowDays: l.windowDays,
  };
}

function subsetScores(s: ModelScores, idx: readonly number[]): ModelScores {
  const pick = (a: ArrayLike<number>): Float64Array => Float64Array.from(idx, (i) => a[i] as number);
  return {
    name: s.name,
    pBuy: Object.fromEntries(Object.entries(s.pBuy).map(([h, p]) => [h, pick(p)])),
    ...(s.expectedPurchases ? { expectedPurchases: pick(s.expectedPurchases) } : {}),
  };
}

/**
 * The BTYD model of P(alive) and CLV: among those fitted at the as-of date, the one with the best Brier at
 * the longest horizon in the selection backtest. One that could not be checked there (it failed in the
 * backtests) is not trusted with P(alive): the empirical floor is used instead. Without any backtest, the
 * first fitted one.
 */
function lifetimeModelOf(
  fitted: Readonly<Record<string, FittableBtyd>>,
  selection: Evaluation | null,
): string | undefined {
  const names = Object.keys(fitted);
  if (!selection) return names[0];
  const longest = (name: string): number => {
    const rows = selection.models.find((m) => m.model === name)?.horizons ?? [];
    return rows[rows.length - 1]?.brier ?? Number.NaN;
  };
  return names
    .filter((n) => Number.isFinite(longest(n)))
    .sort((a, b) => longest(a) - longest(b) || names.indexOf(a) - names.indexOf(b))[0];
}

/**
 * The empirical recency baseline for predictions at `cutoffDay`: recency buckets of the customers who had
 * bought by `cutoffDay − window`, with what they did in the `window` days after that. A reason when there
 * are too few of them.
 */
function trainBaseline(
  rows: PurchaseLedger,
  cutoffDay: number,
  window: number,
): RecencyBaseline | string {
  const trainDay = cutoffDay - window;
  const train = rfmSummary(rows, { calibrationEndDay: trainDay, timeUnit: 'day' });
  if (train.customerIds.length < MIN_COHORT)
    return `only ${train.customerIds.length} customers bought by ${toIsoDate(dayToDate(trainDay))} (at least ${MIN_COHORT} needed to learn recency rates)`;
  const labels = labelsFor(rows, train.customerIds, dayToDate(trainDay), window);
  return fitRecencyBaseline(recencyDays(train), labels);
}

/**
 * One backtest window: every model fitted up to the cutoff, scored on the same customers and labels. The
 * customers graded (and those the neural model trains on) are `graded`'s, the backtest sample's beyond
 * timing.backtest_max_customers; the BTYD models and the recency baseline are fitted on all of `rows`.
 */
async function backtest(
  ctx: RunContext,
  features: FeatureTable,
  featureDates: FeatureDates,
  rows: PurchaseLedger,
  graded: PurchaseLedger,
  role: BacktestWindow['role'],
  cutoffDay: number,
  holdout: number,
  firstDay: number,
  skipped: SkippedModel[],
  notes: string[],
  incumbents: Incumbents | undefined,
): Promise<WindowRun | undefined> {
  const cutoff = dayToDate(cutoffDay);
  const period = { calibrationEndDay: cutoffDay, holdoutEndDay: cutoffDay + holdout, timeUnit: 'day' } as const;
  const all = rfmSummary(rows, period);
  const summary = graded === rows ? all : rfmSummary(graded, period);
  if (summary.customerIds.length < MIN_COHORT) {
    notes.push(
      `${role} backtest skipped: only ${summary.customerIds.length} customers bought by ${toIsoDate(cutoff)} (at least ${MIN_COHORT} needed)`,
    );
    return undefined;
  }
  const stage = `${role} backtest`;
  const labels = labelsFor(graded, summary.customerIds, cutoff, holdout);
  const scores: ModelScores[] = [];
  for (const spec of BTYD_MODELS) {
    const model = tryFit(
      () => spec.make().fit(informative(all), { seed: ctx.config.seed }),
      skipped,
      spec.name,
      stage,
    );
    if (model) scores.push(btydScores(spec.name, model, summary, holdout));
  }
  const baseline = trainBaseline(rows, cutoffDay, holdout);
  if (typeof baseline === 'string') skipped.push({ model: EMPIRICAL_MODEL, stage, reason: baseline });
  else {
    const p = predictRecencyBaseline(baseline, recencyDays(summary));
    scores.push({ name: EMPIRICAL_MODEL, pBuy: p.pBuy, expectedPurchases: p.expectedPurchases });
  }
  const neural = await neuralBacktest(
    ctx,
    features,
    featureDates,
    graded,
    summary,
    cutoff,
    holdout,
    firstDay,
    notes,
    incumbents?.neural,
  ).catch(
    (error: unknown) => {
      // The neural model is one candidate among others: data it cannot learn from skips it, with the reason.
      if (!isPersonaeError(error)) throw error;
      skipped.push({ model: 'neural', stage, reason: error.message });
      return undefined;
    },
  );
  if (neural) scores.push(neural.scores);
  if (incumbents?.bgnbd) scores.push(btydScores('incumbent_bgnbd', incumbents.bgnbd, summary, holdout));
  if (neural?.incumbent) {
    if ('error' in neural.incumbent) throw neural.incumbent.error;
    scores.push(neural.incumbent);
  }
  return {
    role,
    cutoff: toIsoDate(cutoff),
    end: toIsoDate(dayToDate(cutoffDay + holdout)),
    customers: summary.customerIds.length,
    evaluation: evaluateModels(labels, scores, { gradeHorizon: 30 }),
    labels,
    scores,
    ...(neural ? { neural: withoutIncumbent(neural) } : {}),
  };
}

function withoutIncumbent({ incumbent: _incumbent, ...kept }: NeuralBacktest): Omit<NeuralBacktest, 'incumbent'> {
  return kept;
}

function neuralPBuy(
  p: { pBuy30: Float64Array; pBuy60: Float64Array; pBuy90: Float64Array },
  holdout: number,
): Record<number, Float64Array> {
  const pBuy: Record<number, Float64Array> = {};
  for (const [h, v] of [
    [30, p.pBuy30],
    [60, p.pBuy60],
    [90, p.pBuy90],
  ] as const)
    if (h <= holdout) pBuy[h] = v;
  return pBuy;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * The customers a BTYD fit can learn from: those first seen before the calibration end (T > 0). A customer
 * whose first purchase is on the last day carries no information about rates; it is still predicted.
 */
function informative(s: RfmSummary): RfmColumns & { monetary: Float64Array } {
  const keep: number[] = [];
  s.age.forEach((T, i) => {
    if (T > 0) keep.push(i);
  });
  const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (i) => a[i] as number);
  return {
    frequency: pick(s.frequency),
    recency: pick(s.recency),
    age: pick(s.age),
    monetary: pick(s.monetary),
  };
}

function tryFit<T>(fit: () => T, skipped: SkippedModel[], model: string, stage: string): T | undefined {
  try {
    return fit();
  } catch (error) {
    skipped.push({ model, stage, reason: (error as Error).message });
    return undefined;
  }
}

/** Labels are built about a dozen times a run (each window, baseline and neural training window) from the same purchases. */
const positionsOf = new WeakMap<PurchaseLedger, ReadonlyMap<string, number>>();

/** Each customer's position in the ledger; built once per ledger. */
function ledgerPositions(ledger: PurchaseLedger): ReadonlyMap<string, number> {
  const known = positionsOf.get(ledger);
  if (known) return known;
  const positions = new Map<string, number>();
  ledger.customerIds.forEach((id, k) => positions.set(id, k));
  positionsOf.set(ledger, positions);
  return positions;
}

function labelsFor(
  ledger: PurchaseLedger,
  customerIds: readonly string[],
  cutoff: Date,
  windowDays: number,
): TimingLabels {
  const positions = ledgerPositions(ledger);
  return ledgerLabels(
    ledger,
    Int32Array.from(customerIds, (id) => positions.get(id) ?? -1),
    { cutoff, windowDays },
  );
}

/**
 * P(buy) at each horizon and the expected purchases in the holdout: computed once per unique (x, t_x, T)
 * (customers sharing one get the same values, bit for bit), in (x, T) order with every horizon at once, which
 * matters for Pareto/NBD: its P(buy) if alive is an integral that depends on (x, T) alone.
 */
function btydScores(name: string, model: PurchaseCountModel, s: RfmSummary, holdout: number): ModelScores {
  const horizons = [30, 60, 90].filter((h) => h <= holdout);
  const values = uniqueRowValues(s, horizons.length + 1, (x, tx, T, out) => {
    horizons.forEach((h, k) => (out[k] = 1 - model.pPurchases(0, h, x, tx, T)));
    out[horizons.length] = model.conditionalExpectedPurchases(holdout, x, tx, T);
  });
  return {
    name,
    pBuy: Object.fromEntries(horizons.map((h, k) => [h, values[k] as Float64Array])),
    expectedPurchases: values[horizons.length] as Float64Array,
  };
}

/**
 * `width` values per customer of `s`, computed by `fill` once per unique (x, t_x, T) in (x, T) order (see
 * waitOrder) and fanned out to the customers: one Float64Array per value, in the customers' order.
 */
function uniqueRowValues(
  s: Pick<RfmSummary, 'frequency' | 'recency' | 'age'>,
  width: number,
  fill: (x: number, tx: number, T: number, out: Float64Array) => void,
): Float64Array[] {
  const rows = groupRfm(s.frequency, s.recency, s.age);
  const unique = new Float64Array(rows.frequency.length * width);
  for (const u of waitOrder(rows))
    fill(rows.frequency[u] as number, rows.recency[u] as number, rows.age[u] as number, unique.subarray(u * width, (u + 1) * width));
  return Array.from({ length: width }, (_, k) => Float64Array.from(rows.rowIndex, (u) => unique[u * width + k] as number));
}

interface NeuralBacktest {
  model: NeuralTimingModel;
  preprocessing: PreprocessingParams;
  scores: ModelScores;
  backend: string;
  /** The promoted neural model scored on the same cohort and features (or why it could not be). */
  incumbent?: ModelScores | { error: unknown };
}

/** Customers whose features are read from DuckDB and scored at a time: a multiple of forwardOutputs' chunk. */
const SCORING_CHUNK = 65_536;

/**
 * Trains the neural model on features at cutoff − holdout with labels from (cutoff − holdout, cutoff],
 * then scores the backtest cohort from features at the cutoff: the same holdout as the BTYD models.
 */
async function neuralBacktest(
  ctx: RunContext,
  features: FeatureTable,
  featureDates: FeatureDates,
  rows: PurchaseLedger,
  evalSummary: RfmSummary,
  cutoff: Date,
  holdout: number,
  firstDay: number,
  notes: string[],
  incumbent: Incumbents['neural'],
): Promise<NeuralBacktest | undefined> {
  if (!ctx.config.timing.neural) return undefined;
  const { connection } = ctx.engine;
  try {
    // Numeric features are read as Float64Arrays (see readFeatureColumns).
    const numeric = new Set(features.catalogue.filter((f) => f.kind !== 'boolean' && f.kind !== 'categorical').map((f) => f.name));
    const trainingSet = await neuralTrainingSet(ctx, featureDates, rows, cutoff, holdout, firstDay, numeric);
    const atCutoff = await featureDates.acquire(cutoff);
    const evalNames = new Set(
      (await queryRows<{ column_name: string }>(connection, `DESCRIBE ${atCutoff}`)).map((c) => c.column_name),
    );
    // Top-N columns (brands, categories) are chosen from the data at each date: use those every table has.
    const names = features.catalogue
      .filter((f) => f.name in trainingSet.columns && evalNames.has(f.name) && f.name in features.columns)
      .map((f) => f.name);
    const preprocessing = fitPreprocessing(trainingSet.columns, features.catalogue, { features: names });
    const choice = await chooseBackend();
    const model = await trainNeuralTimingModel(transform(trainingSet.columns, preprocessing), trainingSet.labels, {
      seed: ctx.config.seed,
      params: { maxEpochs: ctx.config.timing.neural_epochs, horizonDays: Math.floor(holdout / 10) * 10 },
      logger: ctx.log,
    });
    notes.push(
      `neural model (backtest to ${toIsoDate(cutoff)}) trained on ${trainingSet.labels.event.length} customer-windows ending ${trainingSet.windows.map(toIsoDate).join(' and ')}${trainingSet.sampled ? ` (a seeded sample: timing.neural_max_rows is ${ctx.config.timing.neural_max_rows})` : ''}`,
    );
    const scored = await scoreCohort(ctx, atCutoff, evalSummary.customerIds, holdout, numeric, [
      { model, preprocessing },
      ...(incumbent ? [{ ...incumbent, fillMissing: true }] : []),
    ]);
    const [own, theirs] = scored;
    if (own instanceof Error) throw own;
    return {
      model,
      preprocessing,
      backend: choice.name,
      scores: { name: 'neural', pBuy: own },
      ...(incumbent
        ? { incumbent: theirs instanceof Error ? { error: theirs } : { name: 'incumbent_neural', pBuy: theirs as Record<number, Float64Array> } }
        : {}),
    };
  } finally {
    await featureDates.release(cutoff);
  }
}

/** Feature options of the neural model's tables (those of the features stage). */
function neuralFeatureOptions(ctx: RunContext): FeatureDateOptions {
  return {
    topCategories: ctx.config.features.top_categories,
    topBrands: ctx.config.features.top_brands,
    // applyConsent has already removed everyone outside the eligible population from the tables.
    restrictedToPopulation: true,
  };
}

/**
 * The planned uses of the shared feature tables (every customer) of the backtests to `cutoffs`: each cutoff
 * (every customer of its cohort is scored there), and each training date that is also a cutoff or that two
 * windows train on (the seasonal window's first is the test window's second). A training date of one window
 * alone gets a table of that window's sampled customers instead (see FeatureDates): cheaper than every customer's
 * once, but not twice.
 */
function sharedFeatureDates(cutoffs: readonly Date[], holdout: number, firstDay: number): Date[] {
  const training = cutoffs.flatMap((cutoff) => trainingDates(cutoff, holdout, firstDay));
  const shared = (date: Date): boolean =>
    cutoffs.some((c) => DAY(c) === DAY(date)) || training.filter((t) => DAY(t) === DAY(date)).length > 1;
  return cutoffs.flatMap((cutoff) => [...trainingDates(cutoff, holdout, firstDay).filter(shared), cutoff]);
}

/**
 * Ends of the neural model's training windows for a backtest to `cutoff`: the window before the cutoff, and
 * the same season a year earlier, each when the history reaches `holdout` days before it.
 */
function trainingDates(cutoff: Date, holdout: number, firstDay: number): Date[] {
  return [addDays(cutoff, -holdout), addDays(cutoff, -365)].filter((c) => DAY(c) - firstDay >= holdout);
}

/**
 * The neural model's training rows: features at the end of each training window (the window before the
 * cutoff, and the same season a year earlier when the history reaches that far: one window alone carries its
 * own base rate and season into the predictions) with labels from the `holdout` days after it.
 */
async function neuralTrainingSet(
  ctx: RunContext,
  featureDates: FeatureDates,
  rows: PurchaseLedger,
  cutoff: Date,
  holdout: number,
  firstDay: number,
  numeric: ReadonlySet<string>,
): Promise<{ columns: FeatureColumns; labels: TimingLabels; windows: Date[]; sampled: boolean }> {
  const windows = trainingDates(cutoff, holdout, firstDay);
  const parts: { columns: FeatureColumns; labels: TimingLabels }[] = [];
  const perWindow = Math.ceil(ctx.config.timing.neural_max_rows / Math.max(1, windows.length));
  let sampled = false;
  for (const [i, trainCutoff] of windows.entries()) {
    // Customers who had bought by the training cutoff, in the ledger's order (by customer, see purchaseLedgerOf).
    const cohort = rows.customerIds.filter((_, k) => (rows.days[rows.offsets[k] as number] as number) <= DAY(trainCutoff));
    if (cohort.length < MIN_COHORT * 4) {
      await featureDates.release(trainCutoff);
      continue;
    }
    if (cohort.length > perWindow) sampled = true;
    const customers = trainingSample(cohort, perWindow, ctx.config.seed, i);
    try {
      parts.push({
        // A table of the sample alone only when there is one: for a whole cohort, every customer's is as cheap.
        columns: await columnsFor(ctx, await featureDates.acquire(trainCutoff, cohort.length > perWindow ? customers : undefined), customers, numeric),
        labels: labelsFor(rows, customers, trainCutoff, holdout),
      });
    } finally {
      await featureDates.release(trainCutoff);
    }
  }
  if (parts.length === 0) {
    const trainCutoff = toIsoDate(addDays(cutoff, -holdout));
    throw new PersonaeError(
      'convergence',
      'timing.neural_history',
      windows.length === 0
        ? `less than ${holdout} days of history before ${trainCutoff} to learn from`
        : `fewer than ${MIN_COHORT * 4} customers had bought by ${trainCutoff}`,
    );
  }
  return {
    columns: concatColumns(parts.map((p) => p.columns)),
    labels: concatLabels(parts.map((p) => p.labels)),
    windows,
    sampled,
  };
}

interface CohortScorer {
  readonly model: NeuralTimingModel;
  readonly preprocessing: PreprocessingParams;
  /**
   * Top-N columns (brands, categories) can differ between runs: a column an incumbent knew but this data
   * lacks is missing for everyone, and the incumbent's own missing-value policy fills it.
   */
  readonly fillMissing?: boolean;
}

/**
 * P(buy) of each scorer for `customerIds` (in that order) from the features in `table`, read and scored
 * SCORING_CHUNK customers at a time so that neither the feature values nor the matrix is ever held whole.
 * A scorer that fails gives its error instead of its probabilities (the others are still scored).
 */
async function scoreCohort(
  ctx: RunContext,
  table: string,
  customerIds: readonly string[],
  holdout: number,
  numeric: ReadonlySet<string>,
  scorers: readonly CohortScorer[],
): Promise<(Record<number, Float64Array> | Error)[]> {
  const n = customerIds.length;
  const results: (Record<number, Float64Array> | Error)[] = scorers.map(() => ({}));
  for await (const { start, rows: m, columns } of columnChunks(ctx, table, customerIds, SCORING_CHUNK, numeric)) {
    scorers.forEach((scorer, s) => {
      const result = results[s] as Record<number, Float64Array> | Error;
      if (result instanceof Error) return;
      try {
        const own = { ...columns };
        if (scorer.fillMissing)
          for (const f of scorer.preprocessing.features) if (!(f.name in own)) own[f.name] = new Array(m).fill(null);
        const pBuy = neuralPBuy(scorer.model.predict(transform(own, scorer.preprocessing)), holdout);
        for (const [h, p] of Object.entries(pBuy)) {
          const all = (result[Number(h)] ??= new Float64Array(n));
          all.set(p, start);
        }
      } catch (error) {
        results[s] = error instanceof Error ? error : new Error(String(error));
      }
    });
  }
  return results;
}

function concatColumns(parts: readonly FeatureColumns[]): FeatureColumns {
  const names = Object.keys(parts[0] ?? {}).filter((name) => parts.every((p) => name in p));
  return Object.fromEntries(names.map((name) => [name, concatValues(parts.map((p) => p[name] as FeatureValues))]));
}

/** One column of several parts: a Float64Array when every part is one, else JavaScript values. */
function concatValues(parts: readonly FeatureValues[]): FeatureValues {
  if (parts.every((p) => p instanceof Float64Array)) return concatTyped(parts, (n) => new Float64Array(n));
  // concat, not flatMap: flatMap calls a function per value (9% of the neural backtest at 100k customers).
  return ([] as unknown[]).concat(...parts.map((p) => (p instanceof Float64Array ? Array.from(p, (v) => (Number.isNaN(v) ? null : v)) : p)));
}

function concatTyped<T extends Float64Array | Uint8Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function concatLabels(parts: readonly TimingLabels[]): TimingLabels {
  const cat = <T extends Float64Array | Uint8Array>(pick: (l: TimingLabels) => T, make: (n: number) => T): T =>
    concatTyped(parts.map(pick), make);
  return {
    daysToNext: cat(
      (l) => l.daysToNext,
      (n) => new Float64Array(n),
    ),
    event: cat(
      (l) => l.event,
      (n) => new Uint8Array(n),
    ),
    purchases: cat(
      (l) => l.purchases,
      (n) => new Float64Array(n),
    ),
    windowDays: parts[0]?.windowDays ?? 0,
  };
}

/** Feature columns of `table` for exactly `customerIds`, in that order. */
async function columnsFor(
  ctx: RunContext,
  table: string,
  customerIds: readonly string[],
  numeric: ReadonlySet<string>,
): Promise<FeatureColumns> {
  let columns: FeatureColumns = {};
  for await (const chunk of columnChunks(ctx, table, customerIds, Math.max(1, customerIds.length), numeric))
    columns = chunk.columns;
  return columns;
}

/** The same, `size` customers at a time: each chunk's columns and the position of its first customer. */
async function* columnChunks(
  ctx: RunContext,
  table: string,
  customerIds: readonly string[],
  size: number,
  numeric: ReadonlySet<string>,
): AsyncGenerator<{ start: number; rows: number; columns: FeatureColumns }> {
  const { connection } = ctx.engine;
  await connection.run('CREATE OR REPLACE TEMP TABLE wanted (customer_id VARCHAR, position INTEGER)');
  const appender = await connection.createAppender('wanted');
  customerIds.forEach((id, i) => {
    appender.appendVarchar(id);
    appender.appendInteger(i);
    appender.endRow();
  });
  appender.closeSync();
  for (let start = 0; start < customerIds.length || start === 0; start += size) {
    const end = Math.min(customerIds.length, start + size);
    // Without customer_id: the rows come in the order of customerIds, and no model reads the ids.
    const { rows, columns } = await readFeatureColumns(
      connection,
      `SELECT f.* EXCLUDE (customer_id) FROM wanted w JOIN ${table} f USING (customer_id) WHERE w.position >= ${start} AND w.position < ${end} ORDER BY w.position`,
      numeric,
    );
    if (rows !== end - start)
      throw new Error(`features for ${end - start} customers expected in ${table}, got ${rows}`);
    yield { start, rows, columns };
    if (end >= customerIds.length) break;
  }
}

/** The neural model's predictions at the as-of date, on the features' rows. */
interface NeuralColumns {
  readonly pBuy: Readonly<Record<number, Float64Array>>;
  readonly median: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/**
 * Scores every customer of the features table, SCORING_CHUNK rows at a time, so that the feature matrix is
 * never held whole (each block is fed to the network in the same batches as the whole would be: the same
 * values, bit for bit).
 */
function predictNeural(
  model: NeuralTimingModel,
  preprocessing: PreprocessingParams,
  features: FeatureTable,
): NeuralColumns {
  const n = features.customerIds.length;
  const out = {
    pBuy: { 30: new Float64Array(n), 60: new Float64Array(n), 90: new Float64Array(n) },
    median: new Float64Array(n),
    low: new Float64Array(n),
    high: new Float64Array(n),
  };
  const names = preprocessing.features.map((f) => f.name);
  for (let start = 0; start < n; start += SCORING_CHUNK) {
    const end = Math.min(n, start + SCORING_CHUNK);
    const block = Object.fromEntries(names.filter((name) => name in features.columns).map((name) => [name, (features.columns[name] as unknown[]).slice(start, end)]));
    const p = model.predict(transform(block, preprocessing));
    out.pBuy[30].set(p.pBuy30, start);
    out.pBuy[60].set(p.pBuy60, start);
    out.pBuy[90].set(p.pBuy90, start);
    out.median.set(p.medianDays, start);
    out.low.set(p.lowDays, start);
    out.high.set(p.highDays, start);
  }
  return out;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
