import { describe, expect, it } from 'vitest';
import { KMeans } from '../../src/cluster/kmeans.js';
import { initialPersonaIds, matchPersonas, type PreviousPersonas } from '../../src/cluster/lineage.js';
import { Rng } from '../../src/core/rng.js';
import type { FeatureMatrix } from '../../src/cluster/types.js';

const d = 4;

/** Customers `c<i>` drawn around group centres; `group[i]` is the planted truth. */
function week(customers: { id: string; group: number }[], centres: number[][], seed: number): { data: FeatureMatrix; ids: string[]; truth: number[] } {
  const rng = new Rng(seed);
  const values = new Float64Array(customers.length * d);
  customers.forEach((c, i) => {
    for (let t = 0; t < d; t++) values[i * d + t] = ((centres[c.group] as number[])[t] as number) + rng.normal(0, 0.6);
  });
  return { data: { values, nRows: customers.length, nCols: d }, ids: customers.map((c) => c.id), truth: customers.map((c) => c.group) };
}

const baseCentres = [
  [0, 0, 0, 0],
  [8, 0, 0, 0],
  [0, 8, 0, 0],
  [0, 0, 8, 0],
  [0, 0, 0, 8],
];

function firstWeek(): { previous: PreviousPersonas; customers: { id: string; group: number }[]; idOfGroup: Map<number, string> } {
  const rng = new Rng(1);
  const customers = Array.from({ length: 2500 }, (_, i) => ({ id: `c${i}`, group: rng.int(5) }));
  const { data, ids, truth } = week(customers, baseCentres, 10);
  const model = new KMeans({ nClusters: 5, seed: 3 }).fit(data);
  const personaIds = initialPersonaIds(5);
  const membership = new Map(ids.map((id, i) => [id, personaIds[model.labels[i] as number] as string]));
  const idOfGroup = new Map<number, string>();
  truth.forEach((g, i) => idOfGroup.set(g, personaIds[model.labels[i] as number] as string));
  const personas = personaIds.map((id, j) => ({ id, centroid: model.centres.slice(j * d, (j + 1) * d) }));
  return { previous: { personas, membership }, customers, idOfGroup };
}

function fitWeek(data: FeatureMatrix, k: number, seed: number): KMeans {
  return new KMeans({ nClusters: k, seed }).fit(data);
}

describe('matchPersonas', () => {
  it('keeps persona ids across a time shift with churn and a permuted cluster order', () => {
    const { previous, customers, idOfGroup } = firstWeek();
    // Next week: 10 % of customers replaced by new ones, every group drifts by 0.5, rows are re-drawn.
    const rng = new Rng(2);
    const next = customers.map((c, i) => (rng.next() < 0.1 ? { id: `n${i}`, group: rng.int(5) } : c));
    const moved = baseCentres.map((c) => c.map((v) => v + 0.5));
    const { data, ids, truth } = week(next, moved, 20);
    const model = fitWeek(data, 5, 99);
    // Renumber the new clusters by a fixed cyclic permutation, so that matching by position would fail.
    const permutation = [2, 3, 4, 0, 1];
    const labels = Int32Array.from(model.labels, (l) => permutation[l] as number);
    const centroids = new Float64Array(5 * d);
    permutation.forEach((to, from) => centroids.set(model.centres.subarray(from * d, from * d + d), to * d));
    const lineage = matchPersonas(previous, { centroids, nFeatures: d, customerIds: ids, labels });
    expect(lineage.ids).not.toEqual(initialPersonaIds(5));
    // Each planted group carries the id it had last week.
    truth.forEach((g, i) => expect(lineage.ids[labels[i] as number]).toBe(idOfGroup.get(g)));
    expect(lineage.continued).toHaveLength(5);
    expect(lineage.created).toEqual([]);
    expect(lineage.retired).toEqual([]);
    expect(lineage.splits).toEqual([]);
    expect(lineage.merges).toEqual([]);
    // Migration: the diagonal (by id) holds nearly every returning customer; counts add up.
    const m = lineage.migration;
    const returning = next.filter((c) => c.id.startsWith('c')).length;
    expect(m.counts.flat().reduce((a, b) => a + b, 0)).toBe(returning);
    expect(m.entered.reduce((a, b) => a + b, 0)).toBe(next.length - returning);
    expect(m.left.reduce((a, b) => a + b, 0)).toBe(customers.length - returning);
    const onDiagonal = m.oldIds.reduce((s, id, o) => s + ((m.counts[o] as number[])[m.newIds.indexOf(id)] as number), 0);
    expect(onDiagonal).toBe(returning);
  });

  it('detects a split and a merge while unchanged personas keep their ids', () => {
    const { previous, customers, idOfGroup } = firstWeek();
    // Group 0 splits in two (half of its customers move to a new place); groups 3 and 4 merge in between.
    const centres = [...baseCentres.map((c) => c.slice()), [-8, 0, 0, 0]];
    centres[3] = [0, 0, 4, 4];
    centres[4] = [0, 0, 4, 4];
    const shifted = customers.map((c, i) => (c.group === 0 && i % 2 === 0 ? { ...c, group: 5 } : c));
    const { data, ids } = week(shifted, centres, 30);
    const model = fitWeek(data, 5, 7);
    const lineage = matchPersonas(previous, { centroids: model.centres, nFeatures: d, customerIds: ids, labels: model.labels });
    const g = (group: number): string => idOfGroup.get(group) as string;
    expect(lineage.splits).toHaveLength(1);
    expect(lineage.splits[0]?.from).toBe(g(0));
    expect(lineage.splits[0]?.into).toContain(g(0));
    expect(lineage.merges).toHaveLength(1);
    expect([...(lineage.merges[0]?.from ?? [])].sort()).toEqual([g(3), g(4)].sort());
    // Unchanged personas keep their ids; one merged id survives, the other is retired into it.
    expect(lineage.ids).toContain(g(1));
    expect(lineage.ids).toContain(g(2));
    expect(lineage.retired).toHaveLength(1);
    expect(lineage.retired[0]?.mergedInto).toBe(lineage.merges[0]?.into);
    // The split-off part is a new persona with a never-used id.
    expect(lineage.created).toEqual([{ id: 'P6', cluster: expect.any(Number), splitFrom: g(0) }]);
    expect(lineage.retiredIds).toEqual([lineage.retired[0]?.id]);
  });

  it('matches on centroids alone when no customer is shared, and never reuses retired ids', () => {
    const previous: PreviousPersonas = {
      personas: [
        { id: 'P1', centroid: [0, 0] },
        { id: 'P4', centroid: [10, 0] },
      ],
      membership: new Map(),
      retiredIds: ['P2', 'P3', 'P7'],
    };
    const lineage = matchPersonas(previous, { centroids: Float64Array.from([10.2, 0.1, 0.1, -0.2, 0, 30]), nFeatures: 2, customerIds: ['a', 'b', 'c'], labels: [0, 1, 2] });
    expect(lineage.ids).toEqual(['P4', 'P1', 'P8']);
    expect(lineage.continued.every((c) => c.jaccard === null)).toBe(true);
    expect(() => matchPersonas(previous, { centroids: Float64Array.from([1, 2, 3]), nFeatures: 3, customerIds: ['a'], labels: [0] })).toThrow(/2-feature centroid/);
  });
});
