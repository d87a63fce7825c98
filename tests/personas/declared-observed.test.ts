import { expect, it } from 'vitest';
import { compareDeclaredObserved } from '../../src/personas/declared-observed.js';
import { trackPersona } from '../../src/personas/tracking.js';
import type { PersonaDocument, Trait } from '../../src/personas/types.js';
import { feature } from './fixtures.js';

const groupOf = new Int32Array(20).map((_, i) => (i < 10 ? 0 : 1));

it('declared "high" price sensitivity with few discounts is a contradiction (hand-computed effects)', () => {
  const features = [feature('declared_price_sensitivity', 'categorical', 'zero-party'), feature('discount_share', 'numeric', 'first-party', 'share')];
  const columns = {
    declared_price_sensitivity: Array.from({ length: 20 }, (_, i) => (i < 10 ? 'high' : 'low')),
    discount_share: new Float64Array(20).map((_, i) => (i < 10 ? 0.1 : 0.5)),
  };
  const [g0, g1] = compareDeclaredObserved(features, columns, groupOf, 2, 0.2);
  const c = g0?.[0];
  // Scores 1 vs 0: mean 0.5, SD √(5/19); discount 0.1 vs 0.5: mean 0.3, SD √(0.8/19).
  expect(c?.declared.effect).toBeCloseTo(0.5 / Math.sqrt(5 / 19), 12);
  expect(c?.observed.effect).toBeCloseTo(-0.2 / Math.sqrt(0.8 / 19), 12);
  expect(c?.verdict).toBe('contradiction');
  expect(g1?.[0]?.verdict).toBe('contradiction');
  expect(c?.explanation.en).toBe('declared_price_sensitivity 1 vs 0.5 (score from 0 = low to 1 = high); discount_share 10% vs 30%: what they declare contradicts how they behave');
});

it('declared interest and category share moving together is an agreement; flat sides are left out', () => {
  const features = [feature('interest_beauty', 'boolean', 'zero-party'), feature('share_category_beauty', 'numeric', 'first-party', 'share'), feature('interest_home', 'boolean', 'zero-party'), feature('share_category_home', 'numeric', 'first-party', 'share')];
  const columns = {
    interest_beauty: new Float64Array(20).map((_, i) => (i === 5 ? NaN : i < 9 || i === 12 ? 1 : 0)),
    share_category_beauty: new Float64Array(20).map((_, i) => (i < 10 ? 0.6 : 0.1)),
    interest_home: new Float64Array(20).map((_, i) => i % 2),
    share_category_home: new Float64Array(20).map((_, i) => 0.2 + 0.01 * (i % 2)),
  };
  const [g0] = compareDeclaredObserved(features, columns, groupOf, 2, 0.2);
  expect(g0?.map((c) => c.pair)).toEqual(['interests~categories:interest_beauty']);
  expect(g0?.[0]?.verdict).toBe('agreement');
  // 8 of 9 answered in group 0 (row 5 missing) vs 9 of 19 overall.
  expect(g0?.[0]?.declared.persona).toBeCloseTo(8 / 9, 12);
  expect(g0?.[0]?.declared.population).toBeCloseTo(9 / 19, 12);
});

it('tracks size, migration and moved traits against the previous run', () => {
  const t = (feature: string, effect: number): Trait => ({ feature, level: null, kind: 'numeric', source: 'first-party', personaValue: 0, populationValue: 0, effect, difference: 0, relative: 0, test: 'welch-t', statistic: 0, pValue: 0, adjustedP: 0, significant: true, direction: effect >= 0 ? 'higher' : 'lower' });
  const previous = { personas: [{ id: 'P1', size: 100, shareOfCustomers: 0.5, traits: [t('a', 1.0), t('b', 0.5)], topTraits: [0, 1] }] } as unknown as PersonaDocument;
  const migration = { from: ['P1', 'P2'], to: ['P1', 'P2', 'P3'], counts: [[80, 15, 5], [10, 70, 0]] };
  const tracked = trackPersona({ id: 'P1', size: 120, shareOfCustomers: 0.4, traits: [t('a', 1.1), t('b', 0.1)], topTraits: [0] }, previous, migration);
  expect(tracked).toEqual({
    status: 'continued',
    previousSize: 100,
    sizeChange: 20,
    shareChange: expect.closeTo(-0.1, 12),
    retained: 0.8,
    inflow: [{ from: 'P2', count: 10 }],
    outflow: [{ to: 'P2', count: 15 }, { to: 'P3', count: 5 }],
    traitChanges: [{ feature: 'b', level: null, previousEffect: 0.5, effect: 0.1 }],
  });
  const fresh = trackPersona({ id: 'P3', size: 5, shareOfCustomers: 0.02, traits: [], topTraits: [] }, previous, migration);
  expect(fresh.status).toBe('new');
  expect(fresh.inflow).toEqual([{ from: 'P1', count: 5 }]);
});
