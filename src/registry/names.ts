/** Names inside the registry: they become directory and file names, so they are kept portable and safe. */
import { PersonaeError, show } from '../core/errors.js';
import { sha256Hex, stableStringify } from '../core/hash.js';

const MODEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Names a version directory may not take: they have a meaning in the model directory. */
const RESERVED_VERSIONS = new Set(['current', 'current.json', 'latest']);

export const MANIFEST_FILE = 'manifest.json';
export const POINTER_FILE = 'current.json';

/**
 * Artifact files that map customer ids to values (`{"<customer_id>": …}`), whatever the model: the
 * personas model's persona membership and lifecycle segments. Erasure rewrites them (src/registry/scrub.ts);
 * every other artifact holds settings, fitted parameters or aggregates.
 */
export const CUSTOMER_LEVEL_FILES: readonly string[] = ['membership.json', 'lifecycle.json'];

export function checkModelName(model: string): string {
  if (!MODEL_NAME.test(model)) {
    throw new PersonaeError(
      'input',
      'registry_bad_model_name',
      `model name ${show(model)} is not valid`,
      'use lower-case letters, digits, "_" or "-" (at most 64), e.g. "kmeans" or "bgnbd"',
    );
  }
  return model;
}

export function checkVersionName(version: string): string {
  if (!VERSION_NAME.test(version) || RESERVED_VERSIONS.has(version)) {
    throw new PersonaeError(
      'input',
      'registry_bad_version_name',
      `version name ${show(version)} is not valid`,
      'use letters, digits, ".", "_" or "-", not starting with "." and not "current" or "latest"',
    );
  }
  return version;
}

export function checkFileName(name: string): string {
  if (!FILE_NAME.test(name) || name === MANIFEST_FILE) {
    throw new PersonaeError(
      'input',
      'registry_bad_file_name',
      `artifact file name ${show(name)} is not valid`,
      `use a plain file name (letters, digits, ".", "_", "-"; no directories) other than ${MANIFEST_FILE}`,
    );
  }
  return name;
}

/** What makes a training run reproducible: same inputs, same as-of, same model and code → same version. */
export interface VersionKey {
  readonly dataFingerprint: string;
  readonly asOf: string | null;
  /** The model id, modelId(type, formatVersion, params). */
  readonly id: string;
  readonly codeVersion: string;
}

/**
 * The deterministic version name for a key: `<as-of>-<10 hex>` (e.g. `2024-06-30-3fa9c2d1e0`), or
 * `undated-<10 hex>`. Names sort by as-of date, and re-running the same training gives the same name.
 */
export function versionNameFor(key: VersionKey): string {
  const digest = sha256Hex(stableStringify(key)).slice(0, 10);
  return `${key.asOf ?? 'undated'}-${digest}`;
}
