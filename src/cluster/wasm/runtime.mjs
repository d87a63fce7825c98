/* global WebAssembly */
// WebAssembly plumbing for the SIMD Lloyd kernel, in JavaScript because the project's TypeScript settings carry
// no WebAssembly types; runtime.d.mts gives the few shapes the TypeScript code needs.
import { LLOYD_WASM_BASE64 } from './lloyd.wasm.mjs';

let compiled = null;

function lloydModule() {
  if (compiled === null) compiled = new WebAssembly.Module(Buffer.from(LLOYD_WASM_BASE64, 'base64'));
  return compiled;
}

/** A shared WebAssembly memory of `pages` pages, growable to `maximum`; its buffer is a SharedArrayBuffer. */
export function createSharedMemory(pages, maximum = pages) {
  return new WebAssembly.Memory({ initial: pages, maximum, shared: true });
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
