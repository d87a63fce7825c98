// Seeded Gaussian blobs for tests and benchmarks: `centres` are drawn in [-spread, spread]^d, rows round them.
import { Rng } from '../../src/core/rng.js';
import type { FeatureMatrix } from '../../src/cluster/types.js';

export interface Blobs {
  data: FeatureMatrix;
  truth: Int32Array;
  centres: Float64Array;
}

/** `sds` gives each cluster its own standard deviation (default: `sd` for all). */
export function makeBlobs(options: { n: number; d: number; k: number; seed: number; spread?: number; sd?: number; sizes?: number[]; sds?: number[] }): Blobs {
  const { n, d, k, seed, spread = 10, sd = 1 } = options;
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: k * d }, () => rng.uniform(-spread, spread));
  const sizes = options.sizes ?? Array.from({ length: k }, () => 1);
  const values = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.weightedIndex(sizes);
    truth[i] = c;
    const clusterSd = options.sds?.[c] ?? sd;
    for (let t = 0; t < d; t++) values[i * d + t] = (centres[c * d + t] as number) + rng.normal(0, clusterSd);
  }
  return { data: { values, nRows: n, nCols: d }, truth, centres };
}

/** Rows of a flat row-major array as number[][] (for ml-kmeans / ml-pca). */
export function toRows(values: Float64Array, nCols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < values.length / nCols; i++) rows.push(Array.from(values.subarray(i * nCols, (i + 1) * nCols)));
  return rows;
}
