// A k-means worker thread: waits on shared memory for a job, runs the kernel on its share of the blocks and
// signals completion. It never returns to its event loop, so jobs are read with receiveMessageOnPort.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runJob } from './kernels.mjs';

const { port, control } = workerData;
// control[0]: job sequence number written by the main thread; control[1]: last finished sequence;
// control[2]: 0 ok, 1 failed (the error text is posted on the port).
Atomics.store(control, 3, 1); // ready
let seen = 0;
for (;;) {
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  const received = receiveMessageOnPort(port);
  try {
    if (received === undefined) throw new Error('k-means worker woke without a job');
    const { job, firstBlock, endBlock } = received.message;
    runJob(job, firstBlock, endBlock);
    Atomics.store(control, 2, 0);
  } catch (error) {
    Atomics.store(control, 2, 1);
    port.postMessage(String(error && error.stack ? error.stack : error));
  }
  Atomics.store(control, 1, seen);
  Atomics.notify(control, 1);
}
