/** A shared WebAssembly memory (opaque here; its buffer is a SharedArrayBuffer). */
export interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}

/** lloyd(x, d, groupsOf8, packedCentres, packedNorms, labels, start, end, weightsOr0, sums, clusterWeights) → labels changed. */
export type LloydKernel = (...pointersAndCounts: number[]) => number;

export declare function createSharedMemory(pages: number, maximum?: number): SharedMemory;
/** The random tag createSharedMemory wrote into the memory (the same for every Memory object over it). */
export declare function memoryTag(memory: SharedMemory): number;
/** scan(x, d, groups, packedCentres, packedNorms, centres, xNorms, labels, upper, lower, list, count) → changed. */
export type ScanKernel = (...pointersAndCounts: number[]) => number;
/** accumulate(x, d, labels, weightsOr0, start, end, sums, clusterWeights). */
export type AccumulateKernel = (...pointersAndCounts: number[]) => void;
/** seed(x, d, xNorms, start, end, candidates, candidateNorms, quads, closestOr0, weightsOr0, out, n, potentials). */
export type SeedKernel = (...pointersAndCounts: number[]) => void;
/** inertia(x, d, centres, labels, weightsOr0, start, end) → Σ w·‖x − c_label‖². */
export type InertiaKernel = (...pointersAndCounts: number[]) => number;
/** silhouette(rows, d, weights, bounds, count, start, end, out). */
export type SilhouetteKernel = (...pointersAndCounts: number[]) => void;
export declare function instantiateKernels(memory: SharedMemory): {
  lloyd: LloydKernel;
  scan: ScanKernel;
  accumulate: AccumulateKernel;
  seed: SeedKernel;
  inertia: InertiaKernel;
  silhouette: SilhouetteKernel;
  /** columnSums(x, d, start, end, sums). */
  columnSums: (...pointersAndCounts: number[]) => void;
  /** centre(x, d, mean, start, end, xNorms, variance, maxNorm, finite). */
  centre: (...pointersAndCounts: number[]) => void;
};
export declare function simdAvailable(): boolean;
