import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonaeError } from '../core/errors.js';
import { modelDir, pendingScrubs, scrubbedDir, versionDir, visibleSubdirs } from './layout.js';
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
  const visible = await visibleSubdirs(modelDir(root, model));
  // Between the two renames of a scrub's swap, the version lives only in its complete scrubbed copy.
  const hidden = (await pendingScrubs(modelDir(root, model))).filter((v) => !visible.includes(v));
  for (const version of [...visible, ...hidden]) {
    const home = hidden.includes(version)
      ? scrubbedDir(root, model, version)
      : versionDir(root, model, version);
    const path = join(home, MANIFEST_FILE);
    const base = {
      model,
      version,
      dir: versionDir(root, model, version),
      current: pointer?.version === version,
    };
    try {
      infos.push({ ...base, manifest: parseManifest(await readFile(path, 'utf8'), path) });
    } catch (error) {
      const problem =
        error instanceof PersonaeError
          ? error.message
          : `${path} cannot be read (${(error as Error).message})`;
      infos.push({ ...base, manifest: null, problem });
    }
  }
  return infos.sort(byCreation);
}

function byCreation(a: VersionInfo, b: VersionInfo): number {
  const ta = a.manifest?.createdAt ?? '';
  const tb = b.manifest?.createdAt ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}
