/**
 * Validation and preparation of the training matrix shared by every k-means variant: a centred copy of the
 * rows (centring, as scikit-learn does, keeps ‖c‖² − 2x·c accurate), ‖x‖² per row, and the scale numbers the
 * algorithms need. The copy lives in shared memory when worker threads will read it.
 */
import { inputError, show } from '../core/errors.js';
import { f64Bytes, type Allocator } from './arena.js';
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
  return f64Bytes(n * d) + f64Bytes(n) + (weighted ? f64Bytes(n) : 0);
}

/**
 * Centres on the data's column means, or on `offset` (e.g. a trained model's) when given. Also checks that every
 * value is finite (`what` names the input in the message): the check rides on the centring pass, which reads
 * the data anyway, so callers need only checkShape beforehand.
 */
export function prepareData(data: FeatureMatrix, weights: Float64Array | undefined, alloc: Allocator, offset?: Float64Array, what = 'k-means data'): PreparedData {
  const { values, nRows: n, nCols: d } = data;
  const mean = offset === undefined ? columnMeans(data) : Float64Array.from(offset);
  const x = alloc.f64(n * d);
  const xNorms = alloc.f64(n);
  const variance = new Float64Array(d);
  let maxNormSq = 0;
  let allFinite = true;
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let t = 0; t < d; t++) {
      const v = (values[i * d + t] as number) - (mean[t] as number);
      x[i * d + t] = v;
      norm += v * v;
      variance[t] = (variance[t] as number) + v * v;
    }
    xNorms[i] = norm;
    if (norm > maxNormSq) maxNormSq = norm;
    // NaN or ±∞ anywhere in the row (or in its column's mean) makes the norm NaN or +∞.
    if (!(norm < Infinity)) allFinite = false;
  }
  // Throws with the first bad value; passes when only a norm overflowed (finite values beyond ~1e154).
  if (!allFinite) checkFinite(data, what);
  // Variances about the column means (the data is centred there unless an offset was given).
  let meanVariance = 0;
  for (let t = 0; t < d; t++) meanVariance += (variance[t] as number) / n;
  meanVariance /= d;
  let sharedWeights: Float64Array | null = null;
  let totalWeight = n;
  if (weights !== undefined) {
    sharedWeights = alloc.f64(n);
    sharedWeights.set(weights);
    totalWeight = weights.reduce((s, w) => s + w, 0);
  }
  return { n, d, x, weights: sharedWeights, xNorms, mean, meanVariance, maxNorm: Math.sqrt(maxNormSq), totalWeight };
}

function columnMeans(data: FeatureMatrix): Float64Array {
  const { values, nRows: n, nCols: d } = data;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) + (values[i * d + t] as number);
  for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) / n;
  return mean;
}
