// A k-means worker thread: sleeps on shared memory until the main thread posts jobs, then claims blocks of each
// job from its shared cursor. It never returns to its event loop, so jobs are read with receiveMessageOnPort.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runClaimedBlocks } from './kernels.mjs';

const { port, control } = workerData;
// control[0]: count of jobs posted by the main thread; control[2]: 1 once a job has failed (the error text is
// posted back on the port).
let seen = 0;
for (;;) {
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
