import { describe, expect, it } from 'vitest';
import { trainingSample } from '../../src/timing/neural/training-sample.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${String(i).padStart(5, '0')}`);

describe('trainingSample', () => {
  it('keeps every customer, sorted, when the window has no more than the cap', () => {
    const cohort = ['c3', 'c1', 'c2'];
    expect(trainingSample(cohort, 3, 7, 0)).toEqual(['c1', 'c2', 'c3']);
    expect(trainingSample(cohort, 1000, 7, 0)).toEqual(['c1', 'c2', 'c3']);
  });

  it('draws exactly the cap, distinct members of the window, sorted', () => {
    const cohort = ids(5000);
    const sample = trainingSample(cohort, 1200, 7, 0);
    expect(sample).toHaveLength(1200);
    expect(new Set(sample).size).toBe(1200);
    expect(sample.every((id) => cohort.includes(id))).toBe(true);
    expect(sample).toEqual([...sample].sort());
  });

  it('is the same for the same seed and window whatever order the customers come in, and differs otherwise', () => {
    const cohort = ids(5000);
    const sample = trainingSample(cohort, 1000, 7, 0);
    expect(trainingSample([...cohort].reverse(), 1000, 7, 0)).toEqual(sample);
    expect(trainingSample(cohort, 1000, 8, 0)).not.toEqual(sample);
    expect(trainingSample(cohort, 1000, 7, 1)).not.toEqual(sample);
  });

  it('spreads over the whole window rather than taking its first customers', () => {
    const sample = trainingSample(ids(10000), 2000, 7, 0);
    // Uniform sampling without replacement: each tenth of the ids holds 200 ± a few sd (sd ≈ 12.6).
    const perTenth = Array.from({ length: 10 }, (_, t) =>
      sample.filter((id) => Math.floor(Number(id.slice(1)) / 1000) === t).length,
    );
    for (const count of perTenth) expect(Math.abs(count - 200)).toBeLessThan(60);
  });
});
