/**
 * The k-means iteration loop shared by Lloyd and Hamerly (scikit-learn's `_kmeans_single_lloyd` semantics):
 * assign, recompute centres from per-block sums added in block order, relocate empty clusters to the rows
 * farthest from their centres, stop on unchanged labels (strict convergence) or when the total squared
 * centre shift is ≤ tol; if not strictly converged, labels are recomputed against the final centres.
 * Hamerly only skips distance computations that cannot change a label, so both give the same labels.
 */
import { BLOCK_ROWS, slotDoubles, type KernelJob, type KernelMode } from './kernels.mjs';
import { f64Bytes, f64LinesBytes, i32Bytes, type Allocator } from './arena.js';
import type { PreparedData } from './prepare.js';
import { runBlocks } from './threadPool.js';

export type Algorithm = 'lloyd' | 'hamerly';

export interface RunOptions {
  algorithm: Algorithm;
  maxIter: number;
  /** Absolute tolerance on Σ‖Δc‖² (already scaled by the data variance). */
  tolAbs: number;
  threads: number;
}

export interface KMeansRun {
  /** Centres in the coordinates of `data.x` (centred), row-major k × d. */
  centres: Float64Array;
  /**
   * The job's own labels array, not a copy: valid until the next run on the job or the release of its memory.
   * (A fresh 2 MB array for 500,000 labels took ~8 ms of page faults on this virtual machine, serial time
   * paid by every restart; the caller copies only the labels it keeps.)
   */
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** Runs k-means from `initialCentres` on `job` (made by createJob for `data`; reusable across restarts). */
export function runKMeans(job: KernelJob, data: PreparedData, initialCentres: Float64Array, k: number, options: RunOptions): KMeansRun {
  const { n, d } = data;
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  job.labels.fill(-1);
  job.centres.set(initialCentres);
  let strict = false;
  let converged = false;
  let iteration = 0;
  for (; iteration < options.maxIter; iteration++) {
    const changed = assign(job, data, nBlocks, options, iteration === 0 ? 'init' : 'next');
    const { sums, clusterWeights } = reduceBlocks(job, nBlocks);
    relocateEmptyClusters(data, job.labels, job.centres, sums, clusterWeights, k);
    const next = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      const cw = clusterWeights[j] as number;
      for (let t = 0; t < d; t++) next[j * d + t] = cw > 0 ? (sums[j * d + t] as number) / cw : (job.centres[j * d + t] as number);
    }
    const totalShift = moveCentres(job, next);
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (totalShift <= options.tolAbs) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(iteration + 1, options.maxIter);
  if (!strict) assign(job, data, nBlocks, options, 'next');
  job.mode = 'inertia';
  runBlocks(job, nBlocks, options.threads);
  let inertia = 0;
  for (let b = 0; b < nBlocks; b++) inertia += job.blockInertia[b] as number;
  return { centres: Float64Array.from(job.centres), labels: job.labels, inertia, nIter, converged };
}

/** Centres per SIMD group: 8 for the Lloyd kernel, 4 for Hamerly's scan (see wasm/lloyd.wat). */
const groupWidth = (hamerly: boolean): number => (hamerly ? 4 : 8);
const paddedK = (k: number, width: number): number => Math.ceil(k / width) * width;

/** Arena bytes createJob takes. */
export function jobBytes(n: number, d: number, k: number, hamerly: boolean): number {
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  const perRow = i32Bytes(n) + (hamerly ? 2 * f64Bytes(n) + i32Bytes(n) : 0);
  const padded = paddedK(k, groupWidth(hamerly));
  const perCentre = f64Bytes(k * d) + f64Bytes(k) + (hamerly ? 2 * f64Bytes(k) : 0) + f64Bytes(padded * d) + f64Bytes(padded);
  const perBlock = f64LinesBytes(nBlocks * slotDoubles(k * d)) + f64LinesBytes(nBlocks * slotDoubles(k)) + i32Bytes(nBlocks) + f64Bytes(nBlocks);
  return perRow + perCentre + perBlock;
}

/** Buffers for passes over `data` with k centres, from `alloc` (shared with worker threads when it is). */
export function createJob(data: PreparedData, k: number, alloc: Allocator, hamerly: boolean): KernelJob {
  const { n, d } = data;
  const nBlocks = Math.ceil(n / BLOCK_ROWS);
  const labels = alloc.i32(n);
  labels.fill(-1);
  const wasm = alloc.memory !== null;
  return {
    mode: 'lloyd',
    n,
    d,
    k,
    x: data.x,
    weights: data.weights,
    xNorms: data.xNorms,
    labels,
    centres: alloc.f64(k * d),
    centreNorms: alloc.f64(k),
    upper: hamerly ? alloc.f64(n) : null,
    lower: hamerly ? alloc.f64(n) : null,
    halfGap: hamerly ? alloc.f64(k) : null,
    shift: hamerly ? alloc.f64(k) : null,
    maxShift: 0,
    secondShift: 0,
    argMaxShift: -1,
    slack: 0,
    memory: alloc.memory,
    groupWidth: groupWidth(hamerly),
    packedCentres: wasm ? alloc.f64(paddedK(k, groupWidth(hamerly)) * d) : null,
    packedNorms: wasm ? alloc.f64(paddedK(k, groupWidth(hamerly))) : null,
    scanList: wasm && hamerly ? alloc.i32(n) : null,
    blockSums: alloc.f64Lines(nBlocks * slotDoubles(k * d)),
    blockWeights: alloc.f64Lines(nBlocks * slotDoubles(k)),
    blockChanged: alloc.i32(nBlocks),
    blockInertia: alloc.f64(nBlocks),
  };
}

/** Packs −2·centres in groups of job.groupWidth, feature-major, for the SIMD kernels (see wasm/lloyd.wat). */
function packCentres(job: KernelJob): void {
  const { d, k, centres, centreNorms, groupWidth: width } = job;
  const packed = job.packedCentres as Float64Array;
  const norms = job.packedNorms as Float64Array;
  const padded = paddedK(k, width);
  for (let g = 0; g < padded / width; g++) {
    for (let t = 0; t < d; t++) {
      for (let lane = 0; lane < width; lane++) {
        const j = width * g + lane;
        packed[(g * d + t) * width + lane] = j < k ? -2 * (centres[j * d + t] as number) : 0;
      }
    }
  }
  for (let j = 0; j < padded; j++) norms[j] = j < k ? (centreNorms[j] as number) : Infinity;
}

/** Labels every row against job.centres; returns how many labels changed. */
export function assign(job: KernelJob, data: PreparedData, nBlocks: number, options: RunOptions, phase: 'init' | 'next'): number {
  const { d, k } = job;
  let maxCentreNorm = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (job.centres[j * d + t] as number) ** 2;
    job.centreNorms[j] = s;
    maxCentreNorm = Math.max(maxCentreNorm, Math.sqrt(s));
  }
  let mode: KernelMode = 'lloyd';
  if (job.packedCentres !== null) packCentres(job);
  if (options.algorithm === 'hamerly') {
    mode = phase === 'init' ? 'hamerly-init' : 'hamerly';
    setHalfGaps(job);
    job.slack = 1e-6 * (data.maxNorm + maxCentreNorm);
  }
  job.mode = mode;
  runBlocks(job, nBlocks, options.threads);
  let changed = 0;
  for (let b = 0; b < nBlocks; b++) changed += job.blockChanged[b] as number;
  return changed;
}

/** Half the distance from each centre to its nearest other centre (Hamerly's s). */
function setHalfGaps(job: KernelJob): void {
  const { d, k, centres } = job;
  const halfGap = job.halfGap as Float64Array;
  for (let j = 0; j < k; j++) {
    let nearest = Infinity;
    for (let m = 0; m < k; m++) {
      if (m === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += ((centres[j * d + t] as number) - (centres[m * d + t] as number)) ** 2;
      nearest = Math.min(nearest, s);
    }
    halfGap[j] = k === 1 ? Infinity : 0.5 * Math.sqrt(nearest);
  }
}

/** Installs the new centres; records each centre's shift (for Hamerly's bounds) and returns Σ shift². */
function moveCentres(job: KernelJob, next: Float64Array): number {
  const { d, k } = job;
  let total = 0;
  let maxShift = 0;
  let secondShift = 0;
  let argMaxShift = -1;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += ((next[j * d + t] as number) - (job.centres[j * d + t] as number)) ** 2;
    total += s;
    const shift = Math.sqrt(s);
    if (job.shift !== null) job.shift[j] = shift;
    if (shift > maxShift) {
      secondShift = maxShift;
      maxShift = shift;
      argMaxShift = j;
    } else if (shift > secondShift) {
      secondShift = shift;
    }
  }
  job.maxShift = maxShift;
  job.secondShift = secondShift;
  job.argMaxShift = argMaxShift;
  job.centres.set(next);
  return total;
}

function reduceBlocks(job: KernelJob, nBlocks: number): { sums: Float64Array; clusterWeights: Float64Array } {
  const { d, k } = job;
  const sums = new Float64Array(k * d);
  const clusterWeights = new Float64Array(k);
  const sumStride = slotDoubles(k * d);
  const weightStride = slotDoubles(k);
  for (let b = 0; b < nBlocks; b++) {
    for (let j = 0; j < k * d; j++) sums[j] = (sums[j] as number) + (job.blockSums[b * sumStride + j] as number);
    for (let j = 0; j < k; j++) clusterWeights[j] = (clusterWeights[j] as number) + (job.blockWeights[b * weightStride + j] as number);
  }
  return { sums, clusterWeights };
}

/**
 * scikit-learn's `_relocate_empty_clusters_dense`: each empty cluster takes the row farthest from its current
 * centre (largest first); that row's weighted value moves from its cluster's sum to the empty cluster's sum.
 * Mutates the local `sums` and `clusterWeights` only.
 */
function relocateEmptyClusters(data: PreparedData, labels: Int32Array, centres: Float64Array, sums: Float64Array, clusterWeights: Float64Array, k: number): void {
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (clusterWeights[j] === 0) empty.push(j);
  if (empty.length === 0) return;
  const { n, d, x, weights } = data;
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = (labels[i] as number) * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += ((x[i * d + t] as number) - (centres[c + t] as number)) ** 2;
    distance[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (distance[b] as number) - (distance[a] as number) || a - b);
  empty.forEach((target, idx) => {
    const far = order[idx] as number;
    const w = weights === null ? 1 : (weights[far] as number);
    const source = labels[far] as number;
    for (let t = 0; t < d; t++) {
      const v = (x[far * d + t] as number) * w;
      sums[source * d + t] = (sums[source * d + t] as number) - v;
      sums[target * d + t] = v;
    }
    clusterWeights[target] = w;
    clusterWeights[source] = (clusterWeights[source] as number) - w;
  });
}
