/**
 * A small pool of worker threads that run the k-means kernels over blocks of rows held in shared memory.
 *
 * The API stays synchronous (fit(...) returns `this`): the main thread posts each worker its job, runs its own
 * share, then blocks in Atomics.wait until the workers signal completion, which Node allows on the main
 * thread. Workers are unref'd so they never keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { PersonaeError } from '../core/errors.js';
import { runJob, type KernelJob } from './kernels.mjs';

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  seq: number;
}

const workers: PoolWorker[] = [];
/** How long to wait for a worker that has not started before giving up on threads for this process. */
const STARTUP_LIMIT_MS = 20_000;
let threadsUnavailable = false;

/** Number of threads (the main thread included) to use for `requested`; 'auto' means all available cores. */
export function resolveThreads(requested: number | 'auto'): number {
  if (threadsUnavailable) return 1;
  return requested === 'auto' ? Math.max(1, availableParallelism()) : requested;
}

/** Typed arrays that workers can see: backed by a SharedArrayBuffer. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8)).subarray(0, length);
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4)).subarray(0, length);
}

function spawnWorker(): PoolWorker {
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
    workerData: { port: port2, control },
    transferList: [port2],
    // The worker is plain JavaScript: no TypeScript loader needed, so do not inherit --import tsx.
    execArgv: [],
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1, control, seq: 0 };
}

function ensureWorkers(count: number): PoolWorker[] {
  while (workers.length < count) workers.push(spawnWorker());
  return workers.slice(0, count);
}

/**
 * Runs `job` over blocks [0, nBlocks) on `threads` threads. Blocks are split into contiguous ranges; the
 * main thread takes the first. Each block writes only its own output slots, so no locking is needed.
 */
export function runBlocks(job: KernelJob, nBlocks: number, threads: number): void {
  const useThreads = Math.min(resolveThreads(threads), nBlocks);
  if (useThreads <= 1) {
    runJob(job, 0, nBlocks);
    return;
  }
  const helpers = ensureWorkers(useThreads - 1);
  const per = Math.ceil(nBlocks / useThreads);
  helpers.forEach((helper, index) => {
    const firstBlock = Math.min(nBlocks, (index + 1) * per);
    const endBlock = Math.min(nBlocks, firstBlock + per);
    helper.port.postMessage({ job, firstBlock, endBlock });
    helper.seq += 1;
    Atomics.store(helper.control, 0, helper.seq);
    Atomics.notify(helper.control, 0);
  });
  runJob(job, 0, Math.min(nBlocks, per));
  helpers.forEach((helper, index) => awaitWorker(helper, job, index + 1, per, nBlocks));
}

function awaitWorker(helper: PoolWorker, job: KernelJob, rank: number, per: number, nBlocks: number): void {
  const started = Date.now();
  for (;;) {
    const done = Atomics.load(helper.control, 1);
    if (done === helper.seq) break;
    Atomics.wait(helper.control, 1, done, 100);
    if (Atomics.load(helper.control, 3) === 0 && Date.now() - started > STARTUP_LIMIT_MS) {
      // The worker never started (e.g. worker threads are forbidden here): finish its share ourselves.
      threadsUnavailable = true;
      void helper.worker.terminate();
      workers.splice(workers.indexOf(helper), 1);
      const firstBlock = Math.min(nBlocks, rank * per);
      runJob(job, firstBlock, Math.min(nBlocks, firstBlock + per));
      return;
    }
  }
  if (Atomics.load(helper.control, 2) !== 0) {
    const message = receiveMessageOnPort(helper.port)?.message;
    throw new PersonaeError('internal', 'cluster.worker_failed', `A k-means worker thread failed: ${String(message)}`);
  }
}

/** Stops the pool's threads (tests and long-lived hosts may call this; the pool restarts on demand). */
export async function stopWorkers(): Promise<void> {
  const all = workers.splice(0, workers.length);
  await Promise.all(all.map((w) => w.worker.terminate()));
}
