/**
 * The dense network of the neural timing model: standardised features → ReLU hidden layers → one logit per
 * hazard bin. Every initializer is seeded so that the same seed gives the same starting weights.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';

export function buildNetwork(
  inputDim: number,
  hiddenUnits: readonly number[],
  initialHazards: Float64Array,
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
  const bias = Array.from(initialHazards, (h) => Math.log(h / (1 - h)));
  network.add(
    tf.layers.dense({
      units: initialHazards.length,
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

/**
 * Hazards (sigmoid of the logits) for a standardised float32 matrix, computed in chunks to bound memory.
 * The sigmoid is taken in double precision: in float32 it rounds to exactly 1 for logits above ~17,
 * which would turn a very likely purchase into a certain one. Returns a row-major n×K Float64Array.
 */
export function forwardHazards(network: tf.LayersModel, x: Float32Array, rows: number, cols: number, chunk = 16384): Float64Array {
  const k = (network.outputs[0]?.shape[1] ?? 0) as number;
  const out = new Float64Array(rows * k);
  for (let start = 0; start < rows; start += chunk) {
    const m = Math.min(chunk, rows - start);
    const logits = tf.tidy(() => network.apply(tf.tensor2d(x.subarray(start * cols, (start + m) * cols), [m, cols])) as tf.Tensor);
    const values = logits.dataSync();
    logits.dispose();
    for (let j = 0; j < values.length; j++) out[start * k + j] = 1 / (1 + Math.exp(-(values[j] as number)));
  }
  return out;
}
