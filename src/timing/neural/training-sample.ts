import { Rng } from '../../core/rng.js';

/**
 * At most `size` of a training window's customers, sorted: a seeded sample when there are more (all of them
 * otherwise). The network's training cost and the feature rows held for it then stop growing with the
 * customer base, while its predictions still cover every customer. The sample depends on the seed, the
 * window and the set of customers, not on the order they are listed in.
 */
export function trainingSample(cohort: readonly string[], size: number, seed: number, window: number): string[] {
  const sorted = [...cohort].sort();
  if (sorted.length <= size) return sorted;
  return Rng.derive(seed, `neural-timing/sample-${window}`).shuffle(sorted).slice(0, size).sort();
}
