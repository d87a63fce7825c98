/** Adjusted Rand index (Hubert & Arabie 1985), as sklearn.metrics.adjusted_rand_score. */
import { inputError } from '../core/errors.js';
import { compactLabels } from './labels.js';

const pairs = (x: number): number => (x * (x - 1)) / 2;

export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (truth.length !== predicted.length) inputError('cluster.bad_labels', `adjusted Rand index: ${truth.length} and ${predicted.length} labels.`, 'Compare two labelings of the same rows.');
  const n = truth.length;
  const a = compactLabels(truth);
  const b = compactLabels(predicted);
  // Trivial agreements (sklearn's special cases): one cluster each, or all singletons each.
  if ((a.count === b.count && (a.count === 1 || a.count === n)) || n === 0) return 1;
  const table = new Float64Array(a.count * b.count);
  const rowSums = new Float64Array(a.count);
  const colSums = new Float64Array(b.count);
  for (let i = 0; i < n; i++) {
    const r = a.codes[i] as number;
    const c = b.codes[i] as number;
    table[r * b.count + c] += 1;
    rowSums[r] += 1;
    colSums[c] += 1;
  }
  let index = 0;
  for (const v of table) index += pairs(v);
  let sumRows = 0;
  for (const v of rowSums) sumRows += pairs(v);
  let sumCols = 0;
  for (const v of colSums) sumCols += pairs(v);
  const expected = (sumRows * sumCols) / pairs(n);
  const maximum = (sumRows + sumCols) / 2;
  return maximum === expected ? 1 : (index - expected) / (maximum - expected);
}
