/**
 * Where a k-means fit keeps its working arrays. When WebAssembly is available they live in one shared
 * WebAssembly memory, sized up front: its buffer is a SharedArrayBuffer, so worker threads see the same rows,
 * and the SIMD kernel (wasm/lloyd.wat) can read them in place. Otherwise they are plain (or shared) arrays.
 *
 * A released memory is kept for the next allocator until the event loop turns: the fits of one synchronous
 * loop (every k of selectK, the bootstrap refits) reuse one memory instead of each touching fresh pages, and
 * nothing is held once the caller yields. Arrays are therefore not zeroed: every user writes before it reads.
 */
import { setTimeout } from 'node:timers';
import { createSharedMemory, simdAvailable, type SharedMemory } from './wasm/runtime.mjs';

export interface Allocator {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  /** The WebAssembly memory holding the arrays, or null when they are ordinary arrays. */
  memory: SharedMemory | null;
  shared: boolean;
  /** Hands the memory back for reuse; no array from this allocator may be used afterwards. */
  release(): void;
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
      release: () => undefined,
    };
  }
  return { f64: (length) => new Float64Array(length), i32: (length) => new Int32Array(length), memory: null, shared: false, release: () => undefined };
}

let spare: SharedMemory | null = null;
let dropScheduled = false;

/** A memory of at least `bytes`: the spare one when it is large enough, else a new one with a little headroom. */
function takeMemory(bytes: number): SharedMemory {
  if (spare !== null && spare.buffer.byteLength >= bytes) {
    const memory = spare;
    spare = null;
    return memory;
  }
  // Headroom so that the next fit of the same rows with a larger k (selectK) still fits.
  return createSharedMemory(Math.ceil((bytes + bytes / 32) / PAGE) + 1);
}

function releaseMemory(memory: SharedMemory): void {
  if (spare === null || memory.buffer.byteLength > spare.buffer.byteLength) spare = memory;
  if (dropScheduled) return;
  dropScheduled = true;
  setTimeout(() => {
    spare = null;
    dropScheduled = false;
  }, 0).unref();
}

function wasmArena(bytes: number): Allocator {
  const memory = takeMemory(bytes + 16);
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
    release: () => releaseMemory(memory),
  };
}
