/**
 * Internal cluster-validity scores with scikit-learn's definitions (sklearn.metrics): silhouette (exact, on
 * a seeded sample for large data), Davies-Bouldin (lower is better) and Calinski-Harabasz (higher is better).
 * Rows count once each: sample weights do not enter these scores.
 */
import { inputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { createAllocator, f64Bytes, i32Bytes } from './arena.js';
import { SILHOUETTE_BLOCK_ROWS, type SilhouetteJob } from './kernels.mjs';
import { checkLabels, compactLabels } from './labels.js';
import { resolveThreads, runBlocks } from './threadPool.js';
import type { FeatureMatrix } from './types.js';

function needClusters(count: number, nRows: number, score: string): void {
  if (count < 2 || count > nRows - 1) {
    inputError('cluster.score_undefined', `${score} needs between 2 and n − 1 clusters; got ${count} for ${nRows} rows.`, 'Score clusterings with at least 2 clusters and fewer clusters than rows.');
  }
}

/** Indices of a seeded sample of `size` rows without replacement (all rows, in order, when size ≥ n). */
export function sampleRows(n: number, size: number, seed: number | string, label: string): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  // Partial Fisher–Yates: the first `size` slots of a shuffled index. Only the swapped slots are stored, so a
  // small sample of many rows costs O(size).
  const rng = Rng.derive(seed, label);
  const moved = new Map<number, number>();
  const at = (i: number): number => moved.get(i) ?? i;
  const sample = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(n - i);
    const picked = at(j);
    moved.set(j, at(i));
    sample[i] = picked;
  }
  return sample.sort();
}

/** Below this many distance terms (m²·d), thread hand-offs cost more than they save. */
const PARALLEL_MIN_TERMS = 4_000_000;

/**
 * Mean silhouette coefficient. With `sampleSize` < n, it is computed exactly on a seeded random sample of rows
 * (as sklearn's `silhouette_score(sample_size=…)`): distances within the sample only. `threads` as KMeans
 * (the result does not depend on it).
 */
export function silhouetteScore(data: FeatureMatrix, labels: ArrayLike<number>, options: { sampleSize?: number; seed?: number; threads?: number | 'auto' } = {}): number {
  checkLabels(labels, data.nRows, 'silhouette');
  const rows = sampleRows(data.nRows, options.sampleSize ?? data.nRows, options.seed ?? 0, 'silhouette-sample');
  const { codes, count } = compactLabels(Array.from(rows, (r) => labels[r] as number));
  needClusters(count, rows.length, 'The silhouette score');
  const m = rows.length;
  const work = m * m * data.nCols;
  const sums = silhouetteSums(data, rows, codes, count, work < PARALLEL_MIN_TERMS ? 1 : resolveThreads(options.threads ?? 'auto'));
  const sizes = new Float64Array(count);
  for (let a = 0; a < m; a++) sizes[codes[a] as number] += 1;
  let total = 0;
  for (let a = 0; a < m; a++) {
    const own = codes[a] as number;
    const ownSize = sizes[own] as number;
    if (ownSize <= 1) continue; // a singleton's silhouette is 0, as sklearn
    const intra = (sums[a * count + own] as number) / (ownSize - 1);
    let nearest = Infinity;
    for (let c = 0; c < count; c++) if (c !== own) nearest = Math.min(nearest, (sums[a * count + c] as number) / (sizes[c] as number));
    const denom = Math.max(intra, nearest);
    total += denom > 0 ? (nearest - intra) / denom : 0;
  }
  return total / m;
}

/**
 * For each sampled row a (in sample order) and cluster c, Σ ‖x_a − x_b‖ over the sampled rows b of cluster c
 * (direct differences, as accurate as the data allows), as sums[a·count + c]. The sample is packed by cluster
 * into shared memory for the SIMD kernel (kernels.mjs, wasm/lloyd.wat), which runs in blocks of rows on the
 * worker threads; each row's sums are its own, so the result is the same on any number of threads.
 */
export function silhouetteSums(data: FeatureMatrix, rows: Int32Array, codes: Int32Array, count: number, threads: number, useWasm = true): Float64Array {
  const m = rows.length;
  const d = data.nCols;
  const sizes = new Int32Array(count);
  for (let a = 0; a < m; a++) sizes[codes[a] as number] += 1;
  // Each cluster starts on a whole octet of packed rows; padding rows have weight 0.
  const bounds = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) bounds[c + 1] = (bounds[c] as number) + Math.ceil((sizes[c] as number) / 8);
  const padded = 8 * (bounds[count] as number);
  const bytes = f64Bytes(padded * d) + f64Bytes(padded) + i32Bytes(count + 1) + f64Bytes(padded * count);
  const alloc = createAllocator(bytes, threads > 1, useWasm);
  const job: SilhouetteJob = {
    mode: 'silhouette',
    n: padded,
    d,
    x: alloc.f64(padded * d),
    weights: alloc.f64(padded),
    bounds: alloc.i32(count + 1),
    count,
    out: alloc.f64(padded * count),
    memory: alloc.memory,
  };
  job.bounds.set(bounds);
  job.x.fill(0);
  job.weights.fill(0);
  const position = new Int32Array(m);
  const next = Int32Array.from({ length: count }, (_, c) => 8 * (bounds[c] as number));
  for (let a = 0; a < m; a++) {
    const q = next[codes[a] as number]++ as number;
    position[a] = q;
    job.weights[q] = 1;
    const row = (rows[a] as number) * d;
    for (let t = 0; t < d; t++) job.x[((q >> 3) * d + t) * 8 + (q & 7)] = data.values[row + t] as number;
  }
  runBlocks(job, Math.ceil(padded / SILHOUETTE_BLOCK_ROWS), threads);
  const sums = new Float64Array(m * count);
  for (let a = 0; a < m; a++) sums.set(job.out.subarray((position[a] as number) * count, ((position[a] as number) + 1) * count), a * count);
  alloc.release();
  return sums;
}

interface Centroids {
  codes: Int32Array;
  count: number;
  sizes: Float64Array;
  centroids: Float64Array;
}

function centroidsOf(data: FeatureMatrix, labels: ArrayLike<number>): Centroids {
  const { codes, count } = compactLabels(labels);
  const d = data.nCols;
  const sizes = new Float64Array(count);
  const centroids = new Float64Array(count * d);
  for (let i = 0; i < data.nRows; i++) {
    const c = codes[i] as number;
    sizes[c] += 1;
    for (let t = 0; t < d; t++) centroids[c * d + t] += data.values[i * d + t] as number;
  }
  for (let c = 0; c < count; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= sizes[c] as number;
  return { codes, count, sizes, centroids };
}

export function daviesBouldinScore(data: FeatureMatrix, labels: ArrayLike<number>): number {
  checkLabels(labels, data.nRows, 'Davies-Bouldin');
  const { codes, count, sizes, centroids } = centroidsOf(data, labels);
  needClusters(count, data.nRows, 'The Davies-Bouldin score');
  const d = data.nCols;
  const scatter = new Float64Array(count);
  for (let i = 0; i < data.nRows; i++) {
    const c = codes[i] as number;
    let s = 0;
    for (let t = 0; t < d; t++) s += ((data.values[i * d + t] as number) - (centroids[c * d + t] as number)) ** 2;
    scatter[c] += Math.sqrt(s);
  }
  for (let c = 0; c < count; c++) scatter[c] /= sizes[c] as number;
  if (scatter.every((v) => v === 0)) return 0;
  let total = 0;
  let anySeparation = false;
  for (let a = 0; a < count; a++) {
    let worst = 0;
    for (let b = 0; b < count; b++) {
      if (a === b) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += ((centroids[a * d + t] as number) - (centroids[b * d + t] as number)) ** 2;
      const separation = Math.sqrt(s);
      if (separation === 0) continue; // sklearn treats coincident centroids as infinitely similar → skipped
      anySeparation = true;
      worst = Math.max(worst, ((scatter[a] as number) + (scatter[b] as number)) / separation);
    }
    total += worst;
  }
  return anySeparation ? total / count : 0;
}

export function calinskiHarabaszScore(data: FeatureMatrix, labels: ArrayLike<number>): number {
  checkLabels(labels, data.nRows, 'Calinski-Harabasz');
  const { codes, count, sizes, centroids } = centroidsOf(data, labels);
  needClusters(count, data.nRows, 'The Calinski-Harabasz score');
  const d = data.nCols;
  const n = data.nRows;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data.values[i * d + t] as number;
  for (let t = 0; t < d; t++) mean[t] /= n;
  let between = 0;
  for (let c = 0; c < count; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += ((centroids[c * d + t] as number) - (mean[t] as number)) ** 2;
    between += (sizes[c] as number) * s;
  }
  let within = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    for (let t = 0; t < d; t++) within += ((data.values[i * d + t] as number) - (centroids[c * d + t] as number)) ** 2;
  }
  return within === 0 ? 1 : (between * (n - count)) / (within * (count - 1));
}
