import { isPersonaeError } from '../../core/errors.js';
import { addDays, MS_PER_DAY, toIsoDate } from '../../core/time.js';
import { computeFeatures } from '../../features/compute.js';
import { fitPreprocessing, transform, type PreprocessingParams } from '../../features/preprocessing.js';
import { queryColumns } from '../../io/duckdb.js';
import { chooseBackend } from '../../timing/backend.js';
import type { PurchaseCountModel, RfmColumns } from '../../timing/base-fitter.js';
import { BetaGeoModel } from '../../timing/bgnbd.js';
import { predictCustomers, type BtydPrediction } from '../../timing/btyd-predictions.js';
import {
  evaluateModels,
  fitRecencyBaseline,
  predictRecencyBaseline,
  type Evaluation,
  type ModelScores,
} from '../../timing/evaluate/index.js';
import { GammaGammaModel } from '../../timing/gamma-gamma.js';
import { timingLabels, type TimingLabels } from '../../timing/labels.js';
import { trainNeuralTimingModel, type NeuralTimingModel } from '../../timing/neural/index.js';
import { ParetoNbdModel } from '../../timing/pareto-nbd.js';
import { rfmSummary, type RfmSummary, type TransactionRow } from '../../timing/rfm-summary.js';
import type { CustomerPrediction } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import { clvSettings, purchaseRows } from './purchases.js';
import type { FeatureTable } from './features.js';

/** Promoted models of the registry, scored on this run's backtest next to the new ones (retrain's gate). */
export interface Incumbents {
  readonly bgnbd?: BetaGeoModel;
  readonly neural?: { readonly model: NeuralTimingModel; readonly preprocessing: PreprocessingParams };
}

export interface TimingResult {
  /** Predictions at the as-of date for every eligible customer with at least one purchase. */
  readonly predictions: ReadonlyMap<string, CustomerPrediction>;
  readonly evaluation: Evaluation | undefined;
  /** The model whose P(buy) and next-purchase estimates go into the scores (best Brier at 30 days). */
  readonly chosenModel: string;
  readonly backend: string | undefined;
  readonly models: {
    readonly bgnbd: BetaGeoModel;
    /** Fitted at the backtest cutoff (a benchmark; not used for scores). */
    readonly paretoNbd: ParetoNbdModel | undefined;
    readonly gammaGamma: GammaGammaModel;
    readonly neural: NeuralTimingModel | undefined;
    readonly neuralPreprocessing: PreprocessingParams | undefined;
  };
  readonly notes: string[];
}

const DAY = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);
const MIN_COHORT = 50;

/**
 * Stage 4: purchase-timing models. A backtest on one holdout (the last `holdout_days` before the as-of
 * date) compares BG/NBD, Pareto/NBD, the neural model and a recency baseline on the same customers; then
 * BG/NBD + Gamma-Gamma are refitted on all history for P(alive), CLV and spend, and the neural model (when
 * it wins the backtest) supplies P(buy within 30/60/90 days) and the next-purchase estimate.
 */
export async function timingStage(
  ctx: RunContext,
  features: FeatureTable,
  incumbents?: Incumbents,
): Promise<[TimingResult]> {
  const { connection } = ctx.engine;
  const settings = ctx.config.timing;
  const notes: string[] = [];
  const rows = await purchaseRows(connection);
  const asOfDay = DAY(ctx.asOf);
  const holdout = settings.holdout_days;
  const cutoff = addDays(ctx.asOf, -holdout);
  const evalSummary = rfmSummary(rows, {
    calibrationEndDay: asOfDay - holdout,
    holdoutEndDay: asOfDay,
    timeUnit: 'day',
  });
  // Backtest BG/NBD, Pareto/NBD, the neural model (its epochs report on their own), then the final fits.
  const progress = (done: number): void => ctx.log.progress('timing models', done, 4);
  progress(0);

  let evaluation: Evaluation | undefined;
  let neural: NeuralTimingModel | undefined;
  let neuralPreprocessing: PreprocessingParams | undefined;
  let backend: string | undefined;
  let paretoNbd: ParetoNbdModel | undefined;
  if (evalSummary.customerIds.length >= MIN_COHORT) {
    const holdoutLabels = labelsFor(rows, evalSummary.customerIds, cutoff, holdout);
    const bgEval = new BetaGeoModel().fit(informative(evalSummary), { seed: ctx.config.seed });
    const scores: ModelScores[] = [btydScores('bgnbd', bgEval, evalSummary, holdout)];
    progress(1);
    const paretoEval = tryFit(
      () => new ParetoNbdModel().fit(informative(evalSummary), { seed: ctx.config.seed }),
      notes,
      'Pareto/NBD (backtest)',
    );
    if (paretoEval) scores.push(btydScores('pareto_nbd', paretoEval, evalSummary, holdout));
    progress(2);
    const train = await neuralBacktest(ctx, features, rows, evalSummary, cutoff, holdout, notes).catch(
      (error: unknown) => {
        // The neural model is an addition to the BTYD baseline: data it cannot learn from skips it, with the reason.
        if (!isPersonaeError(error)) throw error;
        notes.push(`neural model skipped: ${error.message}`);
        return undefined;
      },
    );
    progress(3);
    if (train) {
      scores.push(train.scores, train.baseline);
      neural = train.model;
      neuralPreprocessing = train.preprocessing;
      backend = train.backend;
    }
    if (incumbents?.bgnbd) scores.push(btydScores('incumbent_bgnbd', incumbents.bgnbd, evalSummary, holdout));
    if (incumbents?.neural && train) {
      // Top-N columns (brands, categories) can differ between runs: a column the incumbent knew but this
      // data lacks is missing for everyone, and the incumbent's own missing-value policy fills it.
      const n = evalSummary.customerIds.length;
      const columns = { ...train.evalColumns };
      for (const f of incumbents.neural.preprocessing.features)
        if (!(f.name in columns)) columns[f.name] = new Array(n).fill(null);
      const matrix = transform(columns, incumbents.neural.preprocessing);
      const p = incumbents.neural.model.predict(matrix);
      const pBuy: Record<number, Float64Array> = {};
      for (const [h, v] of [
        [30, p.pBuy30],
        [60, p.pBuy60],
        [90, p.pBuy90],
      ] as const)
        if (h <= holdout) pBuy[h] = v;
      scores.push({ name: 'incumbent_neural', pBuy });
    }
    evaluation = evaluateModels(holdoutLabels, scores, { gradeHorizon: 30 });
  } else {
    notes.push(
      `backtest skipped: only ${evalSummary.customerIds.length} customers bought before ${toIsoDate(cutoff)} (at least ${MIN_COHORT} needed)`,
    );
  }

  const full = rfmSummary(rows, { calibrationEndDay: asOfDay, timeUnit: 'day' });
  const bgnbd = new BetaGeoModel().fit(informative(full), { seed: ctx.config.seed });
  const gammaGamma = new GammaGammaModel().fit(informative(full), { seed: ctx.config.seed });
  const btyd = predictCustomers(full, bgnbd, gammaGamma, clvSettings(settings));
  progress(4);
  const chosenModel = chooseModel(evaluation, neural !== undefined);
  const predictions = new Map<string, CustomerPrediction>();
  const neuralAtAsOf =
    neural && neuralPreprocessing && chosenModel === 'neural'
      ? predictNeural(neural, neuralPreprocessing, features)
      : undefined;
  for (const p of btyd)
    predictions.set(
      p.customerId,
      neuralAtAsOf?.get(p.customerId) ? merge(p, neuralAtAsOf.get(p.customerId) as NeuralRow) : p,
    );
  ctx.log.info(
    `timing: BG/NBD r=${bgnbd.params.r.toFixed(3)} α=${bgnbd.params.alpha.toFixed(2)} a=${bgnbd.params.a.toFixed(3)} b=${bgnbd.params.b.toFixed(3)}; scores use ${chosenModel}`,
  );
  return [
    {
      predictions,
      evaluation,
      chosenModel,
      backend,
      models: { bgnbd, paretoNbd, gammaGamma, neural, neuralPreprocessing },
      notes,
    },
  ];
}

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

function tryFit<T>(fit: () => T, notes: string[], what: string): T | undefined {
  try {
    return fit();
  } catch (error) {
    notes.push(`${what} not used: ${(error as Error).message}`);
    return undefined;
  }
}

function chooseModel(evaluation: Evaluation | undefined, hasNeural: boolean): string {
  if (!evaluation || !hasNeural) return 'bgnbd';
  const brier = (name: string): number =>
    evaluation.models.find((m) => m.model === name)?.horizons.find((h) => h.horizon === 30)?.brier ??
    Number.POSITIVE_INFINITY;
  return brier('neural') < brier('bgnbd') ? 'neural' : 'bgnbd';
}

function labelsFor(
  rows: readonly TransactionRow[],
  customerIds: readonly string[],
  cutoff: Date,
  windowDays: number,
): TimingLabels {
  const byCustomer = new Map<string, number[]>();
  for (const r of rows) {
    let days = byCustomer.get(r.customerId);
    if (!days) byCustomer.set(r.customerId, (days = []));
    days.push(r.day * MS_PER_DAY);
  }
  return timingLabels(
    customerIds.map((id) => byCustomer.get(id) ?? []),
    { cutoff, windowDays },
  );
}

function btydScores(name: string, model: PurchaseCountModel, s: RfmSummary, holdout: number): ModelScores {
  const n = s.customerIds.length;
  const pBuy: Record<number, Float64Array> = {};
  for (const h of [30, 60, 90].filter((h) => h <= holdout)) {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++)
      p[i] = 1 - model.pPurchases(0, h, s.frequency[i] as number, s.recency[i] as number, s.age[i] as number);
    pBuy[h] = p;
  }
  const expected = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    expected[i] = model.conditionalExpectedPurchases(
      holdout,
      s.frequency[i] as number,
      s.recency[i] as number,
      s.age[i] as number,
    );
  }
  return { name, pBuy, expectedPurchases: expected };
}

interface NeuralBacktest {
  model: NeuralTimingModel;
  /** Features at the backtest cutoff of the backtest cohort (to score incumbents identically). */
  evalColumns: Record<string, unknown[]>;
  preprocessing: PreprocessingParams;
  scores: ModelScores;
  baseline: ModelScores;
  backend: string;
}

/**
 * Trains the neural model on features at cutoff − holdout with labels from (cutoff − holdout, cutoff],
 * then scores the backtest cohort from features at the cutoff: the same holdout as the BTYD models.
 */
async function neuralBacktest(
  ctx: RunContext,
  features: FeatureTable,
  rows: readonly TransactionRow[],
  evalSummary: RfmSummary,
  cutoff: Date,
  holdout: number,
  notes: string[],
): Promise<NeuralBacktest | undefined> {
  if (!ctx.config.timing.neural) return undefined;
  const { connection } = ctx.engine;
  const options = {
    topCategories: ctx.config.features.top_categories,
    topBrands: ctx.config.features.top_brands,
    // applyConsent has already removed everyone outside the eligible population from the tables.
    restrictedToPopulation: true,
  };
  // Training windows end at the cutoff: the previous window, and the same season a year earlier when the
  // history reaches that far (one window alone carries its own base rate and season into the predictions).
  const firstDay = rows.reduce((m, r) => Math.min(m, r.day), Number.POSITIVE_INFINITY);
  const windows = [addDays(cutoff, -holdout), addDays(cutoff, -365)].filter(
    (c) => DAY(c) - firstDay >= holdout,
  );
  const parts: { columns: Record<string, unknown[]>; labels: TimingLabels }[] = [];
  for (const [i, trainCutoff] of windows.entries()) {
    const customers = [
      ...new Set(rows.filter((r) => r.day <= DAY(trainCutoff)).map((r) => r.customerId)),
    ].sort();
    if (customers.length < MIN_COHORT * 4) continue;
    await computeFeatures(connection, { asOf: trainCutoff, target: `features_train_${i}`, ...options });
    parts.push({
      columns: await columnsFor(ctx, `features_train_${i}`, customers),
      labels: labelsFor(rows, customers, trainCutoff, holdout),
    });
    await connection.run(`DROP TABLE features_train_${i}`);
  }
  if (parts.length === 0) {
    notes.push(
      `neural model skipped: fewer than ${MIN_COHORT * 4} customers had bought before ${toIsoDate(windows[0] ?? cutoff)}`,
    );
    return undefined;
  }
  const trainColumns = concatColumns(parts.map((p) => p.columns));
  const trainLabels = concatLabels(parts.map((p) => p.labels));
  await computeFeatures(connection, { asOf: cutoff, target: 'features_cutoff', ...options });
  const evalColumns = await columnsFor(ctx, 'features_cutoff', evalSummary.customerIds);
  await connection.run('DROP TABLE features_cutoff');
  // Top-N columns (brands, categories) are chosen from the data at each date: use those every table has.
  const names = features.catalogue
    .filter((f) => f.name in trainColumns && f.name in evalColumns && f.name in features.columns)
    .map((f) => f.name);
  const preprocessing = fitPreprocessing(trainColumns, features.catalogue, { features: names });
  const trainMatrix = transform(trainColumns, preprocessing);
  const evalMatrix = transform(evalColumns, preprocessing);
  const choice = await chooseBackend();
  const model = await trainNeuralTimingModel(trainMatrix, trainLabels, {
    seed: ctx.config.seed,
    params: { maxEpochs: ctx.config.timing.neural_epochs, horizonDays: Math.floor(holdout / 10) * 10 },
    logger: ctx.log,
  });
  const predicted = model.predict(evalMatrix);
  const pBuy: Record<number, Float64Array> = {};
  for (const [h, p] of [
    [30, predicted.pBuy30],
    [60, predicted.pBuy60],
    [90, predicted.pBuy90],
  ] as const)
    if (h <= holdout) pBuy[h] = p;
  const recency = (c: Record<string, unknown[]>) =>
    Float64Array.from(c.recency_days as (number | null)[], (v) => v ?? Number.NaN);
  const baseline = predictRecencyBaseline(
    fitRecencyBaseline(recency(trainColumns), trainLabels),
    recency(evalColumns),
  );
  notes.push(
    `neural model trained on ${trainLabels.event.length} customer-windows ending ${windows.map(toIsoDate).join(' and ')}`,
  );
  return {
    model,
    evalColumns,
    preprocessing,
    backend: choice.name,
    scores: { name: 'neural', pBuy },
    baseline: {
      name: 'recency_baseline',
      pBuy: baseline.pBuy,
      expectedPurchases: baseline.expectedPurchases,
    },
  };
}

function concatColumns(parts: readonly Record<string, unknown[]>[]): Record<string, unknown[]> {
  const names = Object.keys(parts[0] ?? {}).filter((name) => parts.every((p) => name in p));
  return Object.fromEntries(names.map((name) => [name, parts.flatMap((p) => p[name] as unknown[])]));
}

function concatLabels(parts: readonly TimingLabels[]): TimingLabels {
  const cat = <T extends Float64Array | Uint8Array>(
    pick: (l: TimingLabels) => T,
    make: (n: number) => T,
  ): T => {
    const out = make(parts.reduce((n, l) => n + pick(l).length, 0));
    let offset = 0;
    for (const l of parts) {
      out.set(pick(l), offset);
      offset += pick(l).length;
    }
    return out;
  };
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
): Promise<Record<string, unknown[]>> {
  const { connection } = ctx.engine;
  await connection.run('CREATE OR REPLACE TEMP TABLE wanted (customer_id VARCHAR, position INTEGER)');
  const appender = await connection.createAppender('wanted');
  customerIds.forEach((id, i) => {
    appender.appendVarchar(id);
    appender.appendInteger(i);
    appender.endRow();
  });
  appender.closeSync();
  const columns = await queryColumns(
    connection,
    `SELECT f.* FROM wanted w JOIN ${table} f USING (customer_id) ORDER BY w.position`,
  );
  const got = (columns.customer_id ?? []).length;
  if (got !== customerIds.length)
    throw new Error(`features for ${customerIds.length} customers expected in ${table}, got ${got}`);
  return columns;
}

interface NeuralRow {
  pBuy30: number;
  pBuy60: number;
  pBuy90: number;
  median: number;
  low: number;
  high: number;
}

function predictNeural(
  model: NeuralTimingModel,
  preprocessing: PreprocessingParams,
  features: FeatureTable,
): Map<string, NeuralRow> {
  const matrix = transform(features.columns, preprocessing);
  const p = model.predict(matrix);
  const out = new Map<string, NeuralRow>();
  features.customerIds.forEach((id, i) => {
    out.set(id, {
      pBuy30: p.pBuy30[i] as number,
      pBuy60: p.pBuy60[i] as number,
      pBuy90: p.pBuy90[i] as number,
      median: p.medianDays[i] as number,
      low: p.lowDays[i] as number,
      high: p.highDays[i] as number,
    });
  });
  return out;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function merge(btyd: BtydPrediction, n: NeuralRow): CustomerPrediction {
  return {
    ...btyd,
    pBuy30: n.pBuy30,
    pBuy60: n.pBuy60,
    pBuy90: n.pBuy90,
    nextPurchaseDays: finiteOrNull(n.median),
    nextPurchaseLow: finiteOrNull(n.low),
    nextPurchaseHigh: finiteOrNull(n.high),
    model: 'neural',
  };
}
