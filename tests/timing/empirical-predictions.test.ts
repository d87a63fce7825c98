import { describe, expect, it } from 'vitest';
import type { RecencyBaseline } from '../../src/timing/evaluate/index.js';
import { empiricalPredictions, empiricalSpend, recencyDays } from '../../src/timing/empirical-predictions.js';

// Two recency buckets (≤ 30 days, > 30 days) plus "never bought", learnt on a 90-day window.
const baseline: RecencyBaseline = {
  edges: [30],
  horizons: [30, 60, 90],
  rates: [
    [0.4, 0.1, 0.05],
    [0.6, 0.2, 0.1],
    [0.7, 0.25, 0.15],
  ],
  meanPurchases: [1.5, 0.3, 0.2],
  windowDays: 90,
};

// Customer a: 3 repeat purchases of mean 20, last one 10 days ago; b: one-time buyer 200 days ago.
const history = {
  timeUnit: 'day' as const,
  customerIds: ['a', 'b'],
  frequency: [3, 0],
  recency: [290, 0],
  age: [300, 200],
  monetary: [20, Number.NaN],
};

describe('empirical predictions (the floor when no BTYD model fits)', () => {
  it('days since the last purchase are T − t_x', () => {
    expect(Array.from(recencyDays(history))).toEqual([10, 200]);
  });

  it('spend: own mean repeat spend, the repeat buyers’ mean for one-time buyers', () => {
    const spend = empiricalSpend([3, 0, 1], [20, Number.NaN, 40]);
    expect(spend.conditionalExpectedSpend(3, 20)).toBe(20);
    expect(spend.conditionalExpectedSpend(0, Number.NaN)).toBe(30);
  });

  it('gives each customer the rates of their recency bucket, P(alive) the longest horizon’s, and a discounted CLV', () => {
    const [a, b] = empiricalPredictions(
      history,
      baseline,
      empiricalSpend(history.frequency, history.monetary),
      {
        clvMonths: 2,
        monthlyDiscountRate: 0.01,
      },
    );
    expect(a).toMatchObject({
      pBuy30: 0.4,
      pBuy60: 0.6,
      pBuy90: 0.7,
      pAlive: 0.7,
      expectedSpend: 20,
      nextPurchaseDays: null,
      model: 'recency_baseline',
    });
    expect(a?.expectedPurchases90).toBeCloseTo(1.5, 12);
    // 1.5 purchases per 90 days = 0.5 a month, at 20 each: 10/1.01 + 10/1.01².
    expect(a?.clv).toBeCloseTo(10 / 1.01 + 10 / 1.01 ** 2, 12);
    expect(b).toMatchObject({ pBuy30: 0.1, pBuy90: 0.25, pAlive: 0.25, expectedSpend: null });
    expect(b?.clv).toBeCloseTo(0.1 * 20 * (1 / 1.01 + 1 / 1.01 ** 2), 12);
  });
});
