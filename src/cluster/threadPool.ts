/**
 * A small pool of worker threads that run the k-means kernels over blocks of rows held in shared memory.
 *
 * The API stays synchronous (fit(...) returns `this`): the main thread posts each worker the job, works on it
 * too, then blocks in Atomics.wait until every block is done, which Node allows on the main thread. Workers
 * are unref'd so they never keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { PersonaeError } from '../core/errors.js';
import { dropIdleArena } from './arena.js';
import { runClaimedBlocks, runJob, type PassJob } from './kernels.mjs';

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  posted: number;
}

const workers: PoolWorker[] = [];
/** How long the main thread watches for the last blocks of a pass before it sleeps (see runBlocks). */
const MAIN_SPIN_MS = 0.3;
let blocksByWorkers = 0;

/** How many blocks worker threads (not the main thread) have run in this process: shows that they work. */
export function workerBlockCount(): number {
  return blocksByWorkers;
}

/** Number of threads (the main thread included) to use for `requested`; 'auto' means all available cores. */
export function resolveThreads(requested: number | 'auto'): number {
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
  return { worker, port: port1, control, posted: 0 };
}

function ensureWorkers(count: number): PoolWorker[] {
  while (workers.length < count) workers.push(spawnWorker());
  return workers.slice(0, count);
}

/**
 * Runs `job` over blocks [0, nBlocks) on up to `threads` threads. Every thread, the main one included, claims
 * blocks from a fresh shared cursor until none is left, so a worker that is still starting (or descheduled on a
 * busy machine) never holds the others up; the main thread then waits until every claimed block is finished.
 */
export function runBlocks(job: PassJob, nBlocks: number, threads: number): void {
  const useThreads = Math.min(resolveThreads(threads), nBlocks);
  if (useThreads <= 1) {
    runJob(job, 0, nBlocks);
    return;
  }
  if (!(job.x.buffer instanceof SharedArrayBuffer)) {
    throw new PersonaeError('internal', 'cluster.not_shared', 'Parallel k-means passes need their buffers in shared memory.');
  }
  const progress = sharedInt32(2);
  const helpers = ensureWorkers(useThreads - 1);
  for (const helper of helpers) {
    helper.port.postMessage({ job, progress, nBlocks });
    helper.posted += 1;
    Atomics.store(helper.control, 0, helper.posted);
    Atomics.notify(helper.control, 0);
  }
  const ranHere = runClaimedBlocks(job, progress, nBlocks);
  // The blocks still running elsewhere finish within about a block's time (tens of µs): watch for them a moment
  // before sleeping, since a wake-up costs about as much.
  const until = performance.now() + MAIN_SPIN_MS;
  while (Atomics.load(progress, 1) < nBlocks && performance.now() < until);
  for (;;) {
    const finished = Atomics.load(progress, 1);
    if (finished >= nBlocks) {
      blocksByWorkers += nBlocks - ranHere;
      return;
    }
    Atomics.wait(progress, 1, finished, 100);
    const failed = helpers.find((h) => Atomics.load(h.control, 2) !== 0);
    if (failed !== undefined) {
      const message = receiveMessageOnPort(failed.port)?.message;
      throw new PersonaeError('internal', 'cluster.worker_failed', `A k-means worker thread failed: ${String(message)}`);
    }
  }
}

/**
 * Stops the pool's threads and lets go of the k-means memory (tests and long-lived hosts may call this; both
 * come back on demand).
 */
export async function stopWorkers(): Promise<void> {
  const all = workers.splice(0, workers.length);
  await Promise.all(all.map((w) => w.worker.terminate()));
  dropIdleArena();
}
