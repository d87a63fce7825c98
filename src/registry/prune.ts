import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { configError } from '../core/errors.js';
import { crashPoint } from './crash.js';
import { fsyncDir, tempName } from './durable.js';
import { modelDir } from './layout.js';
import { listModels, listVersions } from './list-versions.js';
import { readPointer } from './pointer.js';

export interface PruneResult {
  readonly model: string;
  readonly kept: string[];
  readonly deleted: string[];
}

/**
 * Retention: keeps the `keep` most recent versions of each model (by creation time), plus the promoted
 * version and the one a rollback would return to, whatever their age. A version is first renamed to a
 * hidden `.del-*` name (atomic, so readers never see it half-deleted), then removed.
 * Crash step: `prune:after-hide`.
 */
export async function prune(root: string, keep: number, model?: string): Promise<PruneResult[]> {
  if (!Number.isInteger(keep) || keep < 1)
    configError(
      'registry_bad_keep',
      `registry.keep must be a whole number ≥ 1, got ${keep}`,
      'set registry.keep in the config (default 5)',
    );
  const models = model !== undefined ? [model] : await listModels(root);
  const results: PruneResult[] = [];
  for (const name of models) {
    const versions = await listVersions(root, name);
    const pointer = await readPointer(root, name);
    const protectedVersions = new Set<string>();
    if (pointer) {
      protectedVersions.add(pointer.version);
      const rollbackTarget = pointer.previous[pointer.previous.length - 1];
      if (rollbackTarget !== undefined) protectedVersions.add(rollbackTarget);
    }
    const recent = new Set(versions.slice(-keep).map((v) => v.version));
    const kept: string[] = [];
    const deleted: string[] = [];
    for (const { version } of versions) {
      if (recent.has(version) || protectedVersions.has(version)) {
        kept.push(version);
        continue;
      }
      const dir = modelDir(root, name);
      const hidden = join(dir, tempName(`.del-${version}-`));
      await rename(join(dir, version), hidden);
      await fsyncDir(dir);
      crashPoint('prune:after-hide');
      await rm(hidden, { recursive: true, force: true });
      deleted.push(version);
    }
    results.push({ model: name, kept, deleted });
  }
  return results;
}
