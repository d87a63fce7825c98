// scikit-learn reference values (tests/fixtures/sklearn/reference.json, written by make_reference.py).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureMatrix } from '../../src/cluster/types.js';

export interface SklearnFit {
  labels: number[];
  inertia: number;
  centres: number[][];
  nIter: number;
}

export interface Reference {
  toy: { X: number[][]; sampleWeight: number[]; init: number[][]; lloyd: SklearnFit };
  empty: { X: number[][]; init: number[][]; lloyd: SklearnFit };
  blobs: {
    nRows: number;
    nCols: number;
    X: number[];
    truth: number[];
    init: number[][];
    sampleWeight: number[];
    tol: number;
    lloyd: SklearnFit;
    elkan: SklearnFit;
    weighted: SklearnFit;
  };
  scores: Record<'fitted' | 'truth', { silhouette: number; daviesBouldin: number; calinskiHarabasz: number }>;
  ari: { fittedVsTruth: number; perturbedVsTruth: number; perturbed: number[] };
  pca: { explainedVariance: number[]; explainedVarianceRatio: number[]; components: number[][]; mean: number[] };
}

export const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/sklearn/reference.json', import.meta.url)), 'utf8'),
) as Reference;

export function matrixOf(rows: number[][]): FeatureMatrix {
  return { values: Float64Array.from(rows.flat()), nRows: rows.length, nCols: rows[0]?.length ?? 0 };
}

export const blobsMatrix: FeatureMatrix = {
  values: Float64Array.from(reference.blobs.X),
  nRows: reference.blobs.nRows,
  nCols: reference.blobs.nCols,
};
