import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tf from '../../src/timing/tf.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/tf-gradients.mjs', import.meta.url));
const GENERATED = new URL('../../src/timing/tf-gradients.mjs', import.meta.url);

describe('TensorFlow.js without the @tensorflow/tfjs bundle', () => {
  it('has the gradients of every op the neural timing model differentiates, and the chained tensor methods', () => {
    for (const kernel of [tf.BatchMatMul, tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.AddN, tf.Sum, tf.Square, tf.Exp, tf.Softplus, tf.GatherV2, tf.Relu, tf.Sigmoid, tf.Slice]) {
      expect(tf.getGradient(kernel), kernel).toBeDefined();
    }
    // d/dx Σ (x·w)² = 2 (x·w) w, with the chained methods the training code uses.
    const x = tf.tensor2d([[1, 2]]);
    const w = tf.tensor2d([[3], [4]]);
    const gradient = tf.grad((input: tf.Tensor) => (input as tf.Tensor2D).matMul(w).square().sum())(x);
    expect(Array.from(gradient.dataSync())).toEqual([66, 88]);
  });

  it('src/timing/tf-gradients.mjs is what scripts/tf-gradients.mjs generates from the installed tfjs-core', () => {
    const generated = spawnSync(process.execPath, [SCRIPT, '--stdout'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(generated.status, generated.stderr).toBe(0);
    // After an upgrade of @tensorflow/tfjs-core: `node scripts/tf-gradients.mjs` rewrites it.
    expect(generated.stdout === readFileSync(GENERATED, 'utf8')).toBe(true);
  });
});
