import * as tf from '../../src/timing/tf.js';
import { describe, expect, it } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import { BACKEND_ORDER, chooseBackend, selectBackend, type BackendName } from '../../src/timing/backend.js';

function matMulResult(): number[] {
  const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
  const values = Array.from(product.dataSync());
  product.dispose();
  return values;
}

describe('selectBackend', () => {
  it('skips the absent tfjs-node and picks the wasm backend here, which computes correctly', async () => {
    const handlers = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const choice = await chooseBackend();
    // The wasm runtime's own crash handlers (which rethrow from its minified glue code) are removed.
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(handlers);
    expect(BACKEND_ORDER).toEqual(['tensorflow', 'wasm', 'cpu']);
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    expect(choice.skipped[0]?.reason).toMatch(/tfjs-node/);
    expect(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')).toBe(true);
    expect(matMulResult()).toEqual([17, 39]);
  });

  it('falls back to cpu when wasm fails to load, and records why', async () => {
    const failingWasm = async (): Promise<void> => {
      throw new Error('simulated: wasm binary missing');
    };
    const choice = await chooseBackend({ loaders: { wasm: failingWasm } });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped).toEqual([
      { name: 'tensorflow', reason: expect.stringMatching(/tfjs-node/) },
      { name: 'wasm', reason: 'simulated: wasm binary missing' },
    ]);
    expect(matMulResult()).toEqual([17, 39]);
  });

  it('honours a forced order and returns just the name', async () => {
    expect(await selectBackend({ order: ['cpu'] })).toBe('cpu');
    expect(await selectBackend({ order: ['wasm', 'cpu'] })).toBe('wasm');
  });

  it('refuses an unknown backend and reports when nothing starts', async () => {
    await expect(selectBackend({ order: ['webgpu' as BackendName] })).rejects.toMatchObject({ code: 'bad_tf_backend' });
    const fail = async (): Promise<void> => {
      throw new Error('nope');
    };
    const error = await selectBackend({ order: ['wasm', 'cpu'], loaders: { wasm: fail, cpu: fail } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonaeError);
    expect((error as PersonaeError).message).toContain('wasm: nope; cpu: nope');
  });
});
