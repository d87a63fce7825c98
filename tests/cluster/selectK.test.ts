import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { selectK } from '../../src/cluster/selectK.js';
import { bootstrapStability } from '../../src/cluster/stability.js';
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
    // A fixed k is not gated, but its stability is still measured and reported.
    expect(fixed.scores[0]?.stability).toBeGreaterThan(0);
    expect(fixed.stability?.meanJaccard).toHaveLength(6);
    expect(fixed.reason).toMatch(/fixed/);
    expect(fixed.choice).toEqual({ rule: 'fixed' });
    expect([fixed.kMin, fixed.kMax]).toEqual([6, 6]);
  });

  it('stops where clusters stop being reproducible: the gap statistic alone carves a diffuse group, bootstrap stability does not', () => {
    // Four tight segments and one diffuse one (sd 0.3 vs 3): splitting the diffuse group keeps lowering W faster
    // than in uniform data, so the gap rises up to kMax; but where the cuts fall changes from resample to resample.
    const { data, truth } = makeBlobs({ n: 2000, d: 3, k: 5, seed: 4, spread: 12, sds: [0.3, 0.3, 0.3, 0.3, 3] });
    const gapOnly = selectK(data, { kMin: 2, kMax: 8, gapSample: 1000, seed: 1, stabilityBoot: 0 });
    expect(gapOnly.chosenK).toBe(8);
    expect(gapOnly.scores.every((s) => s.stability === null && s.stable)).toBe(true);
    expect(gapOnly.stability).toBeUndefined();
    const selection = selectK(data, { kMin: 2, kMax: 8, gapSample: 1000, seed: 1 });
    expect(selection.chosenK).toBe(5);
    expect(selection.reason).toBe(
      'the gap statistic chose k = 8; the largest k below it with every cluster ≥ 40 rows and every cluster found again in 10 bootstrap resamples (mean Jaccard ≥ 0.75) is 5',
    );
    expect(selection.choice).toEqual({ rule: 'gap', gapK: 8, minRows: 40, boot: 10, threshold: 0.75 });
    expect([selection.kMin, selection.kMax]).toEqual([2, 8]);
    expect(adjustedRandIndex(truth, selection.model.labels)).toBeGreaterThan(0.98);
    expect(adjustedRandIndex(truth, gapOnly.model.labels)).toBeLessThan(0.9);
    // Measured: least stable cluster 1.00 0.95 1.00 1.00 for k = 2…5, then 0.67 0.72 0.53 for k = 6…8.
    for (const s of selection.scores) expect(s.stable, `k = ${s.k}`).toBe(s.k <= 5);
    // The chosen k's stability is the one bootstrapStability gives with the same settings (what the run reports).
    const chosen = selection.scores.find((s) => s.k === 5);
    const direct = bootstrapStability(data, selection.model.labels, 5, { nBoot: 10, nInit: 5, maxRows: 5000, seed: 1 });
    expect(selection.stability).toEqual(direct);
    expect(chosen?.stability).toBe(Math.min(...direct.meanJaccard));
    // Other criteria choose among the stable ks too.
    expect(selectK(data, { kMin: 2, kMax: 8, criterion: 'silhouette', seed: 1 }).reason).toMatch(/^best silhouette among the ks with every cluster ≥ 40 rows and every cluster found again/);
  });

  it('without any reproducible k, takes the k whose least stable cluster is most stable and says so', () => {
    // One round Gaussian in 5-D: where k-means cuts it changes from resample to resample, for every k.
    const { data } = makeBlobs({ n: 1200, d: 5, k: 1, seed: 3, spread: 0, sd: 1 });
    const selection = selectK(data, { kMin: 2, kMax: 5, gapSample: 600, seed: 2 });
    // Measured: least stable cluster 0.70 0.42 0.40 0.40 for k = 2…5.
    expect(selection.scores.every((s) => !s.stable && (s.stability as number) < 0.75)).toBe(true);
    const best = selection.scores.reduce((a, b) => ((b.stability as number) > (a.stability as number) ? b : a));
    expect(selection.chosenK).toBe(best.k);
    expect(selection.reason).toBe(
      `no k in 2–5 with every cluster ≥ 24 rows has every cluster found again in 10 bootstrap resamples (mean Jaccard ≥ 0.75); chose k = ${best.k}, whose least stable cluster is most stable (mean Jaccard ${(best.stability as number).toFixed(2)})`,
    );
    expect(selection.choice).toEqual({ rule: 'no-stable', minRows: 24, boot: 10, threshold: 0.75, stability: best.stability });
  });

  it('reports its progress: each k fitted, then each k of the gap statistic', () => {
    const { data } = makeBlobs({ n: 400, d: 3, k: 3, seed: 4, spread: 8, sd: 1 });
    const calls: [number, number][] = [];
    selectK(data, { kMin: 2, kMax: 5, gapSample: 300, stabilityBoot: 0, seed: 1 }, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((done) => [done, 8]));
    const fixed: [number, number][] = [];
    selectK(data, { fixedK: 3, stabilityBoot: 0, seed: 1 }, { onProgress: (done, total) => fixed.push([done, total]) });
    expect(fixed).toEqual([[0, 1], [1, 1]]);
  });

  it('rejects an empty k range', () => {
    const { data } = makeBlobs({ n: 50, d: 2, k: 2, seed: 1 });
    expect(() => selectK(data, { kMin: 5, kMax: 3 })).toThrow(/kMin must not exceed kMax/);
  });
});
