import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonaeError, show } from '../core/errors.js';
import { modelId, sha256Hex } from '../core/hash.js';
import { scrubbedDir, versionDir, visibleSubdirs, modelDir } from './layout.js';
import { checkManifestIdentity, parseManifest, type Manifest } from './manifest.js';
import { MANIFEST_FILE, checkModelName, checkVersionName } from './names.js';
import { readPointer, readPointerLenient } from './pointer.js';

/** A verified version: its manifest and every artifact file, checked against the recorded sha256. */
export interface LoadedVersion {
  readonly model: string;
  readonly version: string;
  readonly dir: string;
  readonly manifest: Manifest;
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** Whether this version is the promoted one. */
  readonly current: boolean;
  /** A file decoded as UTF-8 text. */
  text(name: string): string;
  /** A file parsed as JSON. */
  json<T = unknown>(name: string): T;
}

/** What the loader expects: a saved model of another type or settings is refused. */
export interface ExpectedModel {
  readonly id?: string;
  readonly type?: string;
}

/**
 * Reads and verifies a version (`"current"` follows the pointer): the manifest parses, its id is the hash
 * of its type, format version and params, every listed file exists with the recorded size and sha256, the
 * main artifact agrees with the manifest, and the model is the expected one. Any mismatch is a
 * PersonaeError naming the file.
 */
export async function readVersion(
  root: string,
  model: string,
  ref: string,
  expected: ExpectedModel = {},
): Promise<LoadedVersion> {
  checkModelName(model);
  // A damaged pointer only matters when it is followed; an explicit version stays readable.
  const pointer = ref === 'current' ? await readPointer(root, model) : await readPointerLenient(root, model);
  const version = await resolveRef(root, model, ref, pointer?.version ?? null);
  const current = pointer?.version === version;
  // An erasure scrub replaces a version's directory by a rewritten copy with two renames: a read that
  // overlaps the swap is retried, and reads the waiting copy while the original is hidden.
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadFrom(root, model, version, versionDir(root, model, version), current, expected);
    } catch (error) {
      const retryable =
        error instanceof PersonaeError &&
        (error.code === 'registry_damaged_version' || error.code === 'registry_unknown_version');
      if (!retryable) throw error;
      const waiting = scrubbedDir(root, model, version);
      if (await isDirectory(waiting)) {
        const loaded = await loadFrom(root, model, version, waiting, current, expected).catch(() => null);
        if (loaded) return loaded;
      }
      if (attempt >= READ_ATTEMPTS) throw error;
    }
  }
}

/** Reads of a version that overlap a scrub's swap succeed on the next attempt; damage fails all of them. */
const READ_ATTEMPTS = 3;

/** Reads and verifies the version `model`/`version` stored in `dir` (its home, or its scrubbed copy). */
export async function loadFrom(
  root: string,
  model: string,
  version: string,
  dir: string,
  current: boolean,
  expected: ExpectedModel = {},
): Promise<LoadedVersion> {
  const path = join(dir, MANIFEST_FILE);
  const manifest = parseManifest(await readOrExplain(root, model, version, path), path);
  if (manifest.model !== model || manifest.version !== version) {
    throw new PersonaeError(
      'input',
      'registry_misplaced_version',
      `${path} describes ${manifest.model} version ${manifest.version}, not ${model} version ${version}`,
      'versions must not be renamed or moved by hand: move it back or delete it',
    );
  }
  checkManifestIdentity(manifest, path);
  const files: Record<string, Uint8Array> = {};
  for (const [name, entry] of Object.entries(manifest.files)) {
    const filePath = join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(filePath);
    } catch {
      throw damaged(`${filePath} is missing (listed in ${path})`);
    }
    if (bytes.length !== entry.bytes || sha256Hex(bytes) !== entry.sha256) {
      throw damaged(
        `${filePath} does not match its manifest (${bytes.length} bytes, expected ${entry.bytes} with sha256 ${entry.sha256.slice(0, 12)}…)`,
      );
    }
    files[name] = bytes;
  }
  if (manifest.artifact !== null)
    checkArtifact(manifest, files[manifest.artifact], join(dir, manifest.artifact));
  checkExpected(manifest, expected, path);
  const home = versionDir(root, model, version);
  const decoder = new TextDecoder();
  return {
    model,
    version,
    dir: home,
    manifest,
    files,
    current,
    text: (name) => decoder.decode(fileOf(files, name, home)),
    json: <T>(name: string) => JSON.parse(decoder.decode(fileOf(files, name, home))) as T,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function fileOf(files: Record<string, Uint8Array>, name: string, dir: string): Uint8Array {
  const bytes = files[name];
  if (bytes === undefined) {
    throw new PersonaeError(
      'input',
      'registry_no_such_file',
      `${dir} has no artifact ${show(name)} (it has ${Object.keys(files).join(', ') || 'none'})`,
    );
  }
  return bytes;
}

function damaged(message: string): PersonaeError {
  return new PersonaeError(
    'input',
    'registry_damaged_version',
    message,
    'this version is damaged: promote or retrain another version, then delete it',
  );
}

async function resolveRef(root: string, model: string, ref: string, current: string | null): Promise<string> {
  if (ref !== 'current') return checkVersionName(ref);
  if (current !== null) return current;
  const versions = await visibleSubdirs(modelDir(root, model));
  if (versions.length === 0) throw unknownModel(root, model, await visibleSubdirs(root));
  throw new PersonaeError(
    'input',
    'registry_nothing_promoted',
    `model ${model} in ${root} has ${versions.length} version(s) but none is promoted`,
    `promote one: personae models promote ${model} ${versions[versions.length - 1]} --registry ${root}`,
  );
}

async function readOrExplain(root: string, model: string, version: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const versions = await visibleSubdirs(modelDir(root, model));
  if (versions.length === 0) throw unknownModel(root, model, await visibleSubdirs(root));
  const exists = await stat(versionDir(root, model, version)).then(
    () => true,
    () => false,
  );
  if (exists) throw damaged(`${versionDir(root, model, version)} has no manifest.json`);
  throw new PersonaeError(
    'input',
    'registry_unknown_version',
    `model ${model} has no version ${show(version)}`,
    `known versions: ${versions.join(', ')} (personae models list ${model})`,
  );
}

export function unknownModel(root: string, model: string, models: readonly string[]): PersonaeError {
  return new PersonaeError(
    'input',
    'registry_unknown_model',
    `the registry ${root} has no model ${show(model)}`,
    models.length > 0
      ? `known models: ${models.join(', ')}`
      : 'the registry is empty: run personae retrain first, or pass --registry DIR',
  );
}

/** The main artifact's own identity fields (those present) must agree with the manifest. */
function checkArtifact(manifest: Manifest, bytes: Uint8Array | undefined, path: string): void {
  if (bytes === undefined) throw damaged(`the manifest names ${path} as the artifact, but does not list it`);
  let artifact: unknown;
  try {
    artifact = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw damaged(`${path} is not valid JSON`);
  }
  if (artifact === null || typeof artifact !== 'object') return;
  const a = artifact as Record<string, unknown>;
  const mismatch = (what: string): PersonaeError =>
    new PersonaeError(
      'input',
      'registry_id_mismatch',
      `${path} is not the model its manifest describes: ${what}`,
      'the artifact was replaced or the manifest edited; retrain or promote another version',
    );
  if (typeof a.id === 'string' && a.id !== manifest.id)
    throw mismatch(`artifact id ${a.id}, manifest id ${manifest.id}`);
  if (typeof a.type === 'string' && a.type !== manifest.type)
    throw mismatch(`artifact type ${a.type}, manifest type ${manifest.type}`);
  if (typeof a.type === 'string' && 'params' in a) {
    const formatVersion =
      typeof a.version === 'number' || typeof a.version === 'string' ? a.version : manifest.formatVersion;
    const id = modelId(a.type, formatVersion, a.params);
    if (id !== manifest.id)
      throw mismatch(`its type, version and params hash to ${id}, the manifest id is ${manifest.id}`);
  }
}

function checkExpected(manifest: Manifest, expected: ExpectedModel, path: string): void {
  const wrongType = expected.type !== undefined && expected.type !== manifest.type;
  const wrongId = expected.id !== undefined && expected.id !== manifest.id;
  if (!wrongType && !wrongId) return;
  throw new PersonaeError(
    'input',
    'registry_model_mismatch',
    `${path} holds a ${manifest.type} model with id ${manifest.id}, but ${expected.type ?? manifest.type}${expected.id ? ` with id ${expected.id}` : ''} was expected`,
    'the settings changed since this version was trained: retrain, or restore the settings it was trained with',
  );
}
