/**
 * Where a k-means fit keeps its working arrays. When WebAssembly is available they live in one shared
 * WebAssembly memory: its buffer is a SharedArrayBuffer, so worker threads see the same rows, and the SIMD
 * kernels (wasm/lloyd.wat) read them in place. Otherwise they are plain (or shared) arrays.
 *
 * The process keeps a single such memory and hands out regions of it as a stack: an allocator takes the next
 * region and gives it back on release (the regions above it first). A shared memory is freed only when every
 * thread that has seen it has collected it, which a worker that allocates nearly nothing may never do; one
 * reused memory that grows to the largest fit keeps the resident size at that high-water mark instead of
 * leaking one memory per fit. Arrays are not zeroed: every user writes before it reads.
 */
import { SLOT_BYTES } from './kernels.mjs';
import { createSharedMemory, simdAvailable, type SharedMemory } from './wasm/runtime.mjs';

export interface Allocator {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  /** Like f64, but starting on a SLOT_BYTES boundary (per-block output slots, see kernels.mjs). */
  f64Lines(length: number): Float64Array;
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

/** Bytes f64Lines(length) takes: room to move the start up to the next SLOT_BYTES boundary. */
export function f64LinesBytes(length: number): number {
  return f64Bytes(length) + SLOT_BYTES;
}

/** An allocator able to hold `bytes` (computed with f64Bytes/i32Bytes); `shared` when threads will read it. */
export function createAllocator(bytes: number, shared: boolean, useWasm = true): Allocator {
  const region = useWasm && simdAvailable() ? wasmRegion(bytes) : null;
  if (region !== null) return region;
  if (shared) {
    const f64 = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8)).subarray(0, length);
    return {
      f64,
      i32: (length) => new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4)).subarray(0, length),
      // A buffer of its own starts on a page; the JavaScript kernels add up each block locally anyway.
      f64Lines: f64,
      memory: null,
      shared: true,
      release: () => undefined,
    };
  }
  const f64 = (length: number): Float64Array => new Float64Array(length);
  return { f64, i32: (length) => new Int32Array(length), f64Lines: f64, memory: null, shared: false, release: () => undefined };
}

let arenaMemory: SharedMemory | null = null;
/** Regions handed out, bottom to top; released ones wait for those above them. */
const regions: { end: number; live: boolean }[] = [];

/** The next region of the process's memory (grown as needed), or null beyond MAX_ARENA_BYTES. */
function wasmRegion(bytes: number): Allocator | null {
  // Offset 0 is left unused so that a zero pointer can mean "no array" to the kernels.
  const start = regions.length === 0 ? 16 : (regions[regions.length - 1] as { end: number }).end;
  const end = start + Math.ceil(bytes / 16) * 16;
  if (end > MAX_ARENA_BYTES) return null;
  const pages = Math.ceil(end / PAGE);
  if (arenaMemory === null) arenaMemory = createSharedMemory(pages, MAX_ARENA_BYTES / PAGE);
  const memory = arenaMemory;
  const have = memory.buffer.byteLength / PAGE;
  if (have < pages) memory.grow(pages - have);
  const region = { end, live: true };
  regions.push(region);
  let top = start;
  const take = (size: number): number => {
    const at = top;
    top += size;
    if (top > end) throw new RangeError(`k-means arena overflow: ${top} > ${end} bytes`);
    return at;
  };
  return {
    f64: (length) => new Float64Array(memory.buffer, take(f64Bytes(length)), length),
    i32: (length) => new Int32Array(memory.buffer, take(i32Bytes(length)), length),
    // The memory's buffer starts on a page, so an offset that is a multiple of SLOT_BYTES is such an address.
    f64Lines: (length) => new Float64Array(memory.buffer, Math.ceil(take(f64LinesBytes(length)) / SLOT_BYTES) * SLOT_BYTES, length),
    memory,
    shared: true,
    release: () => {
      region.live = false;
      while (regions.length > 0 && !(regions[regions.length - 1] as { live: boolean }).live) regions.pop();
    },
  };
}

/** Drops the process's memory once no region is in use (it is freed when every thread has collected it). */
export function dropIdleArena(): void {
  if (regions.length === 0) arenaMemory = null;
}
