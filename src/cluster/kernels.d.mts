import type { SharedMemory } from './wasm/runtime.mjs';

/** Types of kernels.mjs (plain JavaScript so that worker threads load it without a TypeScript loader). */
export declare const BLOCK_ROWS: number;
/** Alignment and size unit of per-block output slots (one slot per block, see slotDoubles). */
export declare const SLOT_BYTES: number;
/** Doubles a per-block slot of `count` values takes: a whole number of SLOT_BYTES. */
export declare function slotDoubles(count: number): number;

export type KernelMode = 'lloyd' | 'hamerly' | 'hamerly-init' | 'inertia';

/** Everything one pass over the rows needs; typed arrays may live on SharedArrayBuffers. */
export interface KernelJob {
  mode: KernelMode;
  n: number;
  d: number;
  k: number;
  x: Float64Array;
  weights: Float64Array | null;
  /** ‖x‖² per row. */
  xNorms: Float64Array;
  labels: Int32Array;
  centres: Float64Array;
  /** ‖c‖² per centre. */
  centreNorms: Float64Array;
  /** Hamerly state (null for Lloyd). */
  upper: Float64Array | null;
  lower: Float64Array | null;
  halfGap: Float64Array | null;
  shift: Float64Array | null;
  maxShift: number;
  secondShift: number;
  argMaxShift: number;
  slack: number;
  /** Shared WebAssembly memory holding every array of the job (SIMD kernel), or null (JavaScript kernel). */
  memory: SharedMemory | null;
  /** Centres per SIMD group: 8 (Lloyd kernel) or 4 (Hamerly's scan). */
  groupWidth: number;
  /** Centres packed for the SIMD kernel and ‖c‖² padded with +∞ to a multiple of groupWidth (null without it). */
  packedCentres: Float64Array | null;
  packedNorms: Float64Array | null;
  /** Row indices awaiting a full scan (Hamerly with the SIMD kernel), one region per block. */
  scanList: Int32Array | null;
  /** Outputs, one slot per block (blockSums and blockWeights: slotDoubles(k·d) and slotDoubles(k) apart). */
  blockSums: Float64Array;
  blockWeights: Float64Array;
  blockChanged: Int32Array;
  blockInertia: Float64Array;
}

/** k-means++ trials: every row against up to 4·quads candidate rows in one pass (see kmeansPlusPlus.ts). */
export interface SeedJob {
  mode: 'seed';
  n: number;
  d: number;
  x: Float64Array;
  xNorms: Float64Array;
  weights: Float64Array | null;
  memory: SharedMemory | null;
  /** Candidates of this pass, in quads (padded). */
  quads: number;
  /** The output plane holding each row's squared distance to its nearest chosen centre (−1: none yet, +∞). */
  closestPlane: number;
  /** Output, candidate-major: out[c·n + i] = min(closest_i, D²(x_i, candidate c)). */
  out: Float64Array;
  /** Candidate rows packed feature-major in quads, and their ‖x‖². */
  candidates: Float64Array;
  candidateNorms: Float64Array;
  /** Σ w·out per block and candidate, block b's at b·potentialStride. */
  blockPotentials: Float64Array;
  potentialStride: number;
}

/** Silhouette sums of a sample packed by cluster (see silhouetteSums in scores.ts). */
export interface SilhouetteJob {
  mode: 'silhouette';
  /** Packed rows (padded count, a multiple of 8). */
  n: number;
  d: number;
  /** Rows packed in octets, feature-major: x[(o·d + t)·8 + r] is feature t of row 8o + r. */
  x: Float64Array;
  /** 1 for a sample row, 0 for padding. */
  weights: Float64Array;
  /** Cluster c's rows are octets bounds[c] .. bounds[c + 1]. */
  bounds: Int32Array;
  count: number;
  /** out[a·count + c]: Σ over rows b of cluster c of weights[b]·‖x_a − x_b‖. */
  out: Float64Array;
  memory: SharedMemory | null;
}

/** Copying and centring the rows (see prepareData in prepare.ts). */
export interface PrepareJob {
  mode: 'prepare';
  phase: 'sums' | 'centre';
  n: number;
  d: number;
  x: Float64Array;
  xNorms: Float64Array;
  mean: Float64Array;
  /** Per block (b·slotDoubles(d) + t): column sums (phase 'sums'), sums of squares about the mean (phase 'centre'). */
  blockSums: Float64Array;
  blockVariance: Float64Array;
  /** Per block: largest ‖x‖², and 1 when every norm is finite. */
  blockMaxNorm: Float64Array;
  blockFinite: Int32Array;
  memory: SharedMemory | null;
}

/** Any job that runs over blocks of rows on the thread pool. */
export type PassJob = KernelJob | SeedJob | SilhouetteJob | PrepareJob;

export declare function assignBlocks(job: KernelJob, firstBlock: number, endBlock: number): void;
export declare function inertiaBlocks(job: KernelJob, firstBlock: number, endBlock: number): void;
export declare function seedBlocks(job: SeedJob, firstBlock: number, endBlock: number): void;
export declare const SILHOUETTE_BLOCK_ROWS: number;
export declare function silhouetteBlocks(job: SilhouetteJob, firstBlock: number, endBlock: number): void;
export declare function prepareBlocks(job: PrepareJob, firstBlock: number, endBlock: number): void;
export declare function runJob(job: PassJob, firstBlock: number, endBlock: number): void;
export declare function runClaimedBlocks(job: PassJob, progress: Int32Array, nBlocks: number): number;
