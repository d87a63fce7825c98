// The k-means inner loops, in plain JavaScript so that worker threads can load them without a TypeScript
// loader. The main thread imports the very same functions (typed by kernels.d.mts), so a row is assigned by
// identical code whichever thread handles it.
//
// Work is cut into fixed blocks of BLOCK_ROWS rows. Each block writes its own partial sums, and the caller
// adds the blocks up in block order, so results are bit-for-bit the same for any number of threads.

import { isMainThread } from 'node:worker_threads';
import { instantiateKernels, memoryTag } from './wasm/runtime.mjs';

export const BLOCK_ROWS = 2048;

// The SIMD kernels add every row into its block's output slots in memory (sums per cluster, cluster weights,
// k-means++ potentials, column sums). Neighbouring blocks usually run at the same time on different threads,
// since threads claim blocks one after the other: if their slots shared a cache line, each row's addition would
// pull the line away from the other core (false sharing), which cost more CPU time than the second thread saved.
// Slots therefore start on their own 128-byte boundary (two 64-byte lines, as adjacent-line prefetchers fetch
// pairs) and take a whole number of such lines; arrays of slots come from Allocator.f64Lines.
export const SLOT_BYTES = 128;

/** Doubles a per-block slot of `count` values takes: a whole number of SLOT_BYTES. */
export function slotDoubles(count) {
  const perLine = SLOT_BYTES / 8;
  return Math.ceil(count / perLine) * perLine;
}

// Instances by memory object; the weak keys let a memory go once no job refers to it. A worker receives a new
// memory object with every job, so it also keeps its last instance with that memory's tag: instantiating took
// about 30 µs a pass, time the worker was not running blocks. (The main thread always passes the same object,
// and keeps no instance beyond it so that stopWorkers can let the memory go.)
const instances = new WeakMap();
let lastTag = -1;
let lastKernels = null;

/** The SIMD kernels bound to the job's memory (one instance per memory, per thread). */
function wasmKernels(job) {
  let kernels = instances.get(job.memory);
  if (kernels === undefined) {
    const tag = memoryTag(job.memory);
    kernels = tag === lastTag ? lastKernels : instantiateKernels(job.memory);
    instances.set(job.memory, kernels);
    if (!isMainThread) {
      lastTag = tag;
      lastKernels = kernels;
    }
  }
  return kernels;
}

/** Full scans of rows list[start .. start + count) with the SIMD kernel. */
function wasmScan(job, start, count) {
  if (count === 0) return 0;
  const { x, d, packedCentres, packedNorms, centres, xNorms, labels, upper, lower, scanList } = job;
  return wasmKernels(job).scan(x.byteOffset, d, packedNorms.length / 4, packedCentres.byteOffset, packedNorms.byteOffset, centres.byteOffset, xNorms.byteOffset, labels.byteOffset, upper.byteOffset, lower.byteOffset, scanList.byteOffset + start * 4, count);
}

/**
 * Assigns every row of blocks [firstBlock, endBlock) to its nearest centre and accumulates per-block
 * weighted sums. `job.mode` is 'lloyd' (all distances), 'hamerly' (bound-pruned) or 'hamerly-init'
 * (all distances, and sets the bounds). Distances for the argmin are ‖c‖² − 2x·c (‖x‖² is common to all
 * centres), the same expression in every mode so that all modes choose the same centre.
 */
export function assignBlocks(job, firstBlock, endBlock) {
  const { n, d, k, x, weights, labels, centres, centreNorms, blockSums, blockWeights, blockChanged } = job;
  const mode = job.mode;
  const sumStride = slotDoubles(k * d);
  const weightStride = slotDoubles(k);
  for (let b = firstBlock; b < endBlock; b++) {
    const start = b * BLOCK_ROWS;
    const end = Math.min(n, start + BLOCK_ROWS);
    if (job.memory === null) {
      let changed = 0;
      if (mode === 'lloyd') changed = lloydRows(x, d, k, centres, centreNorms, labels, start, end);
      else if (mode === 'hamerly') changed = hamerlyRows(job, start, end);
      else changed = hamerlyInitRows(job, start, end);
      blockChanged[b] = changed;
      accumulateBlock(x, d, k, weights, labels, start, end, blockSums, b * sumStride, blockWeights, b * weightStride);
      continue;
    }
    blockSums.fill(0, b * sumStride, b * sumStride + k * d);
    blockWeights.fill(0, b * weightStride, b * weightStride + k);
    const weightsAt = weights === null ? 0 : weights.byteOffset;
    const sumsAt = blockSums.byteOffset + b * sumStride * 8;
    const weightSumsAt = blockWeights.byteOffset + b * weightStride * 8;
    const kernels = wasmKernels(job);
    if (mode === 'lloyd' && job.groupWidth === 8) {
      // Assignment and sums in one fused pass.
      blockChanged[b] = kernels.lloyd(x.byteOffset, d, job.packedNorms.length / 8, job.packedCentres.byteOffset, job.packedNorms.byteOffset, labels.byteOffset, start, end, weightsAt, sumsAt, weightSumsAt);
      continue;
    }
    if (mode === 'lloyd') blockChanged[b] = lloydRows(x, d, k, centres, centreNorms, labels, start, end);
    else blockChanged[b] = mode === 'hamerly' ? hamerlyRows(job, start, end) : hamerlyInitRows(job, start, end);
    kernels.accumulate(x.byteOffset, d, labels.byteOffset, weightsAt, start, end, sumsAt, weightSumsAt);
  }
}

/** Weighted sums of the rows of one block per label, written to the block's own output slots. */
function accumulateBlock(x, d, k, weights, labels, start, end, sums, sumBase, clusterWeights, weightBase) {
  const local = accumulator(k * d);
  const localWeights = new Float64Array(k);
  if (weights === null) {
    for (let i = start; i < end; i++) {
      const label = labels[i];
      const row = i * d;
      const target = label * d;
      for (let t = 0; t < d; t++) local[target + t] += x[row + t];
      localWeights[label] += 1;
    }
  } else {
    for (let i = start; i < end; i++) {
      const label = labels[i];
      const w = weights[i];
      const row = i * d;
      const target = label * d;
      for (let t = 0; t < d; t++) local[target + t] += w * x[row + t];
      localWeights[label] += w;
    }
  }
  for (let j = 0; j < k * d; j++) sums[sumBase + j] = local[j];
  for (let j = 0; j < k; j++) clusterWeights[weightBase + j] = localWeights[j];
}

let accumulatorBuffer = new Float64Array(64);

function accumulator(length) {
  if (accumulatorBuffer.length < length) accumulatorBuffer = new Float64Array(length);
  accumulatorBuffer.fill(0, 0, length);
  return accumulatorBuffer;
}

let scratch = new Float64Array(8);

/**
 * ‖c_j‖² − 2x·c_j for every centre j into `out`; four centres at a time so each x value is loaded once
 * (about twice as fast as one centre at a time). Each dot product is still summed over t in order.
 */
function rowDistances(x, row, d, k, centres, centreNorms, out) {
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const c0 = j * d;
    const c1 = c0 + d;
    const c2 = c1 + d;
    const c3 = c2 + d;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let t = 0; t < d; t++) {
      const v = x[row + t];
      a0 += v * centres[c0 + t];
      a1 += v * centres[c1 + t];
      a2 += v * centres[c2 + t];
      a3 += v * centres[c3 + t];
    }
    out[j] = centreNorms[j] - 2 * a0;
    out[j + 1] = centreNorms[j + 1] - 2 * a1;
    out[j + 2] = centreNorms[j + 2] - 2 * a2;
    out[j + 3] = centreNorms[j + 3] - 2 * a3;
  }
  for (; j < k; j++) {
    const c = j * d;
    let a = 0;
    for (let t = 0; t < d; t++) a += x[row + t] * centres[c + t];
    out[j] = centreNorms[j] - 2 * a;
  }
}

function scratchFor(k) {
  if (scratch.length < k) scratch = new Float64Array(k);
  return scratch;
}

function lloydRows(x, d, k, centres, centreNorms, labels, start, end) {
  const dist = scratchFor(k);
  let changed = 0;
  for (let i = start; i < end; i++) {
    rowDistances(x, i * d, d, k, centres, centreNorms, dist);
    let best = 0;
    let bestDist = dist[0];
    for (let j = 1; j < k; j++) {
      if (dist[j] < bestDist) {
        bestDist = dist[j];
        best = j;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
  }
  return changed;
}

/** Full scan of one row: sets the label, the upper bound (exact distance) and the lower bound. */
function scanRow(job, i) {
  const { d, k, x, centres, centreNorms, xNorms, labels, upper, lower } = job;
  const row = i * d;
  const dist = scratchFor(k);
  rowDistances(x, row, d, k, centres, centreNorms, dist);
  let best = 0;
  let bestDist = dist[0];
  let secondDist = Infinity;
  for (let j = 1; j < k; j++) {
    const v = dist[j];
    if (v < bestDist) {
      secondDist = bestDist;
      bestDist = v;
      best = j;
    } else if (v < secondDist) {
      secondDist = v;
    }
  }
  const previous = labels[i];
  labels[i] = best;
  upper[i] = Math.sqrt(directDistance(x, row, centres, best * d, d));
  lower[i] = Math.sqrt(Math.max(0, secondDist + xNorms[i]));
  return previous === best ? 0 : 1;
}

function hamerlyInitRows(job, start, end) {
  if (job.memory !== null) {
    for (let i = start; i < end; i++) job.scanList[i] = i;
    return wasmScan(job, start, end - start);
  }
  let changed = 0;
  for (let i = start; i < end; i++) changed += scanRow(job, i);
  return changed;
}

/**
 * Hamerly (2010): a row keeps its centre when its upper bound is below both its lower bound and half the
 * gap from its centre to the nearest other centre. `job.slack` (an absolute distance, about 1e-6 of the data
 * scale) widens the test so that a row is skipped only when the expanded-distance argmin would certainly
 * agree despite rounding, which keeps labels identical to Lloyd's.
 */
function hamerlyRows(job, start, end) {
  const { d, x, centres, labels, upper, lower, halfGap, shift, slack } = job;
  const maxShift = job.maxShift;
  const secondShift = job.secondShift;
  const argMaxShift = job.argMaxShift;
  const wasm = job.memory !== null;
  const list = job.scanList;
  let listed = 0;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const a = labels[i];
    let u = upper[i] + shift[a];
    const l = lower[i] - (a === argMaxShift ? secondShift : maxShift);
    upper[i] = u;
    lower[i] = l;
    const bound = Math.max(halfGap[a], l);
    if (u + slack < bound) continue;
    u = Math.sqrt(directDistance(x, i * d, centres, a * d, d));
    upper[i] = u;
    if (u + slack < bound) continue;
    if (wasm) list[start + listed++] = i;
    else changed += scanRow(job, i);
  }
  return wasm ? wasmScan(job, start, listed) : changed;
}

function directDistance(x, row, centres, c, d) {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = x[row + t] - centres[c + t];
    s += diff * diff;
  }
  return s;
}

/**
 * Per-block weighted inertia Σ w‖x − c_label‖², computed directly (not expanded) for accuracy, with the SIMD
 * kernel's order: even and odd features summed apart, then added, then an odd last feature.
 */
export function inertiaBlocks(job, firstBlock, endBlock) {
  const { n, d, x, weights, labels, centres, blockInertia } = job;
  for (let b = firstBlock; b < endBlock; b++) {
    const start = b * BLOCK_ROWS;
    const end = Math.min(n, start + BLOCK_ROWS);
    if (job.memory !== null) {
      blockInertia[b] = wasmKernels(job).inertia(x.byteOffset, d, centres.byteOffset, labels.byteOffset, weights === null ? 0 : weights.byteOffset, start, end);
      continue;
    }
    let total = 0;
    for (let i = start; i < end; i++) {
      const row = i * d;
      const c = labels[i] * d;
      let even = 0;
      let odd = 0;
      let t = 0;
      for (; t + 1 < d; t += 2) {
        const a = x[row + t] - centres[c + t];
        even += a * a;
        const b2 = x[row + t + 1] - centres[c + t + 1];
        odd += b2 * b2;
      }
      let s = even + odd;
      if (t < d) {
        const e = x[row + t] - centres[c + t];
        s += e * e;
      }
      total += weights === null ? s : weights[i] * s;
    }
    blockInertia[b] = total;
  }
}

/**
 * k-means++ trials over blocks [firstBlock, endBlock): each row's squared distance to each candidate, down to its
 * closest distance so far, and per-block potentials (see the `seed` kernel in wasm/lloyd.wat; seedRows is the
 * same arithmetic in JavaScript).
 */
export function seedBlocks(job, firstBlock, endBlock) {
  const { n, x, d, xNorms, weights, out, candidates, candidateNorms, quads, closestPlane, blockPotentials, potentialStride } = job;
  for (let b = firstBlock; b < endBlock; b++) {
    const start = b * BLOCK_ROWS;
    const end = Math.min(n, start + BLOCK_ROWS);
    const slot = b * potentialStride;
    if (job.memory === null) {
      seedRows(job, start, end, slot);
      continue;
    }
    wasmKernels(job).seed(x.byteOffset, d, xNorms.byteOffset, start, end, candidates.byteOffset, candidateNorms.byteOffset, quads, closestPlane < 0 ? 0 : out.byteOffset + closestPlane * n * 8, weights === null ? 0 : weights.byteOffset, out.byteOffset, n, blockPotentials.byteOffset + slot * 8);
  }
}

function seedRows(job, start, end, slot) {
  const { n, x, d, xNorms, weights, out, candidates, candidateNorms, quads, closestPlane, blockPotentials } = job;
  const count = 4 * quads;
  blockPotentials.fill(0, slot, slot + count);
  for (let i = start; i < end; i++) {
    const near = closestPlane < 0 ? Infinity : out[closestPlane * n + i]; // read before the row's outputs are written
    const w = weights === null ? 1 : weights[i];
    for (let c = 0; c < count; c++) {
      const base = (c >> 2) * d * 4 + (c & 3);
      let dot = 0;
      for (let t = 0; t < d; t++) dot += x[i * d + t] * candidates[base + t * 4];
      const dist = xNorms[i] + candidateNorms[c] - 2 * dot;
      const clipped = 0 < dist ? dist : 0;
      const m = clipped < near ? clipped : near;
      out[c * n + i] = m;
      blockPotentials[slot + c] += weights === null ? m : w * m;
    }
  }
}

/** Rows of the packed silhouette sample per block. */
export const SILHOUETTE_BLOCK_ROWS = 64;

/**
 * Silhouette sums over blocks [firstBlock, endBlock) of packed rows: each row's summed distance to the rows of each
 * cluster (see the `silhouette` kernel in wasm/lloyd.wat; silhouetteRows is the same arithmetic in JavaScript).
 */
export function silhouetteBlocks(job, firstBlock, endBlock) {
  const { x, d, weights, bounds, count, out, n } = job;
  for (let b = firstBlock; b < endBlock; b++) {
    const start = b * SILHOUETTE_BLOCK_ROWS;
    const end = Math.min(n, start + SILHOUETTE_BLOCK_ROWS);
    if (job.memory === null) silhouetteRows(job, start, end);
    else wasmKernels(job).silhouette(x.byteOffset, d, weights.byteOffset, bounds.byteOffset, count, start, end, out.byteOffset);
  }
}

function silhouetteRows(job, start, end) {
  const { x, d, weights, bounds, count, out } = job;
  const at = (row, t) => ((row >> 3) * d + t) * 8 + (row & 7);
  for (let a = start; a < end; a++) {
    for (let c = 0; c < count; c++) {
      const lanes = [0, 0];
      for (let o = bounds[c]; o < bounds[c + 1]; o++) {
        for (let r = 0; r < 8; r++) {
          const b = o * 8 + r;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const e = x[at(a, t)] - x[at(b, t)];
            s += e * e;
          }
          lanes[r & 1] += weights[b] * Math.sqrt(s);
        }
      }
      out[a * count + c] = lanes[0] + lanes[1];
    }
  }
}

/**
 * Preparation of the rows over blocks [firstBlock, endBlock): phase 'sums' writes each block's column sums;
 * phase 'centre' subtracts the mean in place and writes ‖x‖² per row (summed over t in order, as the k-means++
 * kernel sums its dot products), each block's sums of squares per column, its largest ‖x‖² and whether all its
 * norms are finite. The SIMD kernels (columnSums, centre) do the same arithmetic.
 */
export function prepareBlocks(job, firstBlock, endBlock) {
  const { n, d, x, mean, xNorms, blockSums, blockVariance, blockMaxNorm, blockFinite } = job;
  for (let b = firstBlock; b < endBlock; b++) {
    const start = b * BLOCK_ROWS;
    const end = Math.min(n, start + BLOCK_ROWS);
    const base = b * slotDoubles(d);
    if (job.memory !== null) {
      const kernels = wasmKernels(job);
      if (job.phase === 'sums') kernels.columnSums(x.byteOffset, d, start, end, blockSums.byteOffset + base * 8);
      else kernels.centre(x.byteOffset, d, mean.byteOffset, start, end, xNorms.byteOffset, blockVariance.byteOffset + base * 8, blockMaxNorm.byteOffset + b * 8, blockFinite.byteOffset + b * 4);
      continue;
    }
    if (job.phase === 'sums') {
      blockSums.fill(0, base, base + d);
      for (let i = start; i < end; i++) for (let t = 0; t < d; t++) blockSums[base + t] += x[i * d + t];
      continue;
    }
    blockVariance.fill(0, base, base + d);
    let maxNorm = 0;
    let finite = 1;
    for (let i = start; i < end; i++) {
      let norm = 0;
      for (let t = 0; t < d; t++) {
        const v = x[i * d + t] - mean[t];
        x[i * d + t] = v;
        norm += v * v;
        blockVariance[base + t] += v * v;
      }
      xNorms[i] = norm;
      if (norm > maxNorm) maxNorm = norm;
      if (!(norm < Infinity)) finite = 0;
    }
    blockMaxNorm[b] = maxNorm;
    blockFinite[b] = finite;
  }
}

export function runJob(job, firstBlock, endBlock) {
  if (job.mode === 'prepare') {
    prepareBlocks(job, firstBlock, endBlock);
    return;
  }
  if (job.mode === 'inertia') inertiaBlocks(job, firstBlock, endBlock);
  else if (job.mode === 'seed') seedBlocks(job, firstBlock, endBlock);
  else if (job.mode === 'silhouette') silhouetteBlocks(job, firstBlock, endBlock);
  else assignBlocks(job, firstBlock, endBlock);
}

/**
 * Runs blocks claimed one at a time from a shared cursor (progress[0]); progress[1] counts finished blocks and
 * is notified when the last one finishes. Threads that start late or are descheduled simply claim fewer blocks,
 * and since every block writes only its own slots, results do not depend on who ran what. Returns the number of
 * blocks this thread ran.
 */
export function runClaimedBlocks(job, progress, nBlocks) {
  let ran = 0;
  for (;;) {
    const b = Atomics.add(progress, 0, 1);
    if (b >= nBlocks) return ran;
    ran++;
    runJob(job, b, b + 1);
    if (Atomics.add(progress, 1, 1) + 1 === nBlocks) Atomics.notify(progress, 1);
  }
}
