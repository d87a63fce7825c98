/**
 * The dense network of the neural timing model: standardised features → ReLU hidden layers → one logit per
 * hazard bin, plus one output for the log of the expected number of purchases in the label window (a
 * Poisson head sharing the hidden layers). Every initializer is seeded so that the same seed gives the
 * same starting weights.
 */
import * as tf from '../tf.js';
import { Rng } from '../../core/rng.js';

export function buildNetwork(
  inputDim: number,
  hiddenUnits: readonly number[],
  initialHazards: Float64Array,
  meanPurchases: number,
  seed: number,
): tf.Sequential {
  const rng = Rng.derive(seed, 'neural-timing/init');
  const network = tf.sequential();
  hiddenUnits.forEach((units, layer) => {
    network.add(
      tf.layers.dense({
        ...(layer === 0 ? { inputShape: [inputDim] } : {}),
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int(2 ** 31) }),
        biasInitializer: 'zeros',
        name: `hidden_${layer + 1}`,
      }),
    );
  });
  // Starting the output bias at the logit of each bin's observed hazard lets the hidden layers learn only
  // the differences between customers instead of the overall timing curve.
  const bias = [...Array.from(initialHazards, (h) => Math.log(h / (1 - h))), Math.log(meanPurchases + 1e-3)];
  network.add(
    tf.layers.dense({
      units: initialHazards.length + 1,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int(2 ** 31) }),
      biasInitializer: 'zeros',
      name: 'hazard_logits',
    }),
  );
  const output = network.layers[network.layers.length - 1] as tf.layers.Layer;
  // getWeights returns the live variables (not copies), so only the new bias tensor is disposed.
  const [kernel] = output.getWeights();
  const biasTensor = tf.tensor1d(bias);
  output.setWeights([kernel as tf.Tensor, biasTensor]);
  biasTensor.dispose();
  return network;
}

export interface NetworkOutputs {
  /** Row-major n×K hazards. */
  readonly hazards: Float64Array;
  /** Expected purchases in the label window, one per row. */
  readonly expectedPurchases: Float64Array;
}

/**
 * Hazards (sigmoid of the logits) and expected purchases (exp of the count output) for a standardised
 * float32 matrix, computed in chunks to bound memory. The sigmoid is taken in double precision: in
 * float32 it rounds to exactly 1 for logits above ~17, which would turn a very likely purchase into a
 * certain one.
 */
export function forwardOutputs(network: tf.LayersModel, x: Float32Array, rows: number, cols: number, chunk = 16384): NetworkOutputs {
  const width = (network.outputs[0]?.shape[1] ?? 0) as number;
  const k = width - 1;
  const hazards = new Float64Array(rows * k);
  const expectedPurchases = new Float64Array(rows);
  for (let start = 0; start < rows; start += chunk) {
    const m = Math.min(chunk, rows - start);
    const output = tf.tidy(() => network.apply(tf.tensor2d(x.subarray(start * cols, (start + m) * cols), [m, cols])) as tf.Tensor);
    const values = output.dataSync();
    output.dispose();
    for (let i = 0; i < m; i++) {
      for (let b = 0; b < k; b++) hazards[(start + i) * k + b] = 1 / (1 + Math.exp(-(values[i * width + b] as number)));
      expectedPurchases[start + i] = Math.exp(values[i * width + k] as number);
    }
  }
  return { hazards, expectedPurchases };
}
