import { describe, expect, it } from 'vitest';
import { KMeans } from '../../src/cluster/kmeans.js';
import { bootstrapStability } from '../../src/cluster/stability.js';
import { makeBlobs } from './blobs.js';

describe('bootstrapStability (Hennig clusterboot)', () => {
  it('rates well separated planted clusters as highly stable', () => {
    const { data } = makeBlobs({ n: 1200, d: 4, k: 3, seed: 8, spread: 10, sd: 1 });
    const model = new KMeans({ nClusters: 3, seed: 1 }).fit(data);
    const result = bootstrapStability(data, model.labels, 3, { nBoot: 10, seed: 4 });
    expect(result.meanJaccard).toHaveLength(3);
    for (const j of result.meanJaccard) expect(j).toBeGreaterThan(0.95);
    expect(result.dissolved).toEqual([0, 0, 0]);
    expect(result.recovered).toEqual([10, 10, 10]);
  });

  it('flags clusters that only split structureless data as unstable', () => {
    // One round Gaussian cut into 6 pieces: the cuts move from resample to resample.
    const { data } = makeBlobs({ n: 1200, d: 2, k: 1, seed: 3, spread: 0, sd: 1 });
    const model = new KMeans({ nClusters: 6, seed: 1 }).fit(data);
    const result = bootstrapStability(data, model.labels, 6, { nBoot: 10, seed: 4 });
    const worst = Math.min(...result.meanJaccard);
    expect(worst).toBeLessThan(0.75);
    expect(result.dissolved.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
