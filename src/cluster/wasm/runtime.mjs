/* global WebAssembly */
// WebAssembly plumbing for the SIMD Lloyd kernel, in JavaScript because the project's TypeScript settings carry
// no WebAssembly types; runtime.d.mts gives the few shapes the TypeScript code needs.
import { randomFillSync } from 'node:crypto';
import { LLOYD_WASM_BASE64 } from './lloyd.wasm.mjs';

let compiled = null;

function lloydModule() {
  if (compiled === null) compiled = new WebAssembly.Module(Buffer.from(LLOYD_WASM_BASE64, 'base64'));
  return compiled;
}

/**
 * A shared WebAssembly memory of `pages` pages, growable to `maximum`; its buffer is a SharedArrayBuffer.
 * Bytes 8–15 (below any array: offset 0 stands for "no array") hold a random tag naming the memory: a worker
 * receives a new Memory object with every job, and the tag tells it that its kernels already fit (memoryTag).
 */
export function createSharedMemory(pages, maximum = pages) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum, shared: true });
  randomFillSync(new Uint32Array(memory.buffer, 8, 2));
  return memory;
}

/** The tag createSharedMemory wrote, as one number (53 random bits). */
export function memoryTag(memory) {
  const words = new Uint32Array(memory.buffer, 8, 2);
  return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
}

/** The kernels bound to `memory` (the exports of lloyd.wat). */
export function instantiateKernels(memory) {
  return new WebAssembly.Instance(lloydModule(), { env: { memory } }).exports;
}

let available;

/** Whether this runtime runs the kernel (WebAssembly SIMD and shared memory; Node ≥ 16.4). */
export function simdAvailable() {
  if (available === undefined) {
    try {
      instantiateKernels(createSharedMemory(1));
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}
