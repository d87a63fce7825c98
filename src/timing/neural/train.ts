/**
 * Training loop of the neural timing model: Adam on mini-batches drawn in a seeded order, the censored
 * discrete-time hazard negative log-likelihood as loss, early stopping on the validation split with the
 * best weights restored. A hand-written loop (rather than LayersModel.fit) because the loss needs two
 * target masks per bin and the batch order must come from the project's seeded Rng.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';
import type { Logger } from '../../core/log.js';
import type { HazardTargets } from './hazard.js';

export interface TrainingData {
  /** Standardised features, row-major n×d, float32. */
  readonly x: Float32Array;
  readonly cols: number;
  readonly targets: HazardTargets;
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
  /** Mean negative log-likelihood per customer on the validation split, per epoch. */
  readonly validationLoss: readonly number[];
  readonly stoppedEarly: boolean;
  /** Wall-clock seconds of each epoch (training steps and validation loss). */
  readonly epochSeconds: readonly number[];
}

/** Sum over bins of the censored Bernoulli loss, from logits: atRisk·(softplus(z) − event·z). */
function censoredLossSum(logits: tf.Tensor, event: tf.Tensor, atRisk: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(atRisk, tf.sub(tf.softplus(logits), tf.mul(event, logits))));
}

function rowsTensor(data: TrainingData, rows: Int32Array): { x: tf.Tensor2D; event: tf.Tensor2D; atRisk: tf.Tensor2D } {
  const d = data.cols;
  const k = data.bins;
  const x = new Float32Array(rows.length * d);
  const event = new Float32Array(rows.length * k);
  const atRisk = new Float32Array(rows.length * k);
  rows.forEach((row, i) => {
    x.set(data.x.subarray(row * d, (row + 1) * d), i * d);
    event.set(data.targets.event.subarray(row * k, (row + 1) * k), i * k);
    atRisk.set(data.targets.atRisk.subarray(row * k, (row + 1) * k), i * k);
  });
  return {
    x: tf.tensor2d(x, [rows.length, d]),
    event: tf.tensor2d(event, [rows.length, k]),
    atRisk: tf.tensor2d(atRisk, [rows.length, k]),
  };
}

function meanLoss(network: tf.LayersModel, split: ReturnType<typeof rowsTensor>, chunk = 16384): number {
  const n = split.x.shape[0];
  let total = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const loss = tf.tidy(() => {
      const logits = network.apply(split.x.slice([start, 0], [m, -1])) as tf.Tensor;
      return censoredLossSum(logits, split.event.slice([start, 0], [m, -1]), split.atRisk.slice([start, 0], [m, -1]));
    });
    total += loss.dataSync()[0] as number;
    loss.dispose();
  }
  return total / n;
}

export function trainNetwork(
  network: tf.LayersModel,
  data: TrainingData,
  settings: LoopSettings,
  seed: number,
  logger?: Logger,
): TrainingHistory {
  const train = rowsTensor(data, data.trainRows);
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
          const index = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(train.x, index);
          const eb = tf.gather(train.event, index);
          const rb = tf.gather(train.atRisk, index);
          let dataLoss: tf.Scalar = tf.scalar(0);
          // minimize disposes the tensor f returns, so the data loss is reported from a kept clone.
          optimizer.minimize((): tf.Scalar => {
            const logits = network.apply(xb, { training: true }) as tf.Tensor;
            const loss = tf.div(censoredLossSum(logits, eb, rb), batch.length) as tf.Scalar;
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
      trainLoss.push(epochLoss / n);
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
    for (const split of [train, validation]) Object.values(split).forEach((t) => t.dispose());
  }
  if (stoppedEarly) logger?.progress('neural timing model', settings.maxEpochs, settings.maxEpochs);
  return { epochs: trainLoss.length, bestEpoch, trainLoss, validationLoss, stoppedEarly, epochSeconds };
}
