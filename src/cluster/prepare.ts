/**
 * Validation and preparation of the training matrix shared by every k-means variant: a centred copy of the
 * rows (centring, as scikit-learn does, keeps ‖c‖² − 2x·c accurate), ‖x‖² per row, and the scale numbers the
 * algorithms need. The copy lives in the fit's arena (shared memory when worker threads will read it).
 */
import { inputError, show } from '../core/errors.js';
import { f64Bytes, f64LinesBytes, i32Bytes, type Allocator } from './arena.js';
import { BLOCK_ROWS, slotDoubles, type PrepareJob } from './kernels.mjs';
import { runBlocks } from './threadPool.js';
import type { FeatureMatrix } from './types.js';

export interface PreparedData {
  n: number;
  d: number;
  /** Centred rows (x − mean), row-major. */
  x: Float64Array;
  weights: Float64Array | null;
  xNorms: Float64Array;
  mean: Float64Array;
  /** Mean over columns of the (unweighted) column variances: scikit-learn's scale for `tol`. */
  meanVariance: number;
  /** Largest ‖x‖ of the centred rows. */
  maxNorm: number;
  totalWeight: number;
}

/** Checks shape and finiteness; `what` names the input in messages (e.g. "k-means training data"). */
export function checkMatrix(data: FeatureMatrix, what: string): void {
  checkShape(data, what);
  checkFinite(data, what);
}

export function checkShape(data: FeatureMatrix, what: string): void {
  const { values, nRows, nCols } = data;
  if (!Number.isInteger(nRows) || !Number.isInteger(nCols) || nRows < 1 || nCols < 1) {
    inputError('cluster.bad_shape', `${what}: shape ${nRows} × ${nCols} is not a positive integer shape.`, 'Pass nRows and nCols as positive integers.');
  }
  if (values.length !== nRows * nCols) {
    inputError('cluster.bad_shape', `${what}: ${values.length} values do not fill ${nRows} × ${nCols}.`, 'values must be row-major with exactly nRows × nCols entries.');
  }
}

function checkFinite(data: FeatureMatrix, what: string): void {
  const { values, nCols } = data;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const row = Math.floor(i / nCols);
      inputError('cluster.not_finite', `${what}: row ${row}, column ${i - row * nCols} is ${show(values[i])}.`, 'Impute or drop missing values before clustering (the feature preprocessing should do this).');
    }
  }
}

export function checkWeights(weights: Float64Array | undefined, nRows: number, what: string): void {
  if (weights === undefined) return;
  if (weights.length !== nRows) inputError('cluster.bad_weights', `${what}: ${weights.length} sample weights for ${nRows} rows.`, 'Give one weight per row.');
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!Number.isFinite(w) || w < 0) inputError('cluster.bad_weights', `${what}: sample weight of row ${i} is ${show(w)}.`, 'Sample weights must be finite and ≥ 0.');
    total += w;
  }
  if (!(total > 0)) inputError('cluster.bad_weights', `${what}: all sample weights are zero.`, 'At least one row needs a positive weight.');
}

/** Arena bytes prepareData takes for n rows of d columns. */
export function preparedBytes(n: number, d: number, weighted: boolean): number {
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  const scratch = f64Bytes(d) + 2 * f64LinesBytes(nBlocks * slotDoubles(d)) + f64Bytes(nBlocks) + i32Bytes(nBlocks);
  return f64Bytes(n * d) + f64Bytes(n) + (weighted ? f64Bytes(n) : 0) + scratch;
}

/**
 * Copies the rows into the arena and centres them on the data's column means, or on `offset` (e.g. a trained
 * model's) when given; also checks that every value is finite (`what` names the input in the message), so
 * callers need only checkShape beforehand. Column sums and the centring run in blocks on `threads` threads
 * (kernels.mjs), summed over blocks in block order: the same result on any number of threads.
 */
export function prepareData(data: FeatureMatrix, weights: Float64Array | undefined, alloc: Allocator, options: { offset?: Float64Array; what?: string; threads?: number } = {}): PreparedData {
  const { values, nRows: n, nCols: d } = data;
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  const threads = options.threads ?? 1;
  const stride = slotDoubles(d);
  const job: PrepareJob = {
    mode: 'prepare',
    phase: 'sums',
    n,
    d,
    x: alloc.f64(n * d),
    xNorms: alloc.f64(n),
    mean: alloc.f64(d),
    blockSums: alloc.f64Lines(nBlocks * slotDoubles(d)),
    blockVariance: alloc.f64Lines(nBlocks * slotDoubles(d)),
    blockMaxNorm: alloc.f64(nBlocks),
    blockFinite: alloc.i32(nBlocks),
    memory: alloc.memory,
  };
  job.x.set(values);
  if (options.offset === undefined) {
    runBlocks(job, nBlocks, threads);
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let b = 0; b < nBlocks; b++) s += job.blockSums[b * stride + t] as number;
      job.mean[t] = s / n;
    }
  } else {
    job.mean.set(options.offset);
  }
  job.phase = 'centre';
  runBlocks(job, nBlocks, threads);
  // A NaN or ±∞ anywhere in a row (or in its column's mean) makes its norm NaN or +∞: find and name the first
  // bad value. Nothing is found when only a norm overflowed (finite values beyond ~1e154), and the fit goes on.
  for (let b = 0; b < nBlocks; b++) if (job.blockFinite[b] === 0) checkFinite(data, options.what ?? 'k-means data');
  // Variances about the column means (the data is centred there unless an offset was given).
  let meanVariance = 0;
  let maxNormSq = 0;
  for (let t = 0; t < d; t++) {
    let s = 0;
    for (let b = 0; b < nBlocks; b++) s += job.blockVariance[b * stride + t] as number;
    meanVariance += s / n;
  }
  meanVariance /= d;
  for (let b = 0; b < nBlocks; b++) maxNormSq = Math.max(maxNormSq, job.blockMaxNorm[b] as number);
  let sharedWeights: Float64Array | null = null;
  let totalWeight = n;
  if (weights !== undefined) {
    sharedWeights = alloc.f64(n);
    sharedWeights.set(weights);
    totalWeight = weights.reduce((s, w) => s + w, 0);
  }
  const mean = Float64Array.from(job.mean); // outlives the arena (a model keeps it as its offset)
  return { n, d, x: job.x, weights: sharedWeights, xNorms: job.xNorms, mean, meanVariance, maxNorm: Math.sqrt(maxNormSq), totalWeight };
}
