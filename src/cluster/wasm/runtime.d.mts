/** A shared WebAssembly memory (opaque here; its buffer is a SharedArrayBuffer). */
export interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
}

/** lloyd(xPtr, d, groupsOf8, packedCentresPtr, packedNormsPtr, labelsPtr, start, end) → labels changed. */
export type LloydKernel = (x: number, d: number, groups: number, centres: number, norms: number, labels: number, start: number, end: number) => number;

export declare function createSharedMemory(pages: number): SharedMemory;
/** scan(x, d, groups, packedCentres, packedNorms, centres, xNorms, labels, upper, lower, list, count) → changed. */
export type ScanKernel = (...pointersAndCounts: number[]) => number;
/** accumulate(x, d, labels, weightsOr0, start, end, sums, clusterWeights). */
export type AccumulateKernel = (...pointersAndCounts: number[]) => void;
export declare function instantiateKernels(memory: SharedMemory): { lloyd: LloydKernel; scan: ScanKernel; accumulate: AccumulateKernel };
export declare function simdAvailable(): boolean;
