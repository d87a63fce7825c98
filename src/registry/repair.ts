import { removeLeftovers } from './durable.js';
import { INTENT_TEMP_PREFIX, POINTER_TEMP_PREFIX, VERSION_TEMP_PREFIX, modelDir } from './layout.js';
import { listModels } from './list-versions.js';
import { recoverPendingPromotion, type PromotionResult } from './promote.js';
import { completePendingScrubs } from './scrub.js';

export interface RepairResult {
  /** Temporary or half-deleted entries removed, as `<model>/<name>` (or `<name>` at the root). */
  readonly removed: string[];
  /** Promotions of an interrupted multi-model promotion that were completed now (null: none pending). */
  readonly rolledForward: PromotionResult[] | null;
  /** Erasure scrubs interrupted after their copy was complete, swapped in now, as `<model>/<version>`. */
  readonly scrubsCompleted: string[];
}

/**
 * Brings a registry back to a clean state after a crash: completes interrupted erasure scrubs (before the
 * hidden originals are removed with the other leftovers), completes an interrupted multi-model promotion
 * and removes what dead writers left behind. Every mutating call of a Registry runs this first; it needs
 * the registry lock like any writer (leftovers of live writers are kept in any case).
 */
export async function repairRegistry(root: string): Promise<RepairResult> {
  const scrubsCompleted = await completePendingScrubs(root);
  const removed = (await removeLeftovers(root, [INTENT_TEMP_PREFIX])).slice();
  for (const model of await listModels(root)) {
    for (const name of await removeLeftovers(modelDir(root, model), [
      VERSION_TEMP_PREFIX,
      POINTER_TEMP_PREFIX,
    ])) {
      removed.push(`${model}/${name}`);
    }
  }
  return { removed, rolledForward: await recoverPendingPromotion(root), scrubsCompleted };
}
