/**
 * Where things live in a registry root:
 *
 *     <root>/.personae.lock              the lock of the job that writes (src/runner/lock.ts)
 *     <root>/.promote-intent.json        a multi-model promotion in progress (rolled forward after a crash)
 *     <root>/<model>/current.json        the promoted version and the promotion history
 *     <root>/<model>/<version>/          manifest.json + artifact files, complete or absent
 *     <root>/<model>/.tmp-<pid>-<rand>/  a version being written (ignored by readers)
 *     <root>/<model>/.del-<version>-…/   a version being deleted (ignored by readers)
 *     <root>/<model>/.scrubbed-<version>/ a complete erasure-scrubbed copy about to replace <version>
 *
 * Entries starting with "." are never models or versions.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, POINTER_FILE } from './names.js';
import { packageInfo } from '../core/package-info.js';

export const VERSION_TEMP_PREFIX = '.tmp-';
export const POINTER_TEMP_PREFIX = `.${POINTER_FILE}-`;
export const INTENT_FILE = '.promote-intent.json';
export const INTENT_TEMP_PREFIX = `.${INTENT_FILE}-`;
export const SCRUBBED_PREFIX = '.scrubbed-';

export function modelDir(root: string, model: string): string {
  return join(root, model);
}

export function versionDir(root: string, model: string, version: string): string {
  return join(root, model, version);
}

export function manifestPath(root: string, model: string, version: string): string {
  return join(root, model, version, MANIFEST_FILE);
}

export function pointerPath(root: string, model: string): string {
  return join(root, model, POINTER_FILE);
}

/** Where the scrubbed copy of a version waits for its swap (complete and fsynced once it has this name). */
export function scrubbedDir(root: string, model: string, version: string): string {
  return join(root, model, `${SCRUBBED_PREFIX}${version}`);
}

/**
 * The versions of a model directory from one listing: `visible` directories, and `pending` versions whose
 * scrubbed copy waits for its swap. One listing, because a scrub's two renames may run in between two.
 */
export async function versionEntries(dir: string): Promise<{ visible: string[]; pending: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { visible: [], pending: [] };
    throw error;
  }
  const directories = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  return {
    visible: directories.filter((name) => !name.startsWith('.')).sort(),
    pending: directories
      .filter((name) => name.startsWith(SCRUBBED_PREFIX))
      .map((name) => name.slice(SCRUBBED_PREFIX.length))
      .sort(),
  };
}

/** Visible subdirectories of `dir`, sorted; [] when `dir` does not exist. */
export async function visibleSubdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

let cachedCodeVersion: string | undefined;

/** The version of personae that writes a model, from package.json ("unknown" if it cannot be read). */
export function codeVersion(): string {
  if (cachedCodeVersion === undefined) {
    try {
      const { version } = packageInfo() as { version?: unknown };
      cachedCodeVersion = typeof version === 'string' ? version : 'unknown';
    } catch {
      cachedCodeVersion = 'unknown';
    }
  }
  return cachedCodeVersion;
}
