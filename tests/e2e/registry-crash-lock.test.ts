// The registry lock across processes: racers started together (exactly one wins), a holder killed with
// SIGKILL (its lock is recovered), and a holder stopped with SIGTERM (it releases on the way out).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log.js';
import { LOCK_FILE, acquireLock, readLockHolder } from '../../src/runner/lock.js';

const CHILD = join(import.meta.dirname, '..', 'registry', 'crash-child.ts');

interface Outcome {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a lock child; `onStdout` sees its output as it comes (e.g. to signal it once it holds the lock). */
function lockChild(
  root: string,
  hold: number | 'stdin',
  env: Record<string, string>,
  onStdout?: (text: string, child: ChildProcess) => void,
  onSpawn?: (child: ChildProcess) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'lock', root, String(hold)], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ pid: child.pid as number, code, signal, stdout, stderr }));
  });
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'personae-lock-e2e-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('registry lock between processes', () => {
  it('of three retrains started together, exactly one runs; the others exit with code 4 naming it', async () => {
    // They all wait for the same instant, then race for the lock. Whoever wins holds it until every racer
    // has tried (all stdins are closed once all are decided), so no timing can let a late one win.
    const env = { START_AT: String(Date.now() + 1500) };
    const children: ChildProcess[] = [];
    let decided = 0;
    const decide = (): void => {
      if (++decided === 3) for (const c of children) c.stdin?.end();
    };
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        lockChild(
          root,
          'stdin',
          env,
          (text) => {
            if (text.includes('"got":')) decide();
          },
          (child) => children.push(child),
        ),
      ),
    );
    const winners = outcomes.filter((o) => o.code === 0);
    const losers = outcomes.filter((o) => o.code !== 0);
    expect(winners).toHaveLength(1);
    const winner = winners[0] as Outcome;
    expect(JSON.parse(winner.stdout)).toEqual({ got: true, pid: winner.pid });
    for (const loser of losers) {
      expect(loser.code).toBe(4);
      const reported = JSON.parse(loser.stdout) as { got: boolean; kind: string; message: string };
      expect(reported).toMatchObject({ got: false, kind: 'locked' });
      expect(reported.message).toContain(`"racer ${winner.pid}" (pid ${winner.pid} on `);
    }
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });

  it('recovers the lock of a process killed with SIGKILL while holding it', async () => {
    const killed = await lockChild(root, 0, { PERSONAE_CRASH_AT: 'lock:linked' });
    expect(killed.signal).toBe('SIGKILL');
    expect((await readLockHolder(root))?.pid).toBe(killed.pid);
    const warnings: string[] = [];
    const logger: Logger = { info() {}, error() {}, progress() {}, warn: (m) => void warnings.push(m) };
    const lock = await acquireLock(root, { owner: 'next retrain', logger, handleSignals: false });
    expect(lock.recovered?.pid).toBe(killed.pid);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `(pid ${killed.pid}, started ${lock.recovered?.startedAt}) is no longer running`,
    );
    await lock.release();
  });

  it('cleans up after a process killed before it linked the lock', async () => {
    const killed = await lockChild(root, 0, { PERSONAE_CRASH_AT: 'lock:temp-written' });
    expect(killed.signal).toBe('SIGKILL');
    expect(readdirSync(root)).toEqual([
      expect.stringMatching(new RegExp(`^\\.personae\\.lock\\.${killed.pid}-[0-9a-f]+\\.tmp$`)),
    ]);
    const lock = await acquireLock(root, { owner: 'next retrain', handleSignals: false });
    expect(lock.recovered).toBeNull();
    expect(readdirSync(root)).toEqual([LOCK_FILE]);
    await lock.release();
  });

  it('releases the lock when the holder is stopped with SIGTERM', async () => {
    const stopped = await lockChild(root, 30_000, {}, (text, child) => {
      if (text.includes('"got":true')) child.kill('SIGTERM');
    });
    expect(stopped.signal).toBe('SIGTERM');
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });
});
