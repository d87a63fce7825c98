// Child process of the crash-safety tests (tests/e2e/registry-crash*.test.ts), run with `node --import tsx`.
// It writes, promotes and prunes registry versions like a retrain does; PERSONAE_CRASH_AT makes it SIGKILL
// itself at a named step (src/registry/crash.ts). Modes:
//   write ROOT GENERATION   write kmeans + neural versions of GENERATION, promote both together, prune to 2
//   scrub ROOT              erase ERASURE_REQUEST from every version (registry.scrub)
//   lock ROOT HOLD          wait for START_AT (epoch ms), try the lock, print the outcome, then hold it for
//                           HOLD ms, or until stdin closes when HOLD is "stdin"
import { openRegistry } from '../../src/registry/index.js';
import { acquireLock } from '../../src/runner/lock.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { ERASURE_REQUEST, runGeneration } from './fixture.js';

const [mode, root, arg] = process.argv.slice(2) as [string, string, string];

if (mode === 'write') {
  const targets = await runGeneration(openRegistry(root), Number(arg));
  process.stdout.write(`${JSON.stringify(targets)}\n`);
} else if (mode === 'scrub') {
  const results = await openRegistry(root).scrub(ERASURE_REQUEST);
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else if (mode === 'lock') {
  const startAt = Number(process.env.START_AT ?? 0);
  while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 1));
  try {
    const lock = await acquireLock(root, { owner: `racer ${process.pid}` });
    process.stdout.write(`${JSON.stringify({ got: true, pid: process.pid })}\n`);
    await new Promise((r) =>
      arg === 'stdin' ? process.stdin.on('end', r).resume() : setTimeout(r, Number(arg)),
    );
    await lock.release();
  } catch (error) {
    if (!isPersonaeError(error)) throw error;
    process.stdout.write(`${JSON.stringify({ got: false, kind: error.kind, message: error.message })}\n`);
    process.exitCode = error.exitCode;
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
