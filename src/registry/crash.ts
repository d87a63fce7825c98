/**
 * Crash-injection hook for the crash-safety tests. With `PERSONAE_CRASH_AT=<step>` (or `<step>#<n>` for the
 * n-th time that step is reached) the process SIGKILLs itself at that named step of a registry or lock
 * write, so a test can check that every intermediate state on disk is recoverable. Without the variable
 * this is one environment lookup per step, negligible next to the fsyncs around it.
 */
import { appendFileSync } from 'node:fs';

const reached = new Map<string, number>();

/**
 * Whether the configured crash point is `step` (counting occurrences), without acting on it. With
 * `PERSONAE_CRASH_TRACE=<file>`, every step reached is appended to that file, so that a test can
 * enumerate the steps of a write instead of listing them by hand.
 */
export function isCrashPoint(step: string): boolean {
  const trace = process.env.PERSONAE_CRASH_TRACE;
  if (trace) appendFileSync(trace, `${step}\n`);
  const spec = process.env.PERSONAE_CRASH_AT;
  if (!spec) return false;
  const hash = spec.lastIndexOf('#');
  const target = hash >= 0 ? spec.slice(0, hash) : spec;
  if (target !== step) return false;
  const nth = hash >= 0 ? Number(spec.slice(hash + 1)) : 1;
  const count = (reached.get(step) ?? 0) + 1;
  reached.set(step, count);
  return count === nth;
}

/** Dies at once, as `kill -9` or the OOM killer would: no finally blocks, no exit handlers. */
export function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself is delivered before kill() returns on POSIX; this only guards odd platforms.
  throw new Error(`crash injection: SIGKILL did not stop process ${process.pid}`);
}

/** Kills the process when `step` is the configured crash point. */
export function crashPoint(step: string): void {
  if (isCrashPoint(step)) die();
}
