/**
 * Greedy k-means++ seeding, as scikit-learn's `_kmeans_plusplus`: the first centre is drawn with probability
 * proportional to the sample weight; each next centre is the best of 2 + ⌊ln k⌋ candidates drawn with
 * probability proportional to w·D² (D = distance to the nearest chosen centre), "best" meaning the one that
 * leaves the smallest weighted potential Σ w·D².
 */
import type { Rng } from '../core/rng.js';
import type { PreparedData } from './prepare.js';

/** Returns k centres (row-major k × d) in the coordinates of `data.x` and the indices of the chosen rows. */
export function kmeansPlusPlus(data: PreparedData, k: number, rng: Rng): { centres: Float64Array; indices: number[] } {
  const { n, d, x, weights } = data;
  const w = (i: number): number => (weights === null ? 1 : (weights[i] as number));
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const indices: number[] = [];

  const first = searchCumulative(cumulative(n, w), rng.next() * data.totalWeight);
  indices.push(first);
  centres.set(x.subarray(first * d, first * d + d), 0);
  let closest: Float64Array = distancesTo(data, first);
  let potential = weightedSum(closest, weights);

  // Two spare buffers rotate with `closest`, so the trials allocate nothing.
  let trialBuffer: Float64Array = new Float64Array(n);
  let bestBuffer: Float64Array = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const cumulativePotential = cumulative(n, (i) => w(i) * (closest[i] as number));
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let trial = 0; trial < trials; trial++) {
      const candidate = Math.min(n - 1, searchCumulative(cumulativePotential, rng.next() * potential));
      const candidatePotential = closestWith(data, candidate, closest, trialBuffer);
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestIndex = candidate;
        [bestBuffer, trialBuffer] = [trialBuffer, bestBuffer];
      }
    }
    indices.push(bestIndex);
    centres.set(x.subarray(bestIndex * d, bestIndex * d + d), c * d);
    [closest, bestBuffer] = [bestBuffer, closest];
    potential = bestPotential;
  }
  return { centres, indices };
}

/**
 * One pass: out[i] = min(closest[i], ‖x_i − x_row‖²); returns Σ w·out, the potential if `row` were chosen.
 */
function closestWith(data: PreparedData, row: number, closest: Float64Array, out: Float64Array): number {
  const { n, d, x, weights } = data;
  const base = row * d;
  let potential = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const r = i * d;
    for (let t = 0; t < d; t++) {
      const diff = (x[r + t] as number) - (x[base + t] as number);
      s += diff * diff;
    }
    const c = closest[i] as number;
    const m = s < c ? s : c;
    out[i] = m;
    potential += weights === null ? m : (weights[i] as number) * m;
  }
  return potential;
}

function distancesTo(data: PreparedData, row: number): Float64Array {
  const { n, d, x } = data;
  const out = new Float64Array(n);
  const base = row * d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const r = i * d;
    for (let t = 0; t < d; t++) {
      const diff = (x[r + t] as number) - (x[base + t] as number);
      s += diff * diff;
    }
    out[i] = s;
  }
  return out;
}

function weightedSum(values: Float64Array, weights: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (weights === null ? 1 : (weights[i] as number)) * (values[i] as number);
  return s;
}

function cumulative(n: number, value: (i: number) => number): Float64Array {
  const out = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += value(i);
    out[i] = s;
  }
  return out;
}

/** numpy.searchsorted(cum, target, side='left'): the first index whose cumulative value is ≥ target. */
function searchCumulative(cum: Float64Array, target: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cum.length - 1);
}
