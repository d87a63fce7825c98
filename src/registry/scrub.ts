/**
 * Erasure in the registry: customers who asked to be erased are removed from the customer-level files of
 * every retained version, so that a version kept for rollback, or by retention while the gate keeps the
 * incumbent, does not hold them for months. The version keeps its name; its manifest gets the new sha256
 * and sizes, and a record of the scrub (when, rows removed per file, never the ids).
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonaeError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { crashPoint } from './crash.js';
import { fsyncDir, tempName } from './durable.js';
import { modelDir, scrubbedDir, versionDir, versionEntries } from './layout.js';
import { listModels, listVersions } from './list-versions.js';
import type { FileEntry, Manifest } from './manifest.js';
import { CUSTOMER_LEVEL_FILES, checkModelName } from './names.js';
import { loadFrom, readVersion } from './read-version.js';
import { writeTempVersion } from './temp-version.js';

export interface ScrubOptions {
  /** Only this model (default: every model of the registry). */
  readonly model?: string;
  /** The customer-level files (default CUSTOMER_LEVEL_FILES, src/registry/names.ts). */
  readonly files?: readonly string[];
  /** Timestamp recorded in the manifests (tests); defaults to now. */
  readonly at?: string;
}

export interface VersionScrub {
  readonly version: string;
  /** Rows removed from each customer-level file of the version (0 for a file that held none). */
  readonly rowsRemoved: Readonly<Record<string, number>>;
}

export interface ScrubResult {
  readonly model: string;
  /** Retained versions looked at. */
  readonly versions: number;
  /** Versions rewritten now. */
  readonly scrubbed: VersionScrub[];
  /** Rows removed per file name, over every version of the model. */
  readonly rowsRemoved: Readonly<Record<string, number>>;
}

/**
 * Removes `customerIds` from the customer-level files of every retained version of every model (or of
 * `options.model`). A version holding none of them is left byte for byte as it was, so a second pass
 * removes nothing. Each rewritten version is built complete in `<model>/.tmp-…`, renamed to
 * `<model>/.scrubbed-<version>`, then swapped in for the original (hidden as `.del-<version>-…`, then
 * removed); readers retry across the swap, and repairRegistry completes a swap interrupted by a crash.
 * Run it under the registry lock, after repairRegistry (Registry.scrub does both but the lock).
 *
 * Crash steps: `scrub:tmp-created`, `mid-file:scrub:<file>` and `before-fsync:scrub:<file>` for every file
 * then `manifest.json`, `scrub:before-dir-fsync`, `scrub:before-ready`, `scrub:ready`, `scrub:old-hidden`,
 * `scrub:swapped`.
 */
export async function scrubCustomers(
  root: string,
  customerIds: Iterable<string>,
  options: ScrubOptions = {},
): Promise<ScrubResult[]> {
  const erased = new Set(customerIds);
  const names = options.files ?? CUSTOMER_LEVEL_FILES;
  const at = options.at ?? new Date().toISOString();
  const models = options.model !== undefined ? [checkModelName(options.model)] : await listModels(root);
  const results: ScrubResult[] = [];
  for (const model of models) {
    const versions = await listVersions(root, model);
    const scrubbed: VersionScrub[] = [];
    const rowsRemoved: Record<string, number> = {};
    for (const { version } of erased.size > 0 ? versions : []) {
      const done = await scrubVersion(root, model, version, erased, names, at);
      if (done === null) continue;
      scrubbed.push(done);
      for (const [name, n] of Object.entries(done.rowsRemoved))
        rowsRemoved[name] = (rowsRemoved[name] ?? 0) + n;
    }
    results.push({ model, versions: versions.length, scrubbed, rowsRemoved });
  }
  return results;
}

async function scrubVersion(
  root: string,
  model: string,
  version: string,
  erased: ReadonlySet<string>,
  names: readonly string[],
  at: string,
): Promise<VersionScrub | null> {
  const home = versionDir(root, model, version);
  // A look at the files as stored first: most versions hold none of the ids, and a damaged version that
  // holds none of them is no business of erasure.
  if (!(await mayHoldAny(home, names, erased))) return null;
  const loaded = await readVersion(root, model, version).catch((error: unknown) => {
    if (!(error instanceof PersonaeError)) throw error;
    throw new PersonaeError(
      'input',
      'registry_scrub_damaged',
      `${model} version ${version} holds customers who asked to be erased, but cannot be verified, so erasure cannot rewrite it: ${error.message}`,
      `delete ${home} (it is damaged, and must not keep these customers), then run again`,
    );
  });
  const { files, rowsRemoved } = withoutCustomers(loaded.files, names, erased, home);
  if (Object.values(rowsRemoved).every((n) => n === 0)) return null;
  const entries: Record<string, FileEntry> = { ...loaded.manifest.files };
  for (const name of Object.keys(rowsRemoved)) {
    const bytes = files[name] as Uint8Array;
    entries[name] = { sha256: sha256Hex(bytes), bytes: bytes.length };
  }
  const manifest: Manifest = {
    ...loaded.manifest,
    files: entries,
    scrubs: [...(loaded.manifest.scrubs ?? []), { at, reason: 'erasure', rowsRemoved }],
  };
  await writeScrubbedCopy(root, model, version, files, manifest);
  await swapIn(root, model, version);
  return { version, rowsRemoved };
}

/** Whether a customer-level file in `dir` holds one of the ids (or cannot be parsed to tell). */
async function mayHoldAny(
  dir: string,
  names: readonly string[],
  erased: ReadonlySet<string>,
): Promise<boolean> {
  for (const name of names) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!isPlainObject(parsed) || Object.keys(parsed).some((id) => erased.has(id))) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * The version's files with the erased customers removed from its customer-level files, and the rows each
 * of those lost (pure). A file keeps its layout: compact JSON, with the trailing newline it had.
 */
export function withoutCustomers(
  files: Readonly<Record<string, Uint8Array>>,
  names: readonly string[],
  erased: ReadonlySet<string>,
  where: string,
): { files: Record<string, Uint8Array>; rowsRemoved: Record<string, number> } {
  const out: Record<string, Uint8Array> = { ...files };
  const rowsRemoved: Record<string, number> = {};
  for (const name of names) {
    const bytes = files[name];
    if (bytes === undefined) continue;
    const text = Buffer.from(bytes).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isPlainObject(parsed)) {
      throw new PersonaeError(
        'input',
        'registry_scrub_unsupported',
        `${join(where, name)} is not a JSON object keyed by customer id, so erasure cannot remove customers from it`,
        'customer-level files must be {"<customer_id>": value, …}; delete this version if it was written by another tool',
      );
    }
    const kept = Object.fromEntries(Object.entries(parsed).filter(([id]) => !erased.has(id)));
    const removed = Object.keys(parsed).length - Object.keys(kept).length;
    rowsRemoved[name] = removed;
    if (removed > 0)
      out[name] = Buffer.from(`${JSON.stringify(kept)}${text.endsWith('\n') ? '\n' : ''}`, 'utf8');
  }
  return { files: out, rowsRemoved };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Writes the scrubbed version in a temporary directory, fsyncs it, and names it `.scrubbed-<version>`. */
async function writeScrubbedCopy(
  root: string,
  model: string,
  version: string,
  files: Readonly<Record<string, Uint8Array>>,
  manifest: Manifest,
): Promise<void> {
  const dir = modelDir(root, model);
  const names = Object.keys(manifest.files).sort();
  const temp = await writeTempVersion(dir, names, new Map(Object.entries(files)), manifest, {
    phase: 'scrub',
    fileStep: (name) => `scrub:${name}`,
  });
  try {
    crashPoint('scrub:before-ready');
    await rename(temp, scrubbedDir(root, model, version));
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await fsyncDir(dir);
  crashPoint('scrub:ready');
}

/**
 * Replaces a version by its complete scrubbed copy: the original is renamed to a hidden `.del-…` name,
 * the copy takes the version's name, then the original is removed. Also how repair rolls a swap forward.
 */
async function swapIn(root: string, model: string, version: string): Promise<void> {
  const dir = modelDir(root, model);
  const home = versionDir(root, model, version);
  const hidden = join(dir, tempName(`.del-${version}-`));
  const hid = await rename(home, hidden).then(
    () => true,
    (error: unknown) => {
      // A crash between the two renames left the original hidden already.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    },
  );
  if (hid) crashPoint('scrub:old-hidden');
  await rename(scrubbedDir(root, model, version), home);
  await fsyncDir(dir);
  crashPoint('scrub:swapped');
  if (hid) await rm(hidden, { recursive: true, force: true });
}

/**
 * Completes the scrubs a crash interrupted once their copy was complete (`.scrubbed-<version>` exists):
 * the copy verifies, so it replaces the version (rolled forward); one that does not verify was damaged
 * from outside and is removed, leaving the original. Returns `<model>/<version>` of those rolled forward.
 */
export async function completePendingScrubs(root: string): Promise<string[]> {
  const completed: string[] = [];
  for (const model of await listModels(root)) {
    for (const version of (await versionEntries(modelDir(root, model))).pending) {
      const copy = scrubbedDir(root, model, version);
      const verified = await loadFrom(root, model, version, copy, false).then(
        () => true,
        (error: unknown) => {
          if (error instanceof PersonaeError) return false;
          throw error;
        },
      );
      if (verified) {
        await swapIn(root, model, version);
        completed.push(`${model}/${version}`);
      } else {
        await rm(copy, { recursive: true, force: true });
        await fsyncDir(modelDir(root, model));
      }
    }
  }
  return completed;
}
