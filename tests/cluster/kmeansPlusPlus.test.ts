import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { createAllocator } from '../../src/cluster/arena.js';
import { createSeeding, kmeansPlusPlus, seedingBytes, seedTrials } from '../../src/cluster/kmeansPlusPlus.js';
import { prepareData, preparedBytes } from '../../src/cluster/prepare.js';
import type { FeatureMatrix } from '../../src/cluster/types.js';
import { makeBlobs } from './blobs.js';

function seed(data: FeatureMatrix, k: number, options: { useWasm?: boolean; threads?: number; weights?: Float64Array; seed?: number } = {}) {
  const { useWasm = true, threads = 1, weights } = options;
  const alloc = createAllocator(preparedBytes(data.nRows, data.nCols, weights !== undefined) + seedingBytes(data.nRows, data.nCols, k), threads > 1, useWasm);
  const prepared = prepareData(data, weights, alloc, { threads });
  const seeding = createSeeding(prepared, k, alloc);
  return { ...kmeansPlusPlus(prepared, k, Rng.derive(options.seed ?? 1, 'test'), seeding, threads), closest: Float64Array.from(seeding.out.subarray(seeding.closestPlane * data.nRows, (seeding.closestPlane + 1) * data.nRows)), prepared };
}

describe('k-means++ seeding', () => {
  it('scores 2 + ⌊ln k⌋ candidates per step, as scikit-learn', () => {
    expect([2, 3, 7, 8, 20, 21, 55].map(seedTrials)).toEqual([2, 3, 3, 4, 4, 5, 6]);
  });

  // Odd row counts and several blocks; k = 7 pads 3 trials to a quad, k = 23 scores 5 candidates in two quads.
  it.each([
    { n: 5001, d: 6, k: 7 },
    { n: 4099, d: 3, k: 23 },
  ])('gives bit-identical seeds with the SIMD and JavaScript kernels, on one thread and two, weighted or not (%o)', ({ n, d, k }) => {
    const { data } = makeBlobs({ n, d, k: 5, seed: 4, spread: 3, sd: 1 });
    const weights = Float64Array.from({ length: n }, (_, i) => 0.25 + (i % 5) / 2);
    for (const w of [undefined, weights]) {
      const js = seed(data, k, { useWasm: false, weights: w });
      for (const other of [seed(data, k, { weights: w }), seed(data, k, { threads: 2, weights: w })]) {
        expect(other.indices).toEqual(js.indices);
        expect(Array.from(other.closest)).toEqual(Array.from(js.closest));
      }
      expect(new Set(js.indices).size).toBe(k);
    }
  });

  it('leaves every chosen row, and every duplicate of one, at distance exactly 0, so no centre is drawn twice', () => {
    // Four distinct points, each repeated 250 times (customers with identical features are common).
    const points = [[0, 0, 1], [5, 1, 0], [1, 7, 2], [6, 6, 6]];
    const values = Float64Array.from({ length: 1000 * 3 }, (_, i) => (points[Math.floor(i / 3) % 4] as number[])[i % 3] as number);
    const data = { values, nRows: 1000, nCols: 3 };
    for (const s of [1, 2, 3, 4, 5]) {
      const { indices, closest, centres } = seed(data, 4, { seed: s });
      const distinct = new Set(indices.map((i) => i % 4));
      expect(distinct.size).toBe(4);
      expect(Array.from(closest).every((v) => v === 0)).toBe(true);
      // Centres are the chosen rows (centred on the column means).
      expect(centres.length).toBe(12);
    }
  });

  it('matches the distances computed directly to 1e-12 of the data scale', () => {
    const { data } = makeBlobs({ n: 3000, d: 5, k: 4, seed: 8, spread: 5, sd: 1 });
    const { indices, closest, prepared } = seed(data, 6);
    const { x, d } = prepared;
    for (let i = 0; i < 3000; i += 7) {
      let nearest = Infinity;
      for (const c of indices) {
        let s = 0;
        for (let t = 0; t < d; t++) s += ((x[i * d + t] as number) - (x[c * d + t] as number)) ** 2;
        nearest = Math.min(nearest, s);
      }
      expect(Math.abs((closest[i] as number) - nearest)).toBeLessThan(1e-12 * (1 + (prepared.xNorms[i] as number)));
    }
  });
});
