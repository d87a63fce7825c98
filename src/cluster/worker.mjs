// A k-means worker thread: sleeps on shared memory until the main thread posts jobs, then claims blocks of each
// job from its shared cursor. It never returns to its event loop, so jobs are read with receiveMessageOnPort.
import { performance } from 'node:perf_hooks';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runClaimedBlocks } from './kernels.mjs';

const { port, control } = workerData;
// control[0]: count of jobs posted by the main thread; control[2]: 1 once a job has failed (the error text is
// posted back on the port).
// After a job the worker watches for the next one for SPIN_MS before it sleeps: the main thread posts the next
// pass of a fit within about 0.1 ms, while waking a sleeping thread took about as long again on this virtual
// machine, time in which the main thread ran the pass alone. At most SPIN_MS of CPU time is spent per pass.
const SPIN_MS = 0.3;
let seen = 0;
for (;;) {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(control, 0) === seen && performance.now() < until);
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
    try {
      const { job, progress, nBlocks } = received.message;
      runClaimedBlocks(job, progress, nBlocks);
    } catch (error) {
      Atomics.store(control, 2, 1);
      port.postMessage(String(error && error.stack ? error.stack : error));
    }
  }
}
