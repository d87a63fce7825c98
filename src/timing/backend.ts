/**
 * TensorFlow.js backend selection: tfjs-node ('tensorflow', native libtensorflow) when it loads, else the
 * WebAssembly backend (SIMD, single-threaded in Node), else the pure-JS 'cpu' backend. tfjs-node is an
 * optional peer dependency that a user installs to get the native backend (npm does not install it, nor
 * libtensorflow, by default), so it is imported dynamically and its absence is expected. The chosen name goes
 * into the run manifest.
 */
import * as tf from './tf.js';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { configError, show } from '../core/errors.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Loads and registers a backend (without activating it); throws when it is not available. */
export type BackendLoader = () => Promise<void>;

export interface BackendChoice {
  readonly name: BackendName;
  /** Why each preferred backend before the chosen one was skipped. */
  readonly skipped: ReadonlyArray<{ readonly name: BackendName; readonly reason: string }>;
}

export interface SelectBackendOptions {
  /** Backends to try, in order (default: tensorflow, wasm, cpu). */
  readonly order?: readonly BackendName[];
  /** Replaces the loader of a backend (hosts with their own wasm files; tests that simulate a failure). */
  readonly loaders?: Partial<Record<BackendName, BackendLoader>>;
}

// A variable specifier keeps TypeScript and bundlers from requiring the optional package at build time.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function loadTfjsNode(): Promise<void> {
  await import(TFJS_NODE);
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from the package's dist directory (next to its main file).
  const distDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(`${distDir}/`);
  // Threads need SharedArrayBuffer workers, which Node's wasm loader does not set up: SIMD only.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

const DEFAULT_LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: loadTfjsNode,
  wasm: loadWasm,
  cpu: async () => {},
};

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `start` and removes the process-wide handlers it added. The wasm backend's Emscripten runtime
 * installs handlers that rethrow every uncaught exception and unhandled rejection from inside its
 * minified glue code, so Node would print a 100 kB line of JavaScript with any crash and turn unhandled
 * rejections into exceptions; the project's own error handling must stay in charge.
 */
async function withoutNewProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await start();
  } finally {
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * Activates the first backend of `order` that loads and initialises, and says which one and why the
 * others were skipped. Process-wide: TensorFlow.js has a single active backend.
 */
export async function chooseBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const order = options.order ?? BACKEND_ORDER;
  for (const name of order) {
    if (!BACKEND_ORDER.includes(name)) {
      configError('bad_tf_backend', `TensorFlow backend ${show(name)} is not known`, `use one of ${BACKEND_ORDER.join(', ')}`);
    }
  }
  const skipped: Array<{ name: BackendName; reason: string }> = [];
  for (const name of order) {
    try {
      await withoutNewProcessHandlers(async () => {
        await (options.loaders?.[name] ?? DEFAULT_LOADERS[name])();
        if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
        await tf.ready();
      });
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: reasonOf(error) });
    }
  }
  return configError(
    'no_tf_backend',
    `no TensorFlow.js backend could start (tried ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`,
    'reinstall the dependencies (npm ci) so that @tensorflow/tfjs-backend-wasm is present',
  );
}

/** Activates the best available backend and returns its name ('tensorflow', 'wasm' or 'cpu'). */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendName> {
  return (await chooseBackend(options)).name;
}
