import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crashPoint } from './crash.js';
import { fsyncDir, writeFileDurable } from './durable.js';
import { VERSION_TEMP_PREFIX } from './layout.js';
import type { Manifest } from './manifest.js';
import { MANIFEST_FILE } from './names.js';

/**
 * Writes a complete version into a new `.tmp-<pid>-…` directory of `modelDir`: the files in the order given,
 * then the manifest, each fsynced, then the directory itself. Returns its path for the caller to rename;
 * removes it if writing fails. Crash steps: `<phase>:tmp-created`, the writes' own steps (labelled by
 * `fileStep`, then `manifest.json` likewise), `<phase>:before-dir-fsync`.
 */
export async function writeTempVersion(
  modelDir: string,
  names: readonly string[],
  files: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  steps: { readonly phase: string; readonly fileStep: (name: string) => string },
): Promise<string> {
  const temp = await mkdtemp(join(modelDir, `${VERSION_TEMP_PREFIX}${process.pid}-`));
  try {
    crashPoint(`${steps.phase}:tmp-created`);
    for (const name of names)
      await writeFileDurable(join(temp, name), files.get(name) as Uint8Array, steps.fileStep(name));
    await writeFileDurable(
      join(temp, MANIFEST_FILE),
      Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
      steps.fileStep(MANIFEST_FILE),
    );
    crashPoint(`${steps.phase}:before-dir-fsync`);
    await fsyncDir(temp);
    return temp;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
