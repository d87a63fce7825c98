/**
 * The neural timing model: a dense network over the preprocessed customer features that outputs a
 * discrete-time hazard of the next purchase, trained on a temporal split (features at a cutoff, labels
 * from the following window) with the censored hazard likelihood. From the hazard it gives
 * P(buy within 30/60/90 days) and the distribution of days to the next purchase; a second output,
 * trained with a Poisson loss on the same hidden layers, predicts the number of purchases in the label
 * window (for the MAE comparison with BG/NBD's expected transactions).
 */
import * as tf from '../tf.js';
import { inputError, show } from '../../core/errors.js';
import { sha256Hex, modelId } from '../../core/hash.js';
import type { Logger } from '../../core/log.js';
import { Rng } from '../../core/rng.js';
import type { TimingLabels } from '../labels.js';
import { calibrationNoiseLevel, expectedCalibrationError, reliabilityTable } from '../evaluate/metrics.js';
import { applyCorrection, fitIsotonic, fitPlatt, type ProbabilityCorrection } from './calibration.js';
import { binCount, empiricalHazards, hazardTargets, makeBins, survivalAt, timeQuantile, type HazardBins } from './hazard.js';
import { deserialiseNetwork, serialiseNetwork, type SerialisedNetwork } from './artifact.js';
import { buildNetwork, forwardOutputs } from './network.js';
import { parseNeuralTimingParams, type NeuralTimingParams, type NeuralTimingParamsInput } from './params.js';
import { trainNetwork } from './train.js';
import {
  PURCHASE_HORIZONS,
  type CalibrationState,
  type FeatureMatrix,
  type NeuralTimingPrediction,
  type TrainingSummary,
} from './types.js';

export const NEURAL_ARTIFACT_FORMAT = 'personae.neural_timing';

/** The saved form of a fitted model: plain JSON, no paths; the registry may store it as it is. */
export interface NeuralTimingArtifact extends SerialisedNetwork {
  readonly format: typeof NEURAL_ARTIFACT_FORMAT;
  readonly type: string;
  readonly version: number;
  readonly id: string;
  readonly params: NeuralTimingParams;
  readonly featureColumns: readonly string[];
  readonly inputMean: readonly number[];
  readonly inputScale: readonly number[];
  readonly countWindowDays: number;
  readonly calibration: CalibrationState;
  readonly training: TrainingSummary;
}

export interface FitOptions {
  readonly seed: number;
  readonly logger?: Logger;
}

/** Learned state, kept apart from the settings. */
export interface NeuralTimingState {
  readonly network: tf.LayersModel;
  readonly featureColumns: readonly string[];
  readonly inputMean: Float64Array;
  readonly inputScale: Float64Array;
  /** Length of the label window whose purchases the count output predicts. */
  readonly countWindowDays: number;
  readonly calibration: CalibrationState;
  readonly training: TrainingSummary;
}

export class NeuralTimingModel {
  static readonly type = 'neural_timing';
  static readonly version = 1;

  readonly params: NeuralTimingParams;
  readonly id: string;
  private learned: NeuralTimingState | undefined;

  constructor(params: NeuralTimingParamsInput = {}, state?: NeuralTimingState) {
    this.params = parseNeuralTimingParams(params);
    this.id = modelId(NeuralTimingModel.type, NeuralTimingModel.version, this.params);
    this.learned = state;
  }

  get bins(): HazardBins {
    return makeBins(this.params.binDays, this.params.horizonDays);
  }

  /** The learned state; throws when the model has not been fitted or loaded. */
  get state(): NeuralTimingState {
    if (!this.learned) return inputError('model_not_fitted', 'the neural timing model is not fitted', 'call fit() or load it with fromArtifact()');
    return this.learned;
  }

  /** Trains on features at a cutoff and the labels of the window after it (same row order). */
  async fit(matrix: FeatureMatrix, labels: TimingLabels, options: FitOptions): Promise<this> {
    const started = performance.now();
    checkMatrix(matrix);
    checkLabels(matrix, labels, this.params.horizonDays);
    const { rows: n, columns } = matrix;
    const d = columns.length;
    const bins = this.bins;
    const k = binCount(bins);
    const split = splitRows(n, this.params.validationFraction, options.seed);
    const { mean, scale } = standardisation(matrix, split.trainRows);
    const x = standardise(matrix, mean, scale);
    const targets = hazardTargets(labels.daysToNext, labels.event, bins);
    const trainTargets = {
      event: gatherRows(targets.event, split.trainRows, k),
      atRisk: gatherRows(targets.atRisk, split.trainRows, k),
    };
    this.dispose();
    const purchases = Float32Array.from(labels.purchases);
    const meanPurchases = split.trainRows.reduce((sum, row) => sum + (purchases[row] as number), 0) / split.trainRows.length;
    const network = buildNetwork(d, this.params.hiddenUnits, empiricalHazards(trainTargets, k), meanPurchases, options.seed);
    const history = trainNetwork(
      network,
      { x, cols: d, targets, purchases, bins: k, trainRows: split.trainRows, validationRows: split.validationRows },
      this.params,
      options.seed,
      options.logger,
    );
    const validationX = gatherRows(x, split.validationRows, d);
    const validationHazards = forwardOutputs(network, validationX, split.validationRows.length, d).hazards;
    const calibration = calibrate(validationHazards, bins, labels, split.validationRows, this.params);
    this.learned = {
      network,
      featureColumns: [...columns],
      inputMean: mean,
      inputScale: scale,
      countWindowDays: labels.windowDays,
      calibration,
      training: {
        backend: tf.getBackend(),
        seed: options.seed,
        trainCustomers: split.trainRows.length,
        validationCustomers: split.validationRows.length,
        epochs: history.epochs,
        bestEpoch: history.bestEpoch,
        stoppedEarly: history.stoppedEarly,
        validationLoss: history.validationLoss[history.bestEpoch - 1] ?? Number.NaN,
        seconds: (performance.now() - started) / 1000,
        secondsPerEpoch: history.epochSeconds.reduce((a, b) => a + b, 0) / history.epochs,
        dataFingerprint: fingerprint(matrix, labels),
      },
    };
    return this;
  }

  /** Predictions for a feature matrix with the same columns, in the same order, as the training matrix. */
  predict(matrix: FeatureMatrix): NeuralTimingPrediction {
    const state = this.state;
    checkMatrix(matrix);
    checkColumns(matrix.columns, state.featureColumns);
    const bins = this.bins;
    const x = standardise(matrix, state.inputMean, state.inputScale);
    const { hazards, expectedPurchases } = forwardOutputs(state.network, x, matrix.rows, matrix.columns.length);
    const [p30, p60, p90] = purchaseProbabilities(hazards, bins, state.calibration);
    return {
      pBuy30: p30 as Float64Array,
      pBuy60: p60 as Float64Array,
      pBuy90: p90 as Float64Array,
      medianDays: timeQuantile(hazards, bins, 0.5),
      lowDays: timeQuantile(hazards, bins, 0.1),
      highDays: timeQuantile(hazards, bins, 0.9),
      expectedPurchases,
      countWindowDays: state.countWindowDays,
      hazards,
      binEdges: bins.edges.slice(),
    };
  }

  /** Plain JSON artifact (network through the tfjs IO handlers, scaling, calibration, training summary). */
  async toArtifact(): Promise<NeuralTimingArtifact> {
    const state = this.state;
    return {
      format: NEURAL_ARTIFACT_FORMAT,
      type: NeuralTimingModel.type,
      version: NeuralTimingModel.version,
      id: this.id,
      params: this.params,
      featureColumns: [...state.featureColumns],
      inputMean: Array.from(state.inputMean),
      inputScale: Array.from(state.inputScale),
      countWindowDays: state.countWindowDays,
      ...(await serialiseNetwork(state.network)),
      calibration: state.calibration,
      training: state.training,
    };
  }

  /** Rebuilds a model from `toArtifact()`; refuses an artifact whose id does not match its type, version and params. */
  static async fromArtifact(artifact: NeuralTimingArtifact): Promise<NeuralTimingModel> {
    if (artifact?.format !== NEURAL_ARTIFACT_FORMAT || artifact.type !== NeuralTimingModel.type) {
      inputError('bad_neural_artifact', `not a neural timing artifact (format ${show(artifact?.format)})`, 'load it with the model class that saved it');
    }
    if (artifact.version !== NeuralTimingModel.version) {
      inputError(
        'neural_artifact_version',
        `neural timing artifact version ${show(artifact.version)} cannot be read by this version (${NeuralTimingModel.version})`,
        'retrain the model with this version of Personae',
      );
    }
    const expected = modelId(NeuralTimingModel.type, artifact.version, artifact.params);
    if (artifact.id !== expected) {
      inputError(
        'neural_artifact_id_mismatch',
        `neural timing artifact id ${show(artifact.id)} does not match its parameters (expected ${expected})`,
        'the artifact was edited or damaged; retrain or restore it from the registry',
      );
    }
    const network = await deserialiseNetwork(artifact);
    return new NeuralTimingModel(artifact.params, {
      network,
      featureColumns: artifact.featureColumns,
      inputMean: Float64Array.from(artifact.inputMean),
      inputScale: Float64Array.from(artifact.inputScale),
      countWindowDays: artifact.countWindowDays,
      calibration: artifact.calibration,
      training: artifact.training,
    });
  }

  /** Frees the TensorFlow memory held by the network. */
  dispose(): void {
    this.learned?.network.dispose();
    this.learned = undefined;
  }
}

/**
 * Trains a neural timing model: `matrix` holds the preprocessed features at the cutoff, `labels` the days
 * to the next purchase in the window after it (see timing/labels.ts). Call selectBackend() first.
 */
export async function trainNeuralTimingModel(
  matrix: FeatureMatrix,
  labels: TimingLabels,
  options: FitOptions & { readonly params?: NeuralTimingParamsInput },
): Promise<NeuralTimingModel> {
  return new NeuralTimingModel(options.params).fit(matrix, labels, options);
}

function checkMatrix(matrix: FeatureMatrix): void {
  const { matrix: values, rows, columns } = matrix;
  if (!Number.isInteger(rows) || rows < 1 || columns.length < 1 || values.length !== rows * columns.length) {
    inputError(
      'bad_feature_matrix',
      `feature matrix has ${values.length} values for ${rows} rows × ${columns.length} columns`,
      'pass the row-major matrix built by the feature preprocessing',
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      const row = Math.floor(i / columns.length);
      inputError(
        'non_finite_feature',
        `feature ${show(columns[i % columns.length])} of row ${row} is ${values[i]}`,
        'fill missing values in the preprocessing before training or scoring the neural model',
      );
    }
  }
}

function checkLabels(matrix: FeatureMatrix, labels: TimingLabels, horizonDays: number): void {
  if (labels.daysToNext.length !== matrix.rows || labels.event.length !== matrix.rows || labels.purchases.length !== matrix.rows) {
    inputError('label_rows_mismatch', `${labels.daysToNext.length} labels for ${matrix.rows} feature rows`, 'build labels for the same customers, in the same order');
  }
  if (labels.windowDays < horizonDays) {
    inputError(
      'label_window_too_short',
      `the label window (${labels.windowDays} days) is shorter than the neural model horizon (${horizonDays} days)`,
      `use a window of at least ${horizonDays} days or set timing.neural.horizonDays ≤ ${labels.windowDays}`,
    );
  }
  let events = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const t = labels.daysToNext[i] as number;
    if (!(t >= 0)) inputError('bad_label', `label row ${i}: days to next purchase is ${t}`, 'days must be ≥ 0');
    const count = labels.purchases[i] as number;
    if (!(count >= 0)) inputError('bad_label', `label row ${i}: purchases in the window is ${count}`, 'counts must be ≥ 0');
    events += labels.event[i] as number;
  }
  if (events === 0 || events === matrix.rows) {
    inputError('degenerate_labels', `${events} of ${matrix.rows} customers bought in the label window`, 'the model needs both buyers and non-buyers: use a longer window or more customers');
  }
}

function checkColumns(columns: readonly string[], expected: readonly string[]): void {
  const mismatch = expected.findIndex((name, i) => columns[i] !== name);
  if (mismatch >= 0 || columns.length !== expected.length) {
    const at = mismatch >= 0 ? mismatch : Math.min(columns.length, expected.length);
    inputError(
      'feature_columns_mismatch',
      `feature column ${at} is ${show(columns[at] ?? '(none)')} but the model was trained with ${show(expected[at] ?? '(none)')}`,
      'score with the same feature preprocessing (columns and order) as at training',
    );
  }
}

function splitRows(n: number, validationFraction: number, seed: number): { trainRows: Int32Array; validationRows: Int32Array } {
  const order = Rng.derive(seed, 'neural-timing/split').shuffle(Array.from({ length: n }, (_, i) => i));
  const validationCount = Math.min(Math.max(1, Math.round(n * validationFraction)), n - 1);
  const sorted = (rows: number[]): Int32Array => Int32Array.from(rows).sort();
  return { validationRows: sorted(order.slice(0, validationCount)), trainRows: sorted(order.slice(validationCount)) };
}

function standardisation(matrix: FeatureMatrix, rows: Int32Array): { mean: Float64Array; scale: Float64Array } {
  const d = matrix.columns.length;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (matrix.matrix[row * d + j] as number);
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < d; j++) sq[j] = (sq[j] as number) + ((matrix.matrix[row * d + j] as number) - (mean[j] as number)) ** 2;
  }
  // Constant columns get scale 1 so that they standardise to 0 instead of dividing by zero.
  const scale = sq.map((s) => Math.sqrt(s / rows.length) || 1);
  return { mean, scale };
}

function standardise(matrix: FeatureMatrix, mean: Float64Array, scale: Float64Array): Float32Array {
  const d = mean.length;
  const out = new Float32Array(matrix.matrix.length);
  for (let i = 0; i < out.length; i++) out[i] = ((matrix.matrix[i] as number) - (mean[i % d] as number)) / (scale[i % d] as number);
  return out;
}

function gatherRows<T extends Float32Array>(values: T, rows: Int32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => out.set(values.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

function fingerprint(matrix: FeatureMatrix, labels: TimingLabels): string {
  const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const hash = sha256Hex(
    [matrix.columns.join('\u0001'), sha256Hex(bytes(matrix.matrix)), sha256Hex(bytes(labels.daysToNext)), sha256Hex(bytes(labels.event))].join('|'),
  );
  return hash.slice(0, 16);
}

function rawProbabilities(hazards: Float64Array, bins: HazardBins): Float64Array[] {
  return PURCHASE_HORIZONS.map((days) => survivalAt(hazards, bins, days).map((s) => 1 - s));
}

/** P(buy within 30/60/90 days), corrected when calibration applies, kept non-decreasing in the horizon. */
function purchaseProbabilities(hazards: Float64Array, bins: HazardBins, calibration: CalibrationState): Float64Array[] {
  const raw = rawProbabilities(hazards, bins);
  const corrected = calibration.applied && calibration.corrections
    ? raw.map((p, h) => applyCorrection(calibration.corrections?.[String(PURCHASE_HORIZONS[h])] as ProbabilityCorrection, p))
    : raw;
  for (let h = 1; h < corrected.length; h++) {
    const previous = corrected[h - 1] as Float64Array;
    corrected[h] = (corrected[h] as Float64Array).map((p, i) => Math.max(p, previous[i] as number));
  }
  return corrected;
}

function boughtWithin(labels: TimingLabels, rows: Int32Array, days: number): Uint8Array {
  return Uint8Array.from(rows, (row) => (labels.event[row] === 1 && (labels.daysToNext[row] as number) <= days ? 1 : 0));
}

const RELIABILITY_BINS = 10;

function nonEmpty(table: ReturnType<typeof reliabilityTable>): ReturnType<typeof reliabilityTable> {
  return table.filter((bin) => bin.count > 0);
}

/**
 * Checks P(buy within 30 days) on the validation split with reliability bins and, when its expected
 * calibration error exceeds both the tolerance and twice the error that sampling noise alone would give
 * (so that a small validation split does not "correct" noise), fits one monotone correction per horizon. The correction is
 * kept only if it lowers the error (the same split also served early stopping, so this is a light touch).
 */
function calibrate(
  hazards: Float64Array,
  bins: HazardBins,
  labels: TimingLabels,
  validationRows: Int32Array,
  params: NeuralTimingParams,
): CalibrationState {
  const raw = rawProbabilities(hazards, bins);
  const outcomes = PURCHASE_HORIZONS.map((days) => boughtWithin(labels, validationRows, days));
  const before = reliabilityTable(raw[0] as Float64Array, outcomes[0] as Uint8Array, RELIABILITY_BINS);
  const eceBefore = expectedCalibrationError(before);
  const unchanged: CalibrationState = {
    checkedOn: 'validation',
    customers: validationRows.length,
    eceBefore,
    threshold: params.calibrationTolerance,
    eceAfter: eceBefore,
    applied: false,
    method: params.calibration,
    corrections: null,
    reliabilityBefore: nonEmpty(before),
    reliabilityAfter: nonEmpty(before),
  };
  const noise = calibrationNoiseLevel(raw[0] as Float64Array, RELIABILITY_BINS);
  const threshold = Math.max(params.calibrationTolerance, 2 * noise);
  if (params.calibration === 'none' || eceBefore <= threshold) return { ...unchanged, threshold };
  const fitter = params.calibration === 'platt' ? fitPlatt : fitIsotonic;
  const corrections: Record<string, ProbabilityCorrection> = {};
  PURCHASE_HORIZONS.forEach((days, h) => {
    corrections[String(days)] = fitter(raw[h] as Float64Array, outcomes[h] as Uint8Array);
  });
  const corrected = applyCorrection(corrections['30'] as ProbabilityCorrection, raw[0] as Float64Array);
  const after = reliabilityTable(corrected, outcomes[0] as Uint8Array, RELIABILITY_BINS);
  const eceAfter = expectedCalibrationError(after);
  if (!(eceAfter < eceBefore)) return { ...unchanged, threshold };
  return { ...unchanged, threshold, eceAfter, applied: true, corrections, reliabilityAfter: nonEmpty(after) };
}
