/**
 * Greedy k-means++ seeding, as scikit-learn's `_kmeans_plusplus`: the first centre is drawn with probability
 * proportional to the sample weight; each next centre is the best of 2 + ⌊ln k⌋ candidates drawn with
 * probability proportional to w·D² (D = distance to the nearest chosen centre), "best" meaning the one that
 * leaves the smallest weighted potential Σ w·D².
 *
 * All candidates of a step are scored in one pass over the rows (the `seed` kernel, in blocks, on the worker
 * threads too), with D² = max(0, (‖x‖² + ‖c‖²) − 2·x·c) as scikit-learn computes it; the norms and dot products
 * are summed in the same order, so a row's distance to itself (or to a duplicate of itself) is exactly 0.
 * Potentials are summed per block, then over blocks in block order: the same result on any number of threads.
 */
import type { Rng } from '../core/rng.js';
import { BLOCK_ROWS, slotDoubles, type SeedJob } from './kernels.mjs';
import { f64Bytes, f64LinesBytes, type Allocator } from './arena.js';
import type { PreparedData } from './prepare.js';
import { runBlocks } from './threadPool.js';

/** Candidates scored per step: scikit-learn's 2 + ⌊ln k⌋. */
export const seedTrials = (k: number): number => 2 + Math.floor(Math.log(k));

/** The kernel scores candidates four at a time. */
const quadsFor = (candidates: number): number => Math.ceil(candidates / 4);

/** Arena bytes createSeeding takes. */
export function seedingBytes(n: number, d: number, k: number): number {
  const slots = 4 * quadsFor(seedTrials(k));
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  return f64Bytes(slots * n) + f64Bytes(slots * d) + f64Bytes(slots) + f64LinesBytes(nBlocks * slotDoubles(slots));
}

/** Buffers for seeding k centres from `data`, from `alloc` (shared with worker threads when it is). */
export function createSeeding(data: PreparedData, k: number, alloc: Allocator): SeedJob {
  const { n, d } = data;
  const slots = 4 * quadsFor(seedTrials(k));
  return {
    mode: 'seed',
    n,
    d,
    x: data.x,
    xNorms: data.xNorms,
    weights: data.weights,
    memory: alloc.memory,
    quads: 1,
    closestPlane: -1,
    out: alloc.f64(slots * n),
    candidates: alloc.f64(slots * d),
    candidateNorms: alloc.f64(slots),
    // Each block's potentials in a slot of their own lines: the kernel adds every row into them (see kernels.mjs).
    blockPotentials: alloc.f64Lines(Math.ceil(n / BLOCK_ROWS) * slotDoubles(slots)),
    potentialStride: slotDoubles(slots),
  };
}

/** Returns k centres (row-major k × d) in the coordinates of `data.x` and the indices of the chosen rows. */
export function kmeansPlusPlus(data: PreparedData, k: number, rng: Rng, seeding: SeedJob, threads: number): { centres: Float64Array; indices: number[] } {
  const { n, d, x, weights } = data;
  const centres = new Float64Array(k * d);
  const indices: number[] = [];
  const nBlocks = Math.ceil(n / BLOCK_ROWS);

  const first = weights === null ? Math.min(n - 1, Math.max(0, Math.ceil(rng.next() * n) - 1)) : searchCumulative(cumulativeSum(weights), rng.next() * data.totalWeight);
  indices.push(first);
  centres.set(x.subarray(first * d, first * d + d), 0);
  seeding.closestPlane = -1;
  let potential = scoreCandidates(seeding, [first], threads)[0] as number;
  // Each row's squared distance to its nearest centre so far is plane `closestPlane` of the output; the next
  // pass reads it row by row before overwriting the planes, so nothing is copied.
  seeding.closestPlane = 0;
  // Σ w·closest per block, for drawing rows with probability ∝ w·D².
  let blockTotals = Float64Array.from({ length: nBlocks }, (_, b) => seeding.blockPotentials[b * seeding.potentialStride] as number);

  const trials = seedTrials(k);
  for (let c = 1; c < k; c++) {
    const candidates = Array.from({ length: trials }, () => drawRow(seeding, blockTotals, rng.next() * potential));
    const potentials = scoreCandidates(seeding, candidates, threads);
    let best = 0;
    for (let t = 1; t < trials; t++) if ((potentials[t] as number) < (potentials[best] as number)) best = t;
    const chosen = candidates[best] as number;
    indices.push(chosen);
    centres.set(x.subarray(chosen * d, chosen * d + d), c * d);
    seeding.closestPlane = best;
    potential = potentials[best] as number;
    blockTotals = Float64Array.from({ length: nBlocks }, (_, b) => seeding.blockPotentials[b * seeding.potentialStride + best] as number);
  }
  return { centres, indices };
}

/**
 * The first row whose cumulative w·closest reaches `target` (numpy.searchsorted, side 'left', on the cumulative
 * sums), found in two steps: the block from the per-block totals, then the row within that block. The last row
 * of that block when rounding leaves the target just out of reach.
 */
function drawRow(job: SeedJob, blockTotals: Float64Array, target: number): number {
  const { n, weights } = job;
  const closest = job.out.subarray(job.closestPlane * n, (job.closestPlane + 1) * n);
  let acc = 0;
  let b = 0;
  while (b < blockTotals.length - 1 && acc + (blockTotals[b] as number) < target) acc += blockTotals[b++] as number;
  const end = Math.min(n, (b + 1) * BLOCK_ROWS);
  for (let i = b * BLOCK_ROWS; i < end; i++) {
    acc += weights === null ? (closest[i] as number) : (weights[i] as number) * (closest[i] as number);
    if (acc >= target) return i;
  }
  return end - 1;
}

/**
 * One pass over the rows: out[t·n + i] = min(closest_i, D²(x_i, candidate t)), closest_i being plane
 * `closestPlane` of the output (+∞ when it is −1); returns each candidate's potential Σ w·out.
 */
function scoreCandidates(job: SeedJob, rows: number[], threads: number): number[] {
  const { d, x, xNorms } = job;
  const quads = quadsFor(rows.length);
  // Packed feature-major in quads for the kernel (see wasm/lloyd.wat); padding repeats the first candidate.
  for (let slot = 0; slot < 4 * quads; slot++) {
    const row = rows[slot < rows.length ? slot : 0] as number;
    const q = slot >> 2;
    const lane = slot & 3;
    for (let t = 0; t < d; t++) job.candidates[(q * d + t) * 4 + lane] = x[row * d + t] as number;
    job.candidateNorms[slot] = xNorms[row] as number;
  }
  job.quads = quads;
  const nBlocks = Math.ceil(job.n / BLOCK_ROWS);
  runBlocks(job, nBlocks, threads);
  return rows.map((_, t) => {
    let total = 0;
    for (let b = 0; b < nBlocks; b++) total += job.blockPotentials[b * job.potentialStride + t] as number;
    return total;
  });
}

function cumulativeSum(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let s = 0;
  for (let i = 0; i < values.length; i++) out[i] = s += values[i] as number;
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
