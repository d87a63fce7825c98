import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES, PersonaeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/log.js';
import {
  LOCK_FILE,
  LockedError,
  acquireLock,
  processStartTime,
  readLockHolder,
  withLock,
} from '../../src/runner/lock.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'personae-lock-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pid that surely is not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, error() {}, progress() {}, warn: (m) => void warnings.push(m) };
}

function writeForeignLock(holder: Record<string, unknown>, ageMs = 0): void {
  const path = join(root, LOCK_FILE);
  writeFileSync(path, JSON.stringify(holder));
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
}

describe('acquireLock', () => {
  it('gives the lock to one holder; a second acquirer gets a locked error naming the holder', async () => {
    const lock = await acquireLock(root, { owner: 'personae retrain', handleSignals: false });
    expect(lock.holder).toMatchObject({ pid: process.pid, hostname: hostname(), owner: 'personae retrain' });
    expect(await readLockHolder(root)).toEqual(lock.holder);
    const error = await acquireLock(root, { owner: 'personae models promote', handleSignals: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LockedError);
    const locked = error as LockedError;
    expect(locked.kind).toBe('locked');
    expect(locked.exitCode).toBe(EXIT_CODES.locked);
    expect(locked.exitCode).toBe(4);
    expect(locked.message).toContain(
      `"personae retrain" (pid ${process.pid} on ${hostname()}, since ${lock.holder.startedAt})`,
    );
    expect(locked.holder?.token).toBe(lock.holder.token);
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    const again = await acquireLock(root, { owner: 'next', handleSignals: false });
    await again.release();
    await again.release(); // idempotent
  });

  it('recovers the lock of a dead process on this host, with a warning', async () => {
    const pid = deadPid();
    writeForeignLock({
      pid,
      hostname: hostname(),
      owner: 'killed retrain',
      startedAt: '2024-01-01T00:00:00Z',
      token: 'old',
    });
    const logger = recordingLogger();
    const lock = await acquireLock(root, { owner: 'retrain', logger, handleSignals: false });
    expect(lock.recovered).toMatchObject({ pid, owner: 'killed retrain', token: 'old' });
    expect(logger.warnings).toEqual([
      `recovered a stale registry lock: "killed retrain" (pid ${pid}, started 2024-01-01T00:00:00Z) is no longer running`,
    ]);
    expect((await readLockHolder(root))?.token).toBe(lock.holder.token);
    await lock.release();
  });

  it('tells a live holder from a reused pid by the process start time', async () => {
    const start = processStartTime(process.ppid);
    expect(start).toBeGreaterThan(0);
    const holder = {
      pid: process.ppid,
      hostname: hostname(),
      owner: 'retrain',
      startedAt: '2024-01-01T00:00:00Z',
      token: 't',
    };
    writeForeignLock({ ...holder, processStart: start });
    expect(
      (await acquireLock(root, { owner: 'me', handleSignals: false }).catch(
        (e: unknown) => e,
      )) as PersonaeError,
    ).toMatchObject({ kind: 'locked' });
    writeForeignLock({ ...holder, processStart: (start as number) - 1 });
    const logger = recordingLogger();
    const lock = await acquireLock(root, { owner: 'me', logger, handleSignals: false });
    expect(lock.recovered?.pid).toBe(process.ppid);
    expect(logger.warnings[0]).toContain('(its pid now belongs to another process)');
    expect(lock.holder.processStart).toBe(processStartTime(process.pid));
    await lock.release();
  });

  it('respects a fresh lock from another host, and recovers it once older than the max age', async () => {
    const holder = {
      pid: 1,
      hostname: 'other-host',
      owner: 'retrain',
      startedAt: '2024-01-01T00:00:00Z',
      token: 't',
    };
    writeForeignLock(holder, 30_000);
    const error = await acquireLock(root, { owner: 'me', maxAgeMs: 60_000, handleSignals: false }).catch(
      (e: unknown) => e,
    );
    expect((error as PersonaeError).kind).toBe('locked');
    expect((error as PersonaeError).hint).toContain('on another host after 60 s without refresh');
    writeForeignLock(holder, 90_000);
    const logger = recordingLogger();
    const lock = await acquireLock(root, { owner: 'me', maxAgeMs: 60_000, logger, handleSignals: false });
    expect(lock.recovered?.hostname).toBe('other-host');
    expect(logger.warnings[0]).toBe(
      'recovered a stale registry lock: "retrain" (pid 1 on other-host) has not refreshed it for 90 s',
    );
    await lock.release();
  });

  it('treats an unreadable lock file as stale', async () => {
    writeFileSync(join(root, LOCK_FILE), '{"pid": 12');
    const lock = await acquireLock(root, { owner: 'me', handleSignals: false });
    expect(lock.recovered).toBeNull();
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
  });

  it('release never removes a lock that is no longer its own', async () => {
    const lock = await acquireLock(root, { owner: 'me', handleSignals: false });
    const foreign = {
      pid: process.pid,
      hostname: hostname(),
      owner: 'thief',
      startedAt: 'now',
      token: 'someone-else',
    };
    writeFileSync(join(root, LOCK_FILE), JSON.stringify(foreign));
    expect(await lock.isHeld()).toBe(false);
    await lock.release();
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), 'utf8')).token).toBe('someone-else');
  });

  it('withLock releases when the work throws', async () => {
    await expect(
      withLock(root, { owner: 'me', handleSignals: false }, async () => {
        expect(existsSync(join(root, LOCK_FILE))).toBe(true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    expect(
      await withLock(root, { owner: 'me', handleSignals: false }, async (lock) => lock.holder.owner),
    ).toBe('me');
  });

  it('creates the registry directory and validates the max age', async () => {
    const nested = join(root, 'a', 'b');
    const lock = await acquireLock(nested, { owner: 'me', handleSignals: false });
    expect(existsSync(join(nested, LOCK_FILE))).toBe(true);
    await lock.release();
    await expect(acquireLock(root, { owner: 'me', maxAgeMs: 0 })).rejects.toMatchObject({ kind: 'config' });
  });
});
