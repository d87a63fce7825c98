import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own folder and package.json. Found by walking up from this module, so it is the same folder
 * whether the code runs from source (src/core) or from the build (dist/src/core), in a clone or installed
 * under node_modules. Files that ship with the package (pipelines/conf, the sample) are read from here;
 * nothing is ever written here (it may be read-only, or inside someone else's node_modules).
 */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

let manifest: { name: string; version: string } | undefined;

/** Name and version from package.json, read once. */
export function packageInfo(): { readonly name: string; readonly version: string } {
  manifest ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return manifest;
}
