import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { selectK } from '../../src/cluster/selectK.js';
import { makeBlobs } from './blobs.js';

describe('selectK', () => {
  it('finds the planted number of personas (unequal sizes) with ARI ≥ 0.9 against the truth', () => {
    const { data, truth } = makeBlobs({ n: 3000, d: 6, k: 5, seed: 17, spread: 6, sd: 1.3, sizes: [5, 3, 2, 1, 1] });
    const selection = selectK(data, { kMin: 2, kMax: 8, gapSample: 1000, seed: 1 });
    expect(selection.chosenK).toBe(5);
    expect(selection.reason).toMatch(/gap statistic/);
    expect(adjustedRandIndex(truth, selection.model.labels)).toBeGreaterThanOrEqual(0.9);
    expect(selection.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // Inertia falls with k (elbow data) and every score is present.
    selection.scores.slice(1).forEach((s, i) => expect(s.inertia).toBeLessThan((selection.scores[i] as { inertia: number }).inertia));
    for (const s of selection.scores) {
      expect(s.silhouette).not.toBeNull();
      expect(s.daviesBouldin).toBeGreaterThan(0);
      expect(s.calinskiHarabasz).toBeGreaterThan(0);
      expect(s.gap).not.toBeNull();
    }
  });

  it('respects the minimum persona size and a fixed k', () => {
    // A tiny planted group (1% of rows) is a real cluster, but too small to be a persona at a 5% minimum.
    const { data } = makeBlobs({ n: 2000, d: 4, k: 4, seed: 5, spread: 8, sd: 1, sizes: [33, 33, 33, 1] });
    const free = selectK(data, { kMin: 2, kMax: 6, minClusterFraction: 0, gapSample: 1000, seed: 2 });
    expect(free.chosenK).toBe(4);
    const constrained = selectK(data, { kMin: 2, kMax: 6, minClusterFraction: 0.05, gapSample: 1000, seed: 2 });
    expect(constrained.minClusterRows).toBe(100);
    expect(constrained.chosenK).toBe(3);
    expect(constrained.scores.find((s) => s.k === 4)?.admissible).toBe(false);
    const fixed = selectK(data, { fixedK: 6, seed: 2 });
    expect(fixed.chosenK).toBe(6);
    expect(fixed.scores).toHaveLength(1);
    expect(fixed.reason).toMatch(/fixed/);
  });

  it('rejects an empty k range', () => {
    const { data } = makeBlobs({ n: 50, d: 2, k: 2, seed: 1 });
    expect(() => selectK(data, { kMin: 5, kMax: 3 })).toThrow(/kMin must not exceed kMax/);
  });
});
