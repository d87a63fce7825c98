// Runs tests/registry/crash-child.ts: once traced (every crash step it reaches), then once per step on a
// fresh copy of a registry, SIGKILLed at that step (PERSONAE_CRASH_AT, src/registry/crash.ts).
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

export interface Crash {
  readonly root: string;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/** The child's arguments for a registry root, e.g. (root) => ['write', root, '4']. */
export type ChildArgs = (root: string) => string[];

function runChild(args: ChildArgs, root: string, step: string, env: Record<string, string> = {}): Promise<Crash> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args(root)], {
      env: { ...process.env, PERSONAE_CRASH_AT: step, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ root, signal, code, stderr }));
  });
}

/** A run without crash on a copy of `base` that records every step it reaches, numbered like PERSONAE_CRASH_AT (#2 …). */
export async function traceSteps(args: ChildArgs, base: string, work: string): Promise<{ clean: Crash; steps: string[] }> {
  const traceRoot = join(work, 'trace');
  cpSync(base, traceRoot, { recursive: true });
  const traceFile = join(work, 'trace.txt');
  const clean = await runChild(args, traceRoot, '', { PERSONAE_CRASH_TRACE: traceFile });
  const seen = new Map<string, number>();
  const steps = readFileSync(traceFile, 'utf8')
    .trim()
    .split('\n')
    .map((step) => {
      const n = (seen.get(step) ?? 0) + 1;
      seen.set(step, n);
      return n === 1 ? step : `${step}#${n}`;
    });
  return { clean, steps };
}

/** One child per step, each on its own copy of `base`, three at a time: they mostly wait on Node's start-up and fsync. */
export async function crashAtEach(args: ChildArgs, base: string, work: string, steps: readonly string[]): Promise<Map<string, Crash>> {
  const crashes = new Map<string, Crash>();
  const queue = [...steps];
  const worker = async (): Promise<void> => {
    for (let step = queue.shift(); step !== undefined; step = queue.shift()) {
      const root = join(work, step.replace(/[^a-z0-9]+/gi, '_'));
      cpSync(base, root, { recursive: true });
      crashes.set(step, await runChild(args, root, step));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return crashes;
}
