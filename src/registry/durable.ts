/**
 * Durable file-system primitives: every write is fsynced, every rename is followed by an fsync of the
 * directory that holds it, so that after a crash a file is either absent, or complete with its content.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crashPoint, die, isCrashPoint } from './crash.js';

/** fsync a directory so that the entries created, renamed or removed in it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or sync a directory; the rename is then as durable as it gets.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a new file and fsyncs it. `crashLabel` names the crash-injection steps
 * `mid-file:<label>` (half the bytes written) and `before-fsync:<label>`.
 */
export async function writeFileDurable(path: string, data: Uint8Array, crashLabel: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    if (isCrashPoint(`mid-file:${crashLabel}`)) {
      await handle.write(data, 0, Math.floor(data.length / 2));
      die();
    }
    await handle.write(data, 0, data.length);
    crashPoint(`before-fsync:${crashLabel}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A temporary name in `dir` that records the writer's pid, so leftovers of dead writers can be told apart. */
export function tempName(prefix: string, suffix = ''): string {
  return `${prefix}${process.pid}-${randomBytes(6).toString('hex')}${suffix}`;
}

/**
 * Replaces `path` atomically: write a temporary sibling, fsync, rename over `path`, fsync the directory.
 * Readers see the old content or the new one, never a mix. Crash steps: `<label>:tmp-created`,
 * `mid-file:<label>`, `before-fsync:<label>`, `<label>:before-rename`, `<label>:after-rename`.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, label: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, tempName(`.${basename(path)}-`, '.tmp'));
  try {
    if (isCrashPoint(`${label}:tmp-created`)) {
      await (await open(temp, 'wx')).close();
      die();
    }
    await writeFileDurable(temp, data, label);
    crashPoint(`${label}:before-rename`);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  crashPoint(`${label}:after-rename`);
  await fsyncDir(dir);
}

/** Whether a process with this pid runs on this host (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Leftovers older than this are removed even when their pid is alive again (pid reuse). */
const LEFTOVER_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Removes what crashed writers left in `dir`: temporary entries `<prefix><pid>-<random>…` whose writer is
 * dead (or that are older than a day), and `.del-*` entries (versions already hidden for deletion).
 * Returns the names removed.
 */
export async function removeLeftovers(dir: string, tempPrefixes: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const prefix = tempPrefixes.find((p) => name.startsWith(p));
    let stale = name.startsWith('.del-');
    if (!stale && prefix !== undefined) {
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      stale =
        pid === process.pid
          ? false
          : !isProcessAlive(pid) || (await ageMs(join(dir, name))) > LEFTOVER_MAX_AGE_MS;
    }
    if (!stale) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  if (removed.length > 0) await fsyncDir(dir);
  return removed;
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}
