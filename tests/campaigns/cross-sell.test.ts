import { describe, expect, it } from 'vitest';
import { fitCategoryAffinity, recommendCategories } from '../../src/campaigns/category-affinity.js';
import { backtestCrossSell } from '../../src/campaigns/cross-sell-backtest.js';

// Five customers: {A,B}, {A,B}, {A,C}, {B}, {C}. Buyers A 3, B 3, C 2; both A&B 2, A&C 1, B&C 0.
const CATEGORIES = ['A', 'B', 'C'];
const BASKETS = [[0, 1], [0, 1], [0, 2], [1], [2]];

describe('recommendCategories', () => {
  const model = fitCategoryAffinity(CATEGORIES, BASKETS);

  it('counts buyers and co-buyers', () => {
    expect(model.buyers).toEqual([3, 3, 2]);
    expect([...model.both]).toEqual([3, 2, 1, 2, 3, 0, 1, 0, 2]);
  });

  it('scores unbought categories by cosine (item CF), lift, or popularity, as computed by hand', () => {
    // Bought A: cosine B 2/√9, C 1/√6; lift B 2·5/(3·3), C 1·5/(3·2); popularity B 3/5, C 2/5.
    const cf = recommendCategories(model, [0], 'item_cf', 3);
    expect(cf.map((r) => CATEGORIES[r.category])).toEqual(['B', 'C']);
    expect(cf[0]?.score).toBeCloseTo(2 / 3, 12);
    expect(cf[1]?.score).toBeCloseTo(1 / Math.sqrt(6), 12);
    const lift = recommendCategories(model, [0], 'lift', 3);
    expect(lift.map((r) => r.score)).toEqual([10 / 9, 5 / 6]);
    expect(recommendCategories(model, [0], 'popularity', 1)).toEqual([{ category: 1, score: 3 / 5, because: null }]);
    // Item CF from A and C: B's score is cos(A,B) + cos(C,B) = 2/3 + 0, A weighs most.
    expect(recommendCategories(model, [0, 2], 'item_cf', 1)).toEqual([{ category: 1, score: 2 / 3, because: 0 }]);
    // Bought C: A is the only co-bought category (cosine 1/√6); B, never bought with C, scores 0.
    const fromC = recommendCategories(model, [2], 'item_cf', 2);
    expect(fromC.map((r) => CATEGORIES[r.category])).toEqual(['A', 'B']);
    expect(fromC[1]?.score).toBe(0);
    // Nothing left to recommend to a customer who bought everything.
    expect(recommendCategories(model, [0, 1, 2], 'item_cf', 3)).toEqual([]);
  });
});

describe('backtestCrossSell', () => {
  it('measures hit rate and recall at k of the new categories bought after the cutoff', () => {
    // Learned from the "before" baskets above; two customers buy something new afterwards:
    // one who had C buys A (item CF ranks A first: hit@1; popularity ranks A, B by buyers, A first too —
    // A and B tie at 3 buyers, A wins by name); one who had B buys A and C (CF: A then C; popularity: A then C).
    const result = backtestCrossSell(CATEGORIES, [
      { before: [0, 1], after: [] },
      { before: [0, 1], after: [0] },
      { before: [0, 2], after: [] },
      { before: [1], after: [0, 2] },
      { before: [2], after: [0] },
      { before: [], after: [1] },
    ]);
    expect(result.calibrationCustomers).toBe(5);
    expect(result.evaluated).toBe(2);
    expect(result.methods.item_cf.hitRate).toEqual({ '@1': 1, '@3': 1 });
    expect(result.methods.item_cf.recall).toEqual({ '@1': (1 + 1 / 2) / 2, '@3': 1 });
    expect(result.methods.popularity.recall['@3']).toBe(1);
    expect(result.beatsPopularity).toBe(false);
  });
});

describe('an "other" family is never recommended', () => {
  const model = fitCategoryAffinity(CATEGORIES, BASKETS);

  it('skips an excluded category and recommends the next one', () => {
    // Bought A: item CF ranks B then C; with B excluded (say it is "other"), C comes first.
    const top = recommendCategories(model, [0], 'item_cf', 3, new Set([1]));
    expect(top.map((r) => CATEGORIES[r.category])).toEqual(['C']);
    expect(top[0]?.score).toBeCloseTo(1 / Math.sqrt(6), 12);
  });

  it('neither hits nor misses on an excluded category in the backtest', () => {
    // The customer who had B buys A and C; with C excluded only A counts, and A is the first suggestion.
    const result = backtestCrossSell(
      CATEGORIES,
      [
        { before: [1], after: [0, 2] },
        { before: [0, 1], after: [2] },
        { before: [2], after: [] },
      ],
      [1, 3],
      new Set([2]),
    );
    // The second customer's only new category is excluded: not evaluated.
    expect(result.evaluated).toBe(1);
    expect(result.methods.item_cf.recall).toEqual({ '@1': 1, '@3': 1 });
  });
});
