import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PersonaeError } from '../core/errors.js';
import { crashPoint } from './crash.js';
import { fsyncDir, writeFileAtomic } from './durable.js';
import { readJsonFile } from './json-file.js';
import { INTENT_FILE } from './layout.js';
import { checkModelName } from './names.js';
import {
  pointerAfterPromote,
  pointerAfterRollback,
  readPointer,
  readPointerLenient,
  writePointer,
  type Pointer,
} from './pointer.js';
import { readVersion } from './read-version.js';

export interface PromotionResult {
  readonly model: string;
  readonly version: string;
  /** The version promoted before (null for the first promotion). */
  readonly from: string | null;
  /** False when the version was already the promoted one. */
  readonly changed: boolean;
  readonly pointer: Pointer;
}

export interface PromoteOptions {
  /** Why (kept in the history): e.g. "gate passed: brier 0.121 vs 0.124". */
  readonly reason?: string;
  /** Timestamp of the event (tests); defaults to now. */
  readonly at?: string;
}

/**
 * Points `current` at `version` after verifying it completely (manifest, id, every file's sha256), so
 * that the promoted version is always a loadable one. The previous version goes on the rollback stack.
 */
export async function promote(
  root: string,
  model: string,
  version: string,
  options: PromoteOptions = {},
): Promise<PromotionResult> {
  await readVersion(root, model, version);
  // A damaged pointer is what a promotion by hand repairs: start a fresh history rather than refuse.
  const current = await readPointerLenient(root, model);
  if (current?.version === version)
    return { model, version, from: version, changed: false, pointer: current };
  const pointer = pointerAfterPromote(
    model,
    current,
    version,
    options.at ?? new Date().toISOString(),
    options.reason ?? null,
  );
  await writePointer(root, pointer);
  return { model, version, from: current?.version ?? null, changed: true, pointer };
}

/**
 * Returns `model` to the version promoted before the current one (versions deleted or damaged since are
 * skipped). Repeated rollbacks walk further back through the promotion history.
 */
export async function rollback(
  root: string,
  model: string,
  options: PromoteOptions = {},
): Promise<PromotionResult> {
  checkModelName(model);
  const current = await readPointer(root, model);
  if (current === null) {
    throw new PersonaeError(
      'input',
      'registry_nothing_promoted',
      `model ${model} has no promoted version to roll back from`,
      `promote one first: personae models promote ${model} VERSION`,
    );
  }
  for (let i = current.previous.length - 1; i >= 0; i--) {
    const target = current.previous[i] as string;
    if (target === current.version) continue;
    try {
      await readVersion(root, model, target);
    } catch (error) {
      if (error instanceof PersonaeError) continue;
      throw error;
    }
    const pointer = pointerAfterRollback(
      current,
      target,
      options.at ?? new Date().toISOString(),
      options.reason ?? null,
    );
    await writePointer(root, pointer);
    return { model, version: target, from: current.version, changed: true, pointer };
  }
  throw new PersonaeError(
    'input',
    'registry_no_rollback_target',
    `model ${model} has no earlier promoted version that still exists (current: ${current.version})`,
    `promote a specific version instead: personae models promote ${model} VERSION`,
  );
}

const intentSchema = z.object({
  format: z.literal(1),
  startedAt: z.string(),
  reason: z.string().nullable(),
  targets: z.record(z.string(), z.string()),
});
type Intent = z.infer<typeof intentSchema>;

/**
 * Promotes several models together (e.g. the k-means and BTYD models of one retrain). The targets are
 * verified first, then written to `<root>/.promote-intent.json`, then each pointer is moved, then the
 * intent is removed. A crash in between leaves the intent behind, and the next mutating registry call
 * rolls it forward (recoverPendingPromotion), so the models never stay on a mix of two retrains.
 * Crash steps: `intent:*` (atomic write), `promote-many:intent-written`, `promote-many:after:<model>`.
 */
export async function promoteMany(
  root: string,
  targets: Readonly<Record<string, string>>,
  options: PromoteOptions = {},
): Promise<PromotionResult[]> {
  const models = Object.keys(targets).sort();
  for (const model of models) await readVersion(root, model, targets[model] as string);
  const intent: Intent = {
    format: 1,
    startedAt: options.at ?? new Date().toISOString(),
    reason: options.reason ?? null,
    targets: { ...targets },
  };
  await writeFileAtomic(
    join(root, INTENT_FILE),
    Buffer.from(`${JSON.stringify(intent, null, 2)}\n`),
    'intent',
  );
  crashPoint('promote-many:intent-written');
  return applyIntent(root, intent);
}

async function applyIntent(root: string, intent: Intent): Promise<PromotionResult[]> {
  const results: PromotionResult[] = [];
  for (const model of Object.keys(intent.targets).sort()) {
    results.push(
      await promote(root, model, intent.targets[model] as string, {
        reason: intent.reason ?? undefined,
        at: intent.startedAt,
      }),
    );
    crashPoint(`promote-many:after:${model}`);
  }
  await unlink(join(root, INTENT_FILE));
  await fsyncDir(root);
  return results;
}

/**
 * Finishes a multi-model promotion interrupted by a crash, if any (idempotent: models already moved stay).
 * Returns the promotions completed now, or null when nothing was pending.
 */
export async function recoverPendingPromotion(root: string): Promise<PromotionResult[] | null> {
  const path = join(root, INTENT_FILE);
  // Written atomically, so a bad intent is damage from outside; its targets were verified, the pointers are intact.
  const intent = await readJsonFile(
    path,
    intentSchema,
    () =>
      new PersonaeError(
        'input',
        'registry_bad_intent',
        `${path} is damaged`,
        'check `personae models list`, promote the right versions, then delete the file',
      ),
  );
  if (intent === null) return null;
  return applyIntent(root, intent);
}
