import { describe, expect, it } from 'vitest';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { KMeans } from '../../src/cluster/kmeans.js';
import { PersonaeError } from '../../src/core/errors.js';
import { makeBlobs, toRows } from './blobs.js';
import { blobsMatrix, matrixOf, reference, type SklearnFit } from './reference.js';

const algorithms = ['lloyd', 'hamerly'] as const;

function expectSameAsSklearn(model: KMeans, expected: SklearnFit): void {
  expect(Array.from(model.labels)).toEqual(expected.labels);
  expect(Math.abs(model.inertia - expected.inertia) / expected.inertia).toBeLessThan(1e-9);
  expect(model.nIter).toBe(expected.nIter);
  const d = expected.centres[0]?.length ?? 0;
  expected.centres.flat().forEach((v, i) => expect(Math.abs((model.centres[i] as number) - v)).toBeLessThan(1e-9 * (1 + Math.abs(v) + d)));
}

describe('KMeans against scikit-learn', () => {
  it.each(algorithms)('reproduces the weighted 4-point toy case (inertia 0.375) with %s', (algorithm) => {
    const { toy } = reference;
    const model = new KMeans({ nClusters: 2, init: toy.init, algorithm }).fit(matrixOf(toy.X), { sampleWeight: Float64Array.from(toy.sampleWeight) });
    expect(model.inertia).toBeCloseTo(0.375, 15);
    expect(Array.from(model.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(model.centres)).toEqual([0.125, 0, 0.875, 1]);
    expect(model.nIter).toBe(2);
  });

  it.each(algorithms)('relocates an empty cluster to the farthest row as scikit-learn does (%s)', (algorithm) => {
    const { empty } = reference;
    const model = new KMeans({ nClusters: 3, init: empty.init, algorithm }).fit(matrixOf(empty.X));
    expectSameAsSklearn(model, empty.lloyd);
  });

  it.each(algorithms)('matches scikit-learn Lloyd on 2,000 × 8 blobs from the same centres (%s)', (algorithm) => {
    const { blobs } = reference;
    const model = new KMeans({ nClusters: 5, init: blobs.init, tol: blobs.tol, algorithm }).fit(blobsMatrix);
    expectSameAsSklearn(model, blobs.lloyd);
    expectSameAsSklearn(model, blobs.elkan);
  });

  it.each(algorithms)('matches scikit-learn with sample weights (%s)', (algorithm) => {
    const { blobs } = reference;
    const model = new KMeans({ nClusters: 5, init: blobs.init, tol: blobs.tol, algorithm }).fit(blobsMatrix, {
      sampleWeight: Float64Array.from(blobs.sampleWeight),
    });
    expectSameAsSklearn(model, blobs.weighted);
  });
});

describe('KMeans against ml-kmeans', () => {
  it('gives identical labels, centres and inertia from the same initial centres', () => {
    const { data } = makeBlobs({ n: 3000, d: 6, k: 6, seed: 11, spread: 4, sd: 1.5 });
    const init = toRows(data.values.slice(0, 6 * 6), 6);
    const reference = mlKmeans(toRows(data.values, 6), 6, { initialization: init, maxIterations: 300, tolerance: 0 });
    const mlInertia = reference.clusters.reduce((s, c, i) => {
      const centre = reference.centroids[c] as number[];
      return s + centre.reduce((a, v, t) => a + (v - (data.values[i * 6 + t] as number)) ** 2, 0);
    }, 0);
    for (const algorithm of algorithms) {
      const model = new KMeans({ nClusters: 6, init, tol: 0, algorithm }).fit(data);
      expect(Array.from(model.labels)).toEqual(reference.clusters);
      expect(Math.abs(model.inertia - mlInertia) / mlInertia).toBeLessThan(1e-9);
      reference.centroids.flat().forEach((v, i) => expect(model.centres[i]).toBeCloseTo(v, 9));
    }
  });
});

describe('KMeans behaviour', () => {
  it('recovers planted blobs with k-means++ and is deterministic for a seed', () => {
    const { data, truth } = makeBlobs({ n: 4000, d: 5, k: 4, seed: 3, spread: 8 });
    const a = new KMeans({ nClusters: 4, seed: 5 }).fit(data);
    const b = new KMeans({ nClusters: 4, seed: 5 }).fit(data);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    // Each planted blob maps to exactly one cluster.
    const mapping = new Map<number, Set<number>>();
    truth.forEach((t, i) => mapping.set(t, (mapping.get(t) ?? new Set()).add(a.labels[i] as number)));
    expect([...mapping.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...mapping.values()].map((s) => [...s][0])).size).toBe(4);
  });

  it('keeps the best of nInit restarts', () => {
    const { data } = makeBlobs({ n: 1500, d: 3, k: 8, seed: 9, spread: 5, sd: 1.2 });
    const single = [0, 1, 2, 3].map((seed) => new KMeans({ nClusters: 8, nInit: 1, seed }).fit(data).inertia);
    const restarts = new KMeans({ nClusters: 8, nInit: 4, seed: 0 }).fit(data);
    expect(restarts.inertia).toBeLessThanOrEqual(Math.min(...single) + 1e-9);
  });

  it('gives bit-identical results on one thread and on two, with the worker thread doing part of the work', async () => {
    const { workerBlockCount } = await import('../../src/cluster/threadPool.js');
    const before = workerBlockCount();
    const { data } = makeBlobs({ n: 60_000, d: 10, k: 8, seed: 21, spread: 3, sd: 1 });
    const init = toRows(data.values.slice(0, 8 * 10), 10);
    for (const algorithm of algorithms) {
      const one = new KMeans({ nClusters: 8, init, algorithm, threads: 1, maxIter: 15, tol: 0 }).fit(data);
      const two = new KMeans({ nClusters: 8, init, algorithm, threads: 2, maxIter: 15, tol: 0 }).fit(data);
      expect(two.inertia).toBe(one.inertia);
      expect(Array.from(two.centres)).toEqual(Array.from(one.centres));
      expect(two.labels).toEqual(one.labels);
      expect(two.predict(data)).toEqual(one.labels);
    }
    expect(workerBlockCount()).toBeGreaterThan(before);
  });

  it('predicts training rows as their labels and new rows by the nearest centre', () => {
    const model = new KMeans({ nClusters: 2, init: [[0, 0], [10, 10]] }).fit(matrixOf([[0, 1], [1, 0], [10, 9], [9, 10]]));
    expect(Array.from(model.predict(matrixOf([[0, 1], [1, 0], [10, 9], [9, 10]])))).toEqual(Array.from(model.labels));
    expect(Array.from(model.predict(matrixOf([[4, 4], [6, 6], [-50, 3]])))).toEqual([0, 1, 0]);
  });

  it('round-trips through an artifact with a stable id', () => {
    const { data } = makeBlobs({ n: 500, d: 3, k: 3, seed: 1 });
    const model = new KMeans({ nClusters: 3, seed: 2 }).fit(data);
    const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as unknown;
    const loaded = KMeans.fromArtifact(artifact);
    expect(loaded.id).toBe(model.id);
    expect(loaded.predict(data)).toEqual(model.predict(data));
    expect(new KMeans({ nClusters: 3, seed: 2 }).id).toBe(model.id);
    expect(new KMeans({ nClusters: 4, seed: 2 }).id).not.toBe(model.id);
    const tampered = { ...(artifact as { id: string }), id: 'deadbeefdeadbeef' };
    expect(() => KMeans.fromArtifact(tampered)).toThrow(/does not match/);
  });

  it('rejects bad settings and bad data with clear errors', () => {
    expect(() => new KMeans({ nClusters: 0 })).toThrow(PersonaeError);
    expect(() => new KMeans({ nClusters: 2, algorithm: 'fast' as never })).toThrow(/cluster\.kmeans\.algorithm/);
    expect(() => new KMeans({ nClusters: 2, init: [[0, 0]] })).toThrow(/init: has 1 centres/);
    const bad = matrixOf([[0, 1], [Number.NaN, 2], [3, 4]]);
    expect(() => new KMeans({ nClusters: 2 }).fit(bad)).toThrow(/row 1, column 0 is null/);
    expect(() => new KMeans({ nClusters: 5 }).fit(matrixOf([[1], [2]]))).toThrow(/2 rows for 5 clusters/);
    expect(() => new KMeans({ nClusters: 1 }).fit(matrixOf([[1], [2]]), { sampleWeight: Float64Array.from([1, -1]) })).toThrow(/row 1 is -1/);
    expect(() => new KMeans({ nClusters: 1 }).predict(matrixOf([[1]]))).toThrow(/not been fitted/);
  });
});

describe('k-means kernels', () => {
  // An odd number of rows (the SIMD kernel pairs rows), k not a multiple of the SIMD group width, and k > 8 with
  // two identical initial centres (exact ties, which must go to the first centre, then an empty cluster).
  it.each([
    { n: 9001, d: 7, k: 7, duplicate: false },
    { n: 6001, d: 5, k: 11, duplicate: true },
  ])('the WebAssembly SIMD and JavaScript kernels, Lloyd and Hamerly, give bit-identical fits (%o)', async ({ n, d, k, duplicate }) => {
    const { createAllocator } = await import('../../src/cluster/arena.js');
    const { createJob, jobBytes, runKMeans } = await import('../../src/cluster/lloyd.js');
    const { prepareData, preparedBytes } = await import('../../src/cluster/prepare.js');
    const { simdAvailable } = await import('../../src/cluster/wasm/runtime.mjs');
    expect(simdAvailable()).toBe(true);
    const { data } = makeBlobs({ n, d, k, seed: 5, spread: 2, sd: 1.5 });
    const init = data.values.slice(0, k * d);
    if (duplicate) init.copyWithin(d, 0, d);
    const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 7) / 4);
    const fit = (useWasm: boolean, algorithm: 'lloyd' | 'hamerly', weighted = false) => {
      const alloc = createAllocator(preparedBytes(n, d, weighted) + jobBytes(n, d, k, algorithm === 'hamerly'), false, useWasm);
      expect(alloc.memory !== null).toBe(useWasm);
      const prepared = prepareData(data, weighted ? weights : undefined, alloc);
      const job = createJob(prepared, k, alloc, algorithm === 'hamerly');
      const centred = Float64Array.from(init, (v, i) => v - (prepared.mean[i % d] as number));
      return runKMeans(job, prepared, centred, k, { algorithm, maxIter: 50, tolAbs: 0, threads: 1 });
    };
    const js = fit(false, 'lloyd');
    expect(js.nIter).toBeGreaterThan(5);
    for (const [useWasm, algorithm] of [[true, 'lloyd'], [true, 'hamerly'], [false, 'hamerly']] as const) {
      const other = fit(useWasm, algorithm);
      expect(other.labels).toEqual(js.labels);
      expect(other.inertia).toBe(js.inertia);
      expect(other.nIter).toBe(js.nIter);
    }
    for (const algorithm of ['lloyd', 'hamerly'] as const) {
      const weightedJs = fit(false, algorithm, true);
      const weightedWasm = fit(true, algorithm, true);
      expect(weightedWasm.labels).toEqual(weightedJs.labels);
      expect(weightedWasm.inertia).toBe(weightedJs.inertia);
      expect(Array.from(weightedWasm.centres)).toEqual(Array.from(weightedJs.centres));
    }
  });
});
