import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonaeError } from '../core/errors.js';
import { modelDir, scrubbedDir, versionDir, versionEntries, visibleSubdirs } from './layout.js';
import { parseManifest, type Manifest } from './manifest.js';
import { MANIFEST_FILE, checkModelName } from './names.js';
import { readPointerLenient } from './pointer.js';
import { unknownModel } from './read-version.js';

/** One version as listed (manifest parsed, files not hashed: use readVersion to verify). */
export interface VersionInfo {
  readonly model: string;
  readonly version: string;
  readonly dir: string;
  /** Whether current.json points here. */
  readonly current: boolean;
  /** null when the manifest cannot be read; `problem` says why. */
  readonly manifest: Manifest | null;
  readonly problem?: string;
}

/** The models in a registry root (visible directories), sorted. */
export async function listModels(root: string): Promise<string[]> {
  return visibleSubdirs(root);
}

/**
 * Versions of one model (or of every model), oldest first by creation time then name. Temporary and
 * half-deleted directories are never listed. An unknown model is an error; an empty registry lists nothing.
 */
export async function listVersions(root: string, model?: string): Promise<VersionInfo[]> {
  const models = await listModels(root);
  if (model !== undefined) {
    checkModelName(model);
    if (!models.includes(model)) throw unknownModel(root, model, models);
  }
  const out: VersionInfo[] = [];
  for (const name of model !== undefined ? [model] : models) out.push(...(await versionsOf(root, name)));
  return out;
}

async function versionsOf(root: string, model: string): Promise<VersionInfo[]> {
  const pointer = await readPointerLenient(root, model);
  const infos: VersionInfo[] = [];
  const { visible, pending } = await versionEntries(modelDir(root, model));
  // Between the two renames of a scrub's swap, the version lives only in its complete scrubbed copy.
  for (const version of [...new Set([...visible, ...pending])]) {
    const base = {
      model,
      version,
      dir: versionDir(root, model, version),
      current: pointer?.version === version,
    };
    const home = join(base.dir, MANIFEST_FILE);
    const copy = join(scrubbedDir(root, model, version), MANIFEST_FILE);
    // A swap may move the manifest between the listing and the read: home, its copy, home again.
    const read = await firstReadable([home, copy, home]);
    if ('error' in read) {
      infos.push({ ...base, manifest: null, problem: `${home} cannot be read (${read.error.message})` });
      continue;
    }
    try {
      infos.push({ ...base, manifest: parseManifest(read.text, read.path) });
    } catch (error) {
      if (!(error instanceof PersonaeError)) throw error;
      infos.push({ ...base, manifest: null, problem: error.message });
    }
  }
  return infos.sort(byCreation);
}

async function firstReadable(
  paths: readonly string[],
): Promise<{ text: string; path: string } | { error: Error }> {
  let first: Error | undefined;
  for (const path of paths) {
    try {
      return { text: await readFile(path, 'utf8'), path };
    } catch (error) {
      first ??= error as Error;
    }
  }
  return { error: first as Error };
}

function byCreation(a: VersionInfo, b: VersionInfo): number {
  const ta = a.manifest?.createdAt ?? '';
  const tb = b.manifest?.createdAt ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}
