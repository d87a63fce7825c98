import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { calinskiHarabaszScore, daviesBouldinScore, sampleRows, silhouetteScore } from '../../src/cluster/scores.js';
import { PersonaeError } from '../../src/core/errors.js';
import { blobsMatrix, matrixOf, reference } from './reference.js';

const line = matrixOf([[0], [1], [4], [5]]);
const lineLabels = [0, 0, 1, 1];

describe('cluster scores by hand', () => {
  it('silhouette of two pairs on a line', () => {
    // Row 0: a = 1, b = (4 + 5) / 2 = 4.5 → 3.5/4.5; row 1: a = 1, b = 3.5 → 2.5/3.5; rows 2, 3 mirror rows 1, 0.
    const expected = (2 * (3.5 / 4.5) + 2 * (2.5 / 3.5)) / 4;
    expect(silhouetteScore(line, lineLabels)).toBeCloseTo(expected, 14);
  });

  it('Davies-Bouldin and Calinski-Harabasz of two pairs on a line', () => {
    // Scatters 0.5 and 0.5, centroids 0.5 and 4.5 → (0.5 + 0.5) / 4 = 0.25.
    expect(daviesBouldinScore(line, lineLabels)).toBeCloseTo(0.25, 15);
    // Between = 2·2² + 2·2² = 16, within = 4·0.25 = 1 → (16 / 1) · (4 − 2) / (2 − 1) = 32.
    expect(calinskiHarabaszScore(line, lineLabels)).toBeCloseTo(32, 12);
  });

  it('needs at least two clusters and fewer clusters than rows', () => {
    expect(() => silhouetteScore(line, [0, 0, 0, 0])).toThrow(PersonaeError);
    expect(() => daviesBouldinScore(line, [0, 1, 2, 3])).toThrow(/between 2 and n − 1/);
  });
});

describe('cluster scores against sklearn.metrics', () => {
  const fitted = reference.blobs.lloyd.labels;
  const truth = reference.blobs.truth;
  it.each([
    ['fitted', fitted],
    ['truth', truth],
  ] as const)('match silhouette, Davies-Bouldin and Calinski-Harabasz on %s labels', (name, labels) => {
    const expected = reference.scores[name];
    expect(silhouetteScore(blobsMatrix, labels)).toBeCloseTo(expected.silhouette, 12);
    expect(daviesBouldinScore(blobsMatrix, labels)).toBeCloseTo(expected.daviesBouldin, 12);
    expect(calinskiHarabaszScore(blobsMatrix, labels) / expected.calinskiHarabasz).toBeCloseTo(1, 12);
  });

  it('estimates the silhouette on a seeded sample, reproducibly', () => {
    const a = silhouetteScore(blobsMatrix, fitted, { sampleSize: 500, seed: 3 });
    expect(silhouetteScore(blobsMatrix, fitted, { sampleSize: 500, seed: 3 })).toBe(a);
    expect(Math.abs(a - reference.scores.fitted.silhouette)).toBeLessThan(0.03);
    expect(new Set(sampleRows(2000, 500, 3, 'x')).size).toBe(500);
  });
});

describe('adjustedRandIndex', () => {
  it('matches sklearn.metrics.adjusted_rand_score', () => {
    expect(adjustedRandIndex(reference.blobs.truth, reference.blobs.lloyd.labels)).toBeCloseTo(reference.ari.fittedVsTruth, 13);
    expect(adjustedRandIndex(reference.blobs.truth, reference.ari.perturbed)).toBeCloseTo(reference.ari.perturbedVsTruth, 13);
  });

  it('is 1 for the same partition under renaming and handles sklearn’s documented examples', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    // From sklearn's docstring: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) ≈ 0.57; [0,0,1,1] vs [0,0,1,2] too.
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285714, 14);
    // Every row in its own cluster against one cluster: 0.
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(PersonaeError);
  });
});
