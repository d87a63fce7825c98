import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PersonaeError, show } from '../core/errors.js';
import { modelId, sha256Hex, stableStringify } from '../core/hash.js';
import { crashPoint } from './crash.js';
import { fsyncDir, removeLeftovers } from './durable.js';
import { writeTempVersion } from './temp-version.js';
import {
  POINTER_TEMP_PREFIX,
  VERSION_TEMP_PREFIX,
  codeVersion,
  manifestPath,
  modelDir,
  versionDir,
} from './layout.js';
import { MANIFEST_FORMAT, parseManifest, type FileEntry, type Manifest } from './manifest.js';
import {
  CUSTOMER_LEVEL_FILES,
  MANIFEST_FILE,
  checkFileName,
  checkModelName,
  checkVersionName,
  versionNameFor,
} from './names.js';

/** What a caller hands over to register a trained model. */
export interface VersionInput {
  /** Model type and artifact format version, e.g. "kmeans", 1: with params, they make the model id. */
  readonly type: string;
  readonly formatVersion: number | string;
  /** Hyper-parameters (settings), not learned state. */
  readonly params: unknown;
  /** Fingerprint of the training data (e.g. the hash of the input fingerprints and the as-of date). */
  readonly dataFingerprint: string;
  readonly asOf?: string | null;
  readonly runId?: string | null;
  readonly metrics?: Readonly<Record<string, number | null>>;
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Artifact files by plain file name: JSON text, or bytes (e.g. tfjs weights). */
  readonly files: Readonly<Record<string, Uint8Array | string>>;
  /**
   * The main JSON artifact (a key of `files`); when given, its own `id`, `type` and `params` fields (those
   * present) are checked against the manifest's id on load.
   */
  readonly artifact?: string;
  /** An explicit version name; by default it is derived from data fingerprint, as-of, model id and code version. */
  readonly version?: string;
  /** What to do when the version exists with different content: throw (default) or keep the existing one. */
  readonly onConflict?: 'error' | 'keep-existing';
  /** Overrides the code version read from package.json (tests). */
  readonly codeVersion?: string;
  /** Overrides the creation time (tests); ISO timestamp. */
  readonly createdAt?: string;
}

export interface WriteResult {
  /** created: written now; exists: the same model and files were already registered under this version. */
  readonly status: 'created' | 'exists' | 'conflict-kept';
  readonly model: string;
  readonly version: string;
  readonly dir: string;
  readonly manifest: Manifest;
}

/**
 * Writes one version of `model` atomically: every file goes into `<model>/.tmp-<pid>-<random>/`, is
 * fsynced, then the directory is fsynced and renamed to `<model>/<version>/`. A crash at any point leaves
 * either no version or the complete one. Temporary directories left by dead writers are removed first.
 *
 * Idempotent: when the version already exists with the same model id and file hashes (customer-level files
 * aside once erasure scrubbed them), nothing is written and the status is "exists". Crash steps:
 * `version:tmp-created`, `mid-file:<name>`, `before-fsync:<name>` for each file then `manifest.json`,
 * `version:before-dir-fsync`, `version:before-rename`, `version:after-rename`.
 */
export async function writeVersion(root: string, model: string, input: VersionInput): Promise<WriteResult> {
  checkModelName(model);
  const files = encodeFiles(input.files);
  if (input.artifact !== undefined && !files.has(input.artifact)) {
    throw new PersonaeError(
      'input',
      'registry_missing_artifact',
      `artifact ${show(input.artifact)} of model ${model} is not among its files (${[...files.keys()].join(', ')})`,
      'name one of the files passed in `files` as the artifact',
    );
  }
  // The id hashes the params as stored (JSON), so that a reader recomputes exactly the same id.
  const params = JSON.parse(stableStringify(input.params ?? null)) as unknown;
  const id = modelId(input.type, input.formatVersion, params);
  const code = input.codeVersion ?? codeVersion();
  const asOf = input.asOf ?? null;
  const version = checkVersionName(
    input.version ?? versionNameFor({ dataFingerprint: input.dataFingerprint, asOf, id, codeVersion: code }),
  );
  const entries: Record<string, FileEntry> = {};
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    entries[name] = { sha256: sha256Hex(bytes), bytes: bytes.length };
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    model,
    version,
    id,
    type: input.type,
    formatVersion: input.formatVersion,
    params,
    artifact: input.artifact ?? null,
    dataFingerprint: input.dataFingerprint,
    asOf,
    runId: input.runId ?? null,
    metrics: finiteOrNull(input.metrics ?? {}),
    codeVersion: code,
    createdAt: input.createdAt ?? new Date().toISOString(),
    files: entries,
    extra: { ...(input.extra ?? {}) },
  };

  const dir = modelDir(root, model);
  await ensureDir(dir);
  await removeLeftovers(dir, [VERSION_TEMP_PREFIX, POINTER_TEMP_PREFIX]);
  const finalDir = versionDir(root, model, version);
  const existing = await compareExisting(root, model, version, manifest, input.onConflict);
  if (existing) return existing;

  const temp = await writeTempVersion(dir, Object.keys(entries), files, manifest, {
    phase: 'version',
    fileStep: (name) => name,
  });
  try {
    crashPoint('version:before-rename');
    await rename(temp, finalDir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      // Another writer registered the same version between our check and our rename.
      const raced = await compareExisting(root, model, version, manifest, input.onConflict);
      if (raced) return raced;
    }
    throw error;
  }
  crashPoint('version:after-rename');
  await fsyncDir(dir);
  return { status: 'created', model, version, dir: finalDir, manifest };
}

function encodeFiles(files: Readonly<Record<string, Uint8Array | string>>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(files)) {
    checkFileName(name);
    out.set(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  return out;
}

function finiteOrNull(metrics: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(metrics)) out[k] = v !== null && Number.isFinite(v) ? v : null;
  return out;
}

/** Creates the model directory (and the root) durably when missing. */
async function ensureDir(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
    throw new PersonaeError(
      'input',
      'registry_not_a_directory',
      `${dir} exists but is not a directory`,
      'move it away or choose another --registry',
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true });
  await fsyncDir(dirname(dir));
}

async function compareExisting(
  root: string,
  model: string,
  version: string,
  manifest: Manifest,
  onConflict: VersionInput['onConflict'],
): Promise<WriteResult | undefined> {
  const path = manifestPath(root, model, version);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      try {
        await stat(versionDir(root, model, version));
      } catch {
        return undefined;
      }
      throw new PersonaeError(
        'input',
        'registry_bad_version',
        `${versionDir(root, model, version)} has no ${MANIFEST_FILE}`,
        'it was not written by personae: move it away',
      );
    }
    throw error;
  }
  const existing = parseManifest(text, path);
  const dir = versionDir(root, model, version);
  if (existing.id === manifest.id && stableStringify(existing.files) === stableStringify(manifest.files)) {
    return { status: 'exists', model, version, dir, manifest: existing };
  }
  // A version scrubbed for erasure is this same training minus the erased customers: registering it again
  // neither fails nor brings them back.
  if (existing.id === manifest.id && (existing.scrubs ?? []).length > 0) {
    const others = (files: Manifest['files']): string =>
      stableStringify(
        Object.fromEntries(Object.entries(files).filter(([name]) => !CUSTOMER_LEVEL_FILES.includes(name))),
      );
    const sameNames =
      stableStringify(Object.keys(existing.files).sort()) ===
      stableStringify(Object.keys(manifest.files).sort());
    if (sameNames && others(existing.files) === others(manifest.files))
      return { status: 'exists', model, version, dir, manifest: existing };
  }
  if (onConflict === 'keep-existing')
    return { status: 'conflict-kept', model, version, dir, manifest: existing };
  throw new PersonaeError(
    'input',
    'registry_version_conflict',
    `${model} version ${version} already exists with different content (model id ${existing.id} vs ${manifest.id})`,
    'training was not reproducible for the same data, as-of and settings; pass another version name or delete the old version',
  );
}
