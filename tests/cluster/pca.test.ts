import { describe, expect, it } from 'vitest';
import { PCA as MlPCA } from 'ml-pca';
import { PCA } from '../../src/cluster/pca.js';
import { Rng } from '../../src/core/rng.js';
import { makeBlobs, toRows } from './blobs.js';
import { blobsMatrix, matrixOf, reference } from './reference.js';

/** Component rows equal up to sign. */
function expectSameAxes(actual: Float64Array, expected: number[][], d: number, digits: number): void {
  expected.forEach((row, j) => {
    const sign = Math.sign(row.reduce((s, v, t) => s + v * (actual[j * d + t] as number), 0));
    row.forEach((v, t) => expect(sign * (actual[j * d + t] as number)).toBeCloseTo(v, digits));
  });
}

describe('PCA', () => {
  it('matches scikit-learn PCA on the 2,000 × 8 fixture', () => {
    const pca = new PCA().fit(blobsMatrix);
    const { explainedVariance, explainedVarianceRatio, components, mean } = reference.pca;
    explainedVariance.forEach((v, i) => expect((pca.state.explainedVariance[i] as number) / v).toBeCloseTo(1, 11));
    explainedVarianceRatio.forEach((v, i) => expect(pca.state.explainedVarianceRatio[i]).toBeCloseTo(v, 12));
    mean.forEach((v, i) => expect(pca.state.mean[i]).toBeCloseTo(v, 11));
    expectSameAxes(pca.state.components, components, 8, 9);
  });

  it('matches ml-pca (components up to sign, explained variance)', () => {
    const { data } = makeBlobs({ n: 3000, d: 6, k: 4, seed: 12, spread: 5, sd: 2 });
    const pca = new PCA().fit(data);
    const ml = new MlPCA(toRows(data.values, 6));
    const eigen = ml.getEigenvalues();
    eigen.forEach((v, i) => expect((pca.state.explainedVariance[i] as number) / v).toBeCloseTo(1, 10));
    ml.getExplainedVariance().forEach((v, i) => expect(pca.state.explainedVarianceRatio[i]).toBeCloseTo(v, 12));
    expectSameAxes(pca.state.components, ml.getLoadings().to2DArray(), 6, 9);
  });

  it('projects so that each axis carries its explained variance, uncorrelated', () => {
    const { data } = makeBlobs({ n: 2000, d: 5, k: 3, seed: 4, spread: 4, sd: 1 });
    const pca = new PCA({ nComponents: 3 }).fit(data);
    const scores = pca.transform(data);
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let i = 0; i < 2000; i++) m += scores[i * 3 + j] as number;
      expect(Math.abs(m / 2000)).toBeLessThan(1e-10);
      let v = 0;
      for (let i = 0; i < 2000; i++) v += (scores[i * 3 + j] as number) ** 2;
      expect(v / 1999 / (pca.state.explainedVariance[j] as number)).toBeCloseTo(1, 10);
    }
    let cross = 0;
    for (let i = 0; i < 2000; i++) cross += (scores[i * 3] as number) * (scores[i * 3 + 1] as number);
    expect(Math.abs(cross / 1999)).toBeLessThan(1e-9 * (pca.state.explainedVariance[0] as number));
  });

  it('stays accurate on data far from the origin (one-pass covariance without cancellation)', () => {
    // y = 1e9 + x and 1e9 + 2x + small noise: a naive Σxxᵀ − n·mmᵀ loses every digit here.
    const rng = new Rng(3);
    const rows = Array.from({ length: 5000 }, () => {
      const x = rng.normal();
      return [1e9 + x, 1e9 + 2 * x + 0.01 * rng.normal()];
    });
    const pca = new PCA().fit(matrixOf(rows));
    expect(pca.state.explainedVarianceRatio[0]).toBeGreaterThan(0.9999);
    const ratio = (pca.state.components[1] as number) / (pca.state.components[0] as number);
    expect(ratio).toBeCloseTo(2, 3);
  });

  it('maps a seeded sample in 2-D and round-trips through an artifact', () => {
    const { data } = makeBlobs({ n: 1000, d: 4, k: 2, seed: 9 });
    const pca = new PCA().fit(data);
    const map = pca.projectSample(data, { sampleSize: 100, seed: 5 });
    expect(map.rows).toHaveLength(100);
    expect(map.coordinates).toHaveLength(200);
    expect(pca.projectSample(data, { sampleSize: 100, seed: 5 }).rows).toEqual(map.rows);
    const row = map.rows[0] as number;
    const direct = pca.transform({ values: data.values.slice(row * 4, row * 4 + 4), nRows: 1, nCols: 4 }, 2);
    expect(Array.from(map.coordinates.slice(0, 2))).toEqual(Array.from(direct));
    const loaded = PCA.fromArtifact(JSON.parse(JSON.stringify(pca.toArtifact())));
    expect(loaded.transform(data)).toEqual(pca.transform(data));
    expect(() => new PCA().transform(data)).toThrow(/not been fitted/);
    expect(() => pca.transform(matrixOf([[1, 2]]))).toThrow(/2 columns/);
  });
});
