/**
 * Where a k-means fit keeps its working arrays. When WebAssembly is available they live in one shared
 * WebAssembly memory, sized up front: its buffer is a SharedArrayBuffer, so worker threads see the same rows,
 * and the SIMD kernel (wasm/lloyd.wat) can read them in place. Otherwise they are plain (or shared) arrays.
 */
import { createSharedMemory, simdAvailable, type SharedMemory } from './wasm/runtime.mjs';

export interface Allocator {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  /** The WebAssembly memory holding the arrays, or null when they are ordinary arrays. */
  memory: SharedMemory | null;
  shared: boolean;
}

const PAGE = 65536;
/** Keep clear of the 4 GiB limit of 32-bit WebAssembly addresses. */
const MAX_ARENA_BYTES = 3 * 2 ** 30;

/** Bytes `length` doubles take in an arena (16-byte aligned). */
export function f64Bytes(length: number): number {
  return Math.ceil((Math.max(1, length) * 8) / 16) * 16;
}

export function i32Bytes(length: number): number {
  return Math.ceil((Math.max(1, length) * 4) / 16) * 16;
}

/** An allocator able to hold `bytes` (computed with f64Bytes/i32Bytes); `shared` when threads will read it. */
export function createAllocator(bytes: number, shared: boolean, useWasm = true): Allocator {
  if (useWasm && bytes <= MAX_ARENA_BYTES && simdAvailable()) return wasmArena(bytes);
  if (shared) {
    return {
      f64: (length) => new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8)).subarray(0, length),
      i32: (length) => new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4)).subarray(0, length),
      memory: null,
      shared: true,
    };
  }
  return { f64: (length) => new Float64Array(length), i32: (length) => new Int32Array(length), memory: null, shared: false };
}

function wasmArena(bytes: number): Allocator {
  const pages = Math.max(1, Math.ceil((bytes + 16) / PAGE));
  const memory = createSharedMemory(pages);
  const buffer = memory.buffer;
  // Offset 0 is left unused so that a zero pointer can mean "no array" to the kernels.
  let top = 16;
  const take = (size: number): number => {
    const at = top;
    top += size;
    if (top > buffer.byteLength) throw new RangeError(`k-means arena overflow: ${top} > ${buffer.byteLength} bytes`);
    return at;
  };
  return {
    f64: (length) => new Float64Array(buffer, take(f64Bytes(length)), length),
    i32: (length) => new Int32Array(buffer, take(i32Bytes(length)), length),
    memory,
    shared: true,
  };
}
