import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { KMeans } from '../../src/cluster/kmeans.js';
import { MiniBatchKMeans } from '../../src/cluster/miniBatch.js';
import { makeBlobs } from './blobs.js';
import { matrixOf } from './reference.js';

describe('MiniBatchKMeans', () => {
  const { data, truth } = makeBlobs({ n: 20_000, d: 6, k: 5, seed: 31, spread: 6, sd: 1 });

  it('learns from a stream of batches nearly as well as full k-means', () => {
    const full = new KMeans({ nClusters: 5, seed: 1 }).fit(data);
    const model = new MiniBatchKMeans({ nClusters: 5, seed: 1 });
    // Stream the data in ten consecutive batches of 2,000 rows, twice.
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < 10; b++) model.partialFit({ values: data.values.subarray(b * 2000 * 6, (b + 1) * 2000 * 6), nRows: 2000, nCols: 6 });
    }
    expect(model.state.steps).toBe(20);
    expect(model.score(data) / full.inertia).toBeLessThan(1.02);
    expect(adjustedRandIndex(truth, model.predict(data))).toBeGreaterThan(0.98);
  });

  it('fits in-memory data in shuffled epochs, deterministically for a seed', () => {
    const a = new MiniBatchKMeans({ nClusters: 5, batchSize: 1000, seed: 4 }).fit(data);
    const b = new MiniBatchKMeans({ nClusters: 5, batchSize: 1000, seed: 4 }).fit(data);
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres));
    expect(adjustedRandIndex(truth, a.predict(data))).toBeGreaterThan(0.98);
    const loaded = MiniBatchKMeans.fromArtifact(JSON.parse(JSON.stringify(a.toArtifact())));
    expect(loaded.predict(data)).toEqual(a.predict(data));
  });

  it('moves centres to the weighted running mean of their rows (hand-computed)', () => {
    // Two clusters far apart; after batch 1 the centres are the batch means, after batch 2 the means of all rows.
    const model = new MiniBatchKMeans({ nClusters: 2, seed: 0, reassignmentRatio: 0 });
    model.partialFit(matrixOf([[0], [2], [100], [102]]));
    const sorted = (): number[] => Array.from(model.centres).sort((x, y) => x - y);
    expect(sorted()).toEqual([1, 101]);
    model.partialFit(matrixOf([[4], [104]]), { sampleWeight: Float64Array.from([2, 2]) });
    // (1·2 + 2·4) / (2 + 2) = 2.5, i.e. the weighted mean of all rows so far, (0 + 2 + 2·4) / 4; likewise 102.5.
    expect(sorted()).toEqual([2.5, 102.5]);
  });

  it('rejects a first batch smaller than k and batches of another width', () => {
    expect(() => new MiniBatchKMeans({ nClusters: 3 }).partialFit(matrixOf([[1], [2]]))).toThrow(/first batch has 2 rows for 3 clusters/);
    const model = new MiniBatchKMeans({ nClusters: 1 }).partialFit(matrixOf([[1], [2]]));
    expect(() => model.partialFit(matrixOf([[1, 2]]))).toThrow(/earlier batches had 1/);
  });
});
