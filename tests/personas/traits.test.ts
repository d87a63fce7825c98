import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/personas/statistics.js';
import { computeTraits, selectTopTraits } from '../../src/personas/traits.js';
import type { FeatureColumn, Trait } from '../../src/personas/types.js';
import { feature } from './fixtures.js';

// Two groups of 15: x ∈ {1,2,3}×5 vs {7,8,9}×5; c = a×10,b×5 vs b×15; flag 12/15 vs 3/15.
const groupOf = new Int32Array(30).map((_, i) => (i < 15 ? 0 : 1));
const x = new Float64Array(30).map((_, i) => (i < 15 ? 1 + Math.floor(i / 5) : 7 + Math.floor((i - 15) / 5)));
const c: string[] = Array.from({ length: 30 }, (_, i) => (i < 10 ? 'a' : 'b'));
const flag = new Float64Array(30).map((_, i) => (i < 12 || (i >= 15 && i < 18) ? 1 : 0));
const features = [feature('x', 'numeric'), feature('c', 'categorical', 'zero-party'), feature('flag', 'boolean')];
const columns: Record<string, FeatureColumn> = { x, c, flag };

describe('computeTraits on a hand-checked fixture (reference: SciPy)', () => {
  const traits = computeTraits(features, columns, groupOf, 2, { alpha: 0.05, correction: 'bh' });
  const find = (g: number, feature: string, level: string | null): Trait => {
    const t = traits[g]?.find((tr) => tr.feature === feature && tr.level === level);
    if (!t) throw new Error(`no trait ${feature}/${level}`);
    return t;
  };

  it('numeric: Cohen d against the population SD, Welch t against the rest', () => {
    const t = find(0, 'x', null);
    expect(t.personaValue).toBeCloseTo(2, 12);
    expect(t.populationValue).toBeCloseTo(5, 12);
    expect(t.effect).toBeCloseTo(-0.9486832980505138, 10);
    expect(t.difference).toBeCloseTo(-3, 12);
    expect(t.relative).toBeCloseTo(-0.6, 12);
    expect(t.statistic).toBeCloseTo(-19.442222095223585, 8);
    expect(t.pValue / 8.507129658536581e-18).toBeCloseTo(1, 4);
    expect(t.direction).toBe('lower');
    expect(find(1, 'x', null).effect).toBeCloseTo(0.9486832980505138, 10);
  });

  it('categorical level: share, Cohen h and the pooled two-proportion z test', () => {
    const t = find(0, 'c', 'a');
    expect(t.personaValue).toBeCloseTo(2 / 3, 12);
    expect(t.populationValue).toBeCloseTo(1 / 3, 12);
    expect(t.effect).toBeCloseTo(0.6796738189082441, 10);
    expect(t.difference).toBeCloseTo(1 / 3, 12);
    expect(t.statistic).toBeCloseTo(3.8729833462074166, 10);
    expect(t.pValue).toBeCloseTo(0.00010751117672950055, 8);
    expect(t.source).toBe('zero-party');
  });

  it('boolean: share of true', () => {
    const t = find(0, 'flag', 'true');
    expect(t.personaValue).toBeCloseTo(0.8, 12);
    expect(t.effect).toBeCloseTo(0.643501108793284, 10);
    expect(t.statistic).toBeCloseTo(3.2863353450309973, 10);
  });

  it('adjusts every p-value of the document together (Benjamini–Hochberg)', () => {
    const flat = traits.flat();
    const expected = adjustPValues(flat.map((t) => t.pValue), 'bh');
    flat.forEach((t, i) => {
      expect(t.adjustedP).toBeCloseTo(expected[i] as number, 14);
      expect(t.significant).toBe(t.adjustedP < 0.05);
    });
    // 2 groups × (x + c:a + c:b + flag)
    expect(flat).toHaveLength(8);
  });

  it('top traits: significant, |effect| ≥ the minimum, strongest first, one level per feature', () => {
    const top = selectTopTraits(traits[0] as Trait[], 0.2, 5).map((i) => (traits[0] as Trait[])[i] as Trait);
    // |d| 0.95 > |h| 0.68 (c:a and c:b tie, one level of c is kept) > |h| 0.64.
    expect(top.map((t) => t.feature)).toEqual(['x', 'c', 'flag']);
    expect(selectTopTraits(traits[0] as Trait[], 0.95, 5)).toEqual([]);
  });
});

it('missing values are left out of both the persona and the population', () => {
  const withMissing = Float64Array.from(x, (v, i) => (i % 5 === 0 ? NaN : v));
  const [g0] = computeTraits([feature('x', 'numeric')], { x: withMissing }, groupOf, 2, { alpha: 0.05, correction: 'holm' });
  const kept = Array.from(withMissing.slice(0, 15)).filter(Number.isFinite);
  expect(g0?.[0]?.personaValue).toBeCloseTo(kept.reduce((a, b) => a + b, 0) / kept.length, 12);
});
