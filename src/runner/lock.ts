/**
 * The registry lock: one writer (retrain, models promote/rollback) per registry root at a time.
 *
 * The lock file `<root>/.personae.lock` holds JSON {pid, hostname, owner, startedAt, token}. It is created
 * exclusively: the content is written and fsynced to a private temporary file which is then hard-linked to
 * the lock name; link(2) fails with EEXIST when the lock exists, exactly like open(O_CREAT|O_EXCL), but a
 * reader can never see an empty or half-written lock file (works on NFS too).
 *
 * A lock is stale when its holder is gone: same host and the pid is not alive (or now belongs to a
 * process started at another time: pid reuse, detected through /proc on Linux), or the file was not
 * refreshed for `maxAgeMs` (the holder refreshes its mtime every `maxAgeMs / 4`, so only dead holders on
 * other hosts or reused pids wait that long). A stale lock is taken over with a warning: it is renamed
 * away (atomic, one winner), checked to be the same lock that was judged stale, then removed.
 *
 * The holder releases the lock in a finally block (withLock), on SIGINT/SIGTERM, and at process exit.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { link, mkdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import { PersonaeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { crashPoint } from '../registry/crash.js';
import {
  fsyncDir,
  isProcessAlive,
  removeLeftovers,
  tempName,
  writeFileDurable,
} from '../registry/durable.js';

export const LOCK_FILE = '.personae.lock';
const LOCK_TEMP_PREFIX = `${LOCK_FILE}.`;
export const DEFAULT_LOCK_MAX_AGE_MS = 6 * 3600 * 1000;
/** Take-over attempts before giving up (each loses only to another process making progress). */
const MAX_ATTEMPTS = 8;

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** What holds the lock, e.g. "personae retrain". */
  readonly owner: string;
  readonly startedAt: string;
  /** Random, tells this acquisition apart from any other (pid reuse, same owner). */
  readonly token: string;
  /** Start time of the holder process (Linux /proc, clock ticks since boot), to detect a reused pid. */
  readonly processStart?: number;
}

export interface LockOptions {
  readonly owner: string;
  /** A lock not refreshed for this long is stale, whoever holds it (default 6 h). */
  readonly maxAgeMs?: number;
  /** Receives the warning when a stale lock is recovered. */
  readonly logger?: Logger;
  /** Release on SIGINT/SIGTERM and at exit (default true). */
  readonly handleSignals?: boolean;
}

export interface LockHandle {
  readonly path: string;
  readonly holder: LockHolder;
  /** The stale holder this acquisition took over, if any. */
  readonly recovered: LockHolder | null;
  /** Whether the lock file still carries this handle's token. */
  isHeld(): Promise<boolean>;
  /** Removes the lock if it is still this handle's (idempotent). */
  release(): Promise<void>;
  releaseSync(): void;
}

/** The error of a second acquirer; exit code 4 (EXIT_CODES.locked). */
export class LockedError extends PersonaeError {
  readonly holder: LockHolder | null;

  constructor(path: string, holder: LockHolder | null, maxAgeMs: number) {
    const who = holder
      ? `"${holder.owner}" (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})`
      : 'another process (its lock file cannot be read)';
    super(
      'locked',
      'registry_locked',
      `the registry is locked by ${who}: ${path}`,
      `another run is in progress; wait for it to finish. A lock whose process died is recovered automatically ` +
        `(on another host after ${formatDuration(maxAgeMs)} without refresh); to force it, delete ${path}`,
    );
    this.name = 'LockedError';
    this.holder = holder;
  }
}

/** Reads the current holder of the lock of `root`, or null when it is free (or unreadable). */
export async function readLockHolder(root: string): Promise<LockHolder | null> {
  try {
    return parseHolder(await readFile(join(root, LOCK_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Takes the lock of registry `root` (creating the directory), or throws LockedError naming the holder.
 * A stale lock is recovered with a warning. Crash steps: `lock:temp-written`, `lock:linked`.
 */
export async function acquireLock(root: string, options: LockOptions): Promise<LockHandle> {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS;
  if (!(maxAgeMs > 0))
    throw new PersonaeError('config', 'lock_bad_max_age', `lock max age must be > 0 ms, got ${maxAgeMs}`);
  await mkdir(root, { recursive: true });
  await removeLeftovers(root, [LOCK_TEMP_PREFIX]);
  const path = join(root, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    owner: options.owner,
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
    processStart: processStartTime(process.pid),
  };
  let recovered: LockHolder | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreate(root, path, holder)) return startHolding(path, holder, recovered, maxAgeMs, options);
    const seen = await inspect(path);
    if (seen === null) continue; // released meanwhile: try again
    const reason = staleness(seen, maxAgeMs);
    if (reason === null) throw new LockedError(path, seen.holder, maxAgeMs);
    if (await takeOver(path, seen)) {
      recovered = seen.holder;
      options.logger?.warn(`recovered a stale registry lock: ${reason}`, {
        lock: path,
        previous: seen.holder ?? undefined,
      });
    }
  }
  const last = await inspect(path);
  throw new LockedError(path, last?.holder ?? null, maxAgeMs);
}

/** Runs `work` holding the lock of `root`, releasing it however `work` ends. */
export async function withLock<T>(
  root: string,
  options: LockOptions,
  work: (lock: LockHandle) => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(root, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

async function tryCreate(root: string, path: string, holder: LockHolder): Promise<boolean> {
  const temp = join(root, tempName(LOCK_TEMP_PREFIX, '.tmp'));
  await writeFileDurable(temp, Buffer.from(`${JSON.stringify(holder)}\n`), 'lock');
  crashPoint('lock:temp-written');
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  crashPoint('lock:linked');
  await fsyncDir(root);
  return true;
}

interface Seen {
  readonly holder: LockHolder | null;
  readonly text: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

async function inspect(path: string): Promise<Seen | null> {
  try {
    const info = await stat(path);
    const text = await readFile(path, 'utf8');
    return { holder: parseHolder(text), text, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Why the lock is stale, or null when its holder may still be working. */
function staleness(seen: Seen, maxAgeMs: number): string | null {
  const age = Date.now() - seen.mtimeMs;
  const holder = seen.holder;
  if (holder === null) return 'the lock file is unreadable';
  if (holder.hostname === hostname()) {
    if (!isProcessAlive(holder.pid))
      return `"${holder.owner}" (pid ${holder.pid}, started ${holder.startedAt}) is no longer running`;
    const start = holder.processStart === undefined ? undefined : processStartTime(holder.pid);
    if (start !== undefined && start !== holder.processStart) {
      return `"${holder.owner}" (pid ${holder.pid}, started ${holder.startedAt}) is no longer running (its pid now belongs to another process)`;
    }
  }
  if (age > maxAgeMs)
    return `"${holder.owner}" (pid ${holder.pid} on ${holder.hostname}) has not refreshed it for ${formatDuration(age)}`;
  return null;
}

/**
 * Removes the stale lock `seen`, unless another process already replaced it: the lock is renamed to a
 * private name first (only one process can win the rename), and put back if it turns out to be a fresh one.
 */
async function takeOver(path: string, seen: Seen): Promise<boolean> {
  const aside = join(dirname(path), tempName(LOCK_TEMP_PREFIX, '.stale'));
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const now = await inspect(aside);
  const same = now !== null && now.ino === seen.ino && now.text === seen.text;
  if (!same) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return same;
}

function startHolding(
  path: string,
  holder: LockHolder,
  recovered: LockHolder | null,
  maxAgeMs: number,
  options: LockOptions,
): LockHandle {
  let released = false;
  const ownsFile = (text: string): boolean => parseHolder(text)?.token === holder.token;
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      void utimes(path, now, now).catch(() => undefined);
    },
    Math.max(1000, Math.floor(maxAgeMs / 4)),
  );
  heartbeat.unref();

  const detach = (): void => {
    released = true;
    clearInterval(heartbeat);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', releaseSync);
  };
  function releaseSync(): void {
    if (released) return;
    detach();
    try {
      if (ownsFile(readFileSync(path, 'utf8'))) unlinkSync(path);
    } catch {
      // Already gone (or taken over as stale): nothing of ours to remove.
    }
  }
  function onSignal(signal: NodeJS.Signals): void {
    releaseSync();
    // Keep the default outcome of the signal (exit 128+n) unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  if (options.handleSignals ?? true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', releaseSync);
  }
  return {
    path,
    holder,
    recovered,
    async isHeld() {
      try {
        return ownsFile(await readFile(path, 'utf8'));
      } catch {
        return false;
      }
    },
    async release() {
      if (released) return;
      detach();
      try {
        if (ownsFile(await readFile(path, 'utf8'))) {
          await unlink(path);
          await fsyncDir(dirname(path));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
    releaseSync,
  };
}

/** The start time of a process from /proc/<pid>/stat (field 22), or undefined where there is no /proc. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const raw = JSON.parse(text) as Partial<LockHolder> | null;
    if (
      raw &&
      typeof raw.pid === 'number' &&
      typeof raw.hostname === 'string' &&
      typeof raw.token === 'string'
    ) {
      return {
        pid: raw.pid,
        hostname: raw.hostname,
        owner: typeof raw.owner === 'string' ? raw.owner : 'unknown',
        startedAt: typeof raw.startedAt === 'string' ? raw.startedAt : 'unknown',
        token: raw.token,
        ...(typeof raw.processStart === 'number' ? { processStart: raw.processStart } : {}),
      };
    }
  } catch {
    // fall through: unreadable
  }
  return null;
}

function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
