/**
 * Training loop of the neural timing model: Adam on mini-batches drawn in a seeded order, the censored
 * discrete-time hazard negative log-likelihood as loss, early stopping on the validation split with the
 * best weights restored. A hand-written loop (rather than LayersModel.fit) because the loss needs two
 * target masks per bin and the batch order must come from the project's seeded Rng.
 */
import * as tf from '../tf.js';
import { Rng } from '../../core/rng.js';
import type { Logger } from '../../core/log.js';
import { logGamma } from '../../math/special.js';
import type { HazardTargets } from './hazard.js';

export interface TrainingData {
  /** Standardised features, row-major n×d, float32. */
  readonly x: Float32Array;
  readonly cols: number;
  readonly targets: HazardTargets;
  /** Purchases in the label window (target of the count output). */
  readonly purchases: Float32Array;
  readonly bins: number;
  readonly trainRows: Int32Array;
  readonly validationRows: Int32Array;
}

export interface LoopSettings {
  readonly learningRate: number;
  readonly batchSize: number;
  readonly maxEpochs: number;
  readonly patience: number;
  readonly l2: number;
}

export interface TrainingHistory {
  readonly epochs: number;
  readonly bestEpoch: number;
  /** Mean loss per customer (without the L2 term) on the training split, per epoch. */
  readonly trainLoss: readonly number[];
  /** Mean loss per customer (hazard and count negative log-likelihoods) on the validation split, per epoch. */
  readonly validationLoss: readonly number[];
  readonly stoppedEarly: boolean;
  /** Wall-clock seconds of each epoch (training steps and validation loss). */
  readonly epochSeconds: readonly number[];
}

interface Split {
  /** Σ log(y!) of the split's counts: the Poisson constant, added so that reported losses are true NLLs. */
  readonly logFactorials: number;
  readonly x: tf.Tensor2D;
  readonly event: tf.Tensor2D;
  readonly atRisk: tf.Tensor2D;
  readonly purchases: tf.Tensor2D;
}

/**
 * Loss summed over customers: the censored Bernoulli loss of the hazard logits z over the bins,
 * atRisk·(softplus(z) − event·z), plus the Poisson loss of the log expected count c, exp(c) − y·c.
 */
function lossSum(outputs: tf.Tensor, split: Omit<Split, 'x' | 'logFactorials'>): tf.Scalar {
  const k = split.event.shape[1];
  const logits = outputs.slice([0, 0], [-1, k]);
  const logCount = outputs.slice([0, k], [-1, 1]);
  const hazardLoss = tf.sum(tf.mul(split.atRisk, tf.sub(tf.softplus(logits), tf.mul(split.event, logits))));
  const countLoss = tf.sum(tf.sub(tf.exp(logCount), tf.mul(split.purchases, logCount)));
  return tf.add(hazardLoss, countLoss);
}

/** The rows' features, targets and counts, copied out of the training data in the order of `rows`. */
interface HostRows {
  readonly rows: number;
  readonly x: Float32Array;
  readonly event: Float32Array;
  readonly atRisk: Float32Array;
  readonly purchases: Float32Array;
}

function hostRows(data: TrainingData, rows: ArrayLike<number>, from?: HostRows, into?: HostRows): HostRows {
  const source = from ?? { x: data.x, event: data.targets.event, atRisk: data.targets.atRisk, purchases: data.purchases };
  const d = data.cols;
  const k = data.bins;
  const n = rows.length;
  // Into the first n rows of `into` when given (a batch buffer reused from batch to batch), else fresh arrays.
  const x = into ? into.x.subarray(0, n * d) : new Float32Array(n * d);
  const event = into ? into.event.subarray(0, n * k) : new Float32Array(n * k);
  const atRisk = into ? into.atRisk.subarray(0, n * k) : new Float32Array(n * k);
  const purchases = into ? into.purchases.subarray(0, n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as number;
    x.set(source.x.subarray(row * d, (row + 1) * d), i * d);
    event.set(source.event.subarray(row * k, (row + 1) * k), i * k);
    atRisk.set(source.atRisk.subarray(row * k, (row + 1) * k), i * k);
    purchases[i] = source.purchases[row] as number;
  }
  return { rows: n, x, event, atRisk, purchases };
}

/** Room for `rows` rows of features, targets and counts. */
function hostBuffers(rows: number, d: number, k: number): HostRows {
  return {
    rows,
    x: new Float32Array(rows * d),
    event: new Float32Array(rows * k),
    atRisk: new Float32Array(rows * k),
    purchases: new Float32Array(rows),
  };
}

function tensorsOf(host: HostRows, d: number, k: number): Omit<Split, 'logFactorials'> {
  return {
    x: tf.tensor2d(host.x, [host.rows, d]),
    event: tf.tensor2d(host.event, [host.rows, k]),
    atRisk: tf.tensor2d(host.atRisk, [host.rows, k]),
    purchases: tf.tensor2d(host.purchases, [host.rows, 1]),
  };
}

function rowsTensor(data: TrainingData, rows: Int32Array): Split {
  return {
    ...tensorsOf(hostRows(data, rows), data.cols, data.bins),
    logFactorials: Array.from(rows).reduce((sum, row) => sum + logGamma((data.purchases[row] as number) + 1), 0),
  };
}

function meanLoss(network: tf.LayersModel, split: Split, chunk = 16384): number {
  const n = split.x.shape[0];
  let total = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const loss = tf.tidy(() => {
      const outputs = network.apply(split.x.slice([start, 0], [m, -1])) as tf.Tensor;
      const rows = (t: tf.Tensor2D): tf.Tensor2D => t.slice([start, 0], [m, -1]);
      return lossSum(outputs, { event: rows(split.event), atRisk: rows(split.atRisk), purchases: rows(split.purchases) });
    });
    total += loss.dataSync()[0] as number;
    loss.dispose();
  }
  return (total + split.logFactorials) / n;
}

export function trainNetwork(
  network: tf.LayersModel,
  data: TrainingData,
  settings: LoopSettings,
  seed: number,
  logger?: Logger,
): TrainingHistory {
  // The training rows stay in JavaScript: a batch is copied out of them into fresh tensors (the same values
  // as tf.gather on tensors of them, which cost a fifth of the training time on the wasm backend).
  const train = hostRows(data, data.trainRows);
  // One set of batch arrays for the whole loop: tensor creation copies them (into the wasm heap; the cpu backend
  // is done with them when the batch's tidy ends), so refilling them gives each batch the same values as fresh
  // arrays would, without four allocations per batch.
  const batchBuffers = hostBuffers(Math.min(settings.batchSize, data.trainRows.length), data.cols, data.bins);
  const trainLogFactorials = Array.from(data.trainRows).reduce((sum, row) => sum + logGamma((data.purchases[row] as number) + 1), 0);
  const validation = rowsTensor(data, data.validationRows);
  const optimizer = tf.train.adam(settings.learningRate);
  const kernels = network.trainableWeights.filter((w) => w.originalName.endsWith('kernel')).map((w) => w.read());
  const n = data.trainRows.length;
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  const epochSeconds: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= settings.maxEpochs; epoch++) {
      const epochStarted = performance.now();
      const order = Int32Array.from(Rng.derive(seed, `neural-timing/epoch-${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i)));
      let epochLoss = 0;
      for (let start = 0; start < n; start += settings.batchSize) {
        const batch = order.subarray(start, Math.min(start + settings.batchSize, n));
        const cost = tf.tidy(() => {
          const { x: xb, ...batchTargets } = tensorsOf(hostRows(data, batch, train, batchBuffers), data.cols, data.bins);
          let dataLoss: tf.Scalar = tf.scalar(0);
          // minimize disposes the tensor f returns, so the data loss is reported from a kept clone.
          optimizer.minimize((): tf.Scalar => {
            const outputs = network.apply(xb, { training: true }) as tf.Tensor;
            const loss = tf.div(lossSum(outputs, batchTargets), batch.length) as tf.Scalar;
            dataLoss = tf.keep(loss.clone());
            if (settings.l2 === 0) return loss;
            const penalty = tf.addN(kernels.map((w) => tf.sum(tf.square(w))));
            return tf.add(loss, tf.mul(penalty, settings.l2)) as tf.Scalar;
          });
          return dataLoss;
        });
        epochLoss += (cost.dataSync()[0] as number) * batch.length;
        cost.dispose();
      }
      trainLoss.push((epochLoss + trainLogFactorials) / n);
      const loss = meanLoss(network, validation);
      validationLoss.push(loss);
      epochSeconds.push((performance.now() - epochStarted) / 1000);
      logger?.progress('neural timing model', epoch, settings.maxEpochs);
      // A relative tolerance keeps float noise from counting as an improvement.
      if (epoch === 1 || loss < best - 1e-6 * Math.abs(best)) {
        best = loss;
        bestEpoch = epoch;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = network.getWeights().map((w) => w.clone());
      } else if (epoch - bestEpoch >= settings.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights) network.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    optimizer.dispose();
    [validation.x, validation.event, validation.atRisk, validation.purchases].forEach((t) => t.dispose());
  }
  if (stoppedEarly) logger?.progress('neural timing model', settings.maxEpochs, settings.maxEpochs);
  return { epochs: trainLoss.length, bestEpoch, trainLoss, validationLoss, stoppedEarly, epochSeconds };
}
