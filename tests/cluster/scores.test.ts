import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { calinskiHarabaszScore, daviesBouldinScore, sampleRows, silhouetteScore, silhouetteSums } from '../../src/cluster/scores.js';
import { compactLabels } from '../../src/cluster/labels.js';
import { PersonaeError } from '../../src/core/errors.js';
import { makeBlobs } from './blobs.js';
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
    // The same seeded sample whatever the thread count.
    expect(silhouetteScore(blobsMatrix, fitted, { sampleSize: 1500, seed: 3, threads: 2 })).toBe(silhouetteScore(blobsMatrix, fitted, { sampleSize: 1500, seed: 3, threads: 1 }));
  });
});

describe('sampleRows', () => {
  it('draws the same seeded samples as the full partial Fisher–Yates shuffle it replaced (runs stay reproducible)', () => {
    // Values recorded from the previous implementation, which shuffled a full index of n rows.
    expect(Array.from(sampleRows(10, 4, 0, 'silhouette-sample'))).toEqual([0, 4, 5, 9]);
    expect(Array.from(sampleRows(1_000_000, 5, 7, 'gap-sample'))).toEqual([10424, 161393, 173969, 207341, 561676]);
  });
});

describe('silhouette sums kernel', () => {
  // 1,203 rows (not a multiple of the packing), a one-row cluster and clusters of uneven sizes.
  const { data, truth } = makeBlobs({ n: 1203, d: 5, k: 4, seed: 12, spread: 3, sd: 1.2, sizes: [10, 1, 5, 3] });
  const labels = Array.from(truth);
  labels[7] = 9; // a singleton cluster
  const rows = sampleRows(1203, 1203, 0, 'x');
  const { codes, count } = compactLabels(labels);

  it('gives bit-identical sums with the SIMD and JavaScript kernels, on one thread and two', () => {
    const js = silhouetteSums(data, rows, codes, count, 1, false);
    expect(Array.from(silhouetteSums(data, rows, codes, count, 1))).toEqual(Array.from(js));
    expect(Array.from(silhouetteSums(data, rows, codes, count, 2))).toEqual(Array.from(js));
  });

  it('sums the distances to every row of each cluster', () => {
    const sums = silhouetteSums(data, rows, codes, count, 1);
    const d = data.nCols;
    for (const a of [0, 7, 500, 1202]) {
      const expected = new Float64Array(count);
      for (let b = 0; b < 1203; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += ((data.values[a * d + t] as number) - (data.values[b * d + t] as number)) ** 2;
        expected[codes[b] as number] += Math.sqrt(s);
      }
      expected.forEach((v, c) => expect(Math.abs((sums[a * count + c] as number) - v)).toBeLessThan(1e-12 * (1 + v)));
    }
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
