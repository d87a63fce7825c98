/**
 * Column means and the covariance matrix (ddof = 1) in one pass over the rows: each block of rows is centred on
 * its own mean (it is still in cache), and block co-moments are merged with Chan, Golub & LeVeque's update, which
 * avoids the cancellation of the Σxxᵀ − n·mmᵀ shortcut.
 */
const BLOCK = 256;

export interface Covariance {
  mean: Float64Array;
  /** Row-major d × d, symmetric. */
  covariance: Float64Array;
  n: number;
}

export function covarianceOf(values: Float64Array, n: number, d: number): Covariance {
  const mean = new Float64Array(d);
  const moment = new Float64Array(d * d); // upper triangle used while accumulating
  const blockMean = new Float64Array(d);
  const blockMoment = new Float64Array(d * d);
  const centred = new Float64Array(d);
  let count = 0;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    const size = end - start;
    blockMean.fill(0);
    blockMoment.fill(0);
    for (let i = start; i < end; i++) for (let t = 0; t < d; t++) blockMean[t] += values[i * d + t] as number;
    for (let t = 0; t < d; t++) blockMean[t] /= size;
    for (let i = start; i < end; i++) {
      for (let t = 0; t < d; t++) centred[t] = (values[i * d + t] as number) - (blockMean[t] as number);
      for (let a = 0; a < d; a++) {
        const ca = centred[a] as number;
        const row = a * d;
        for (let b = a; b < d; b++) blockMoment[row + b] += ca * (centred[b] as number);
      }
    }
    const total = count + size;
    const factor = (count * size) / total;
    for (let a = 0; a < d; a++) {
      const da = (blockMean[a] as number) - (mean[a] as number);
      for (let b = a; b < d; b++) {
        const db = (blockMean[b] as number) - (mean[b] as number);
        moment[a * d + b] += (blockMoment[a * d + b] as number) + factor * da * db;
      }
    }
    for (let t = 0; t < d; t++) mean[t] += (((blockMean[t] as number) - (mean[t] as number)) * size) / total;
    count = total;
  }
  const covariance = new Float64Array(d * d);
  const denominator = Math.max(1, n - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = (moment[a * d + b] as number) / denominator;
      covariance[a * d + b] = v;
      covariance[b * d + a] = v;
    }
  }
  return { mean, covariance, n };
}
