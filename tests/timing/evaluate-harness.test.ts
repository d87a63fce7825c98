import { describe, expect, it } from 'vitest';
import type { TimingLabels } from '../../src/timing/labels.js';
import {
  comparisonTable,
  evaluateModels,
  fitRecencyBaseline,
  predictRecencyBaseline,
  qualityGrade,
} from '../../src/timing/evaluate/index.js';

function labels(daysToNext: number[], event: number[], purchases: number[], windowDays: number): TimingLabels {
  return { daysToNext: Float64Array.from(daysToNext), event: Uint8Array.from(event), purchases: Float64Array.from(purchases), windowDays };
}

describe('recency baseline', () => {
  // Training recency 5, 10, 20, 40, never, 5 → two deciles-of-two buckets split at 10 days, plus "never".
  const training = labels([3, 50, 100, 100, 20, 25], [1, 1, 0, 0, 1, 1], [2, 1, 0, 0, 1, 1], 100);
  const recency = [5, 10, 20, 40, Number.NaN, 5];

  it('predicts the smoothed buying rate and mean purchases of each recency bucket', () => {
    const baseline = fitRecencyBaseline(recency, training, { buckets: 2, horizons: [30] });
    expect(baseline.edges).toEqual([10]);
    // Overall rate within 30 days 3/6; prior of 2 pseudo-customers: (buyers + 2·0.5) / (size + 2).
    expect(baseline.rates[0]?.[0]).toBeCloseTo(3 / 5, 12);
    expect(baseline.rates[0]?.[1]).toBeCloseTo(1 / 4, 12);
    expect(baseline.rates[0]?.[2]).toBeCloseTo(2 / 3, 12);
    // Overall mean purchases 5/6: bucket "≤ 10 days" has 4 purchases over 3 customers.
    expect(baseline.meanPurchases[0]).toBeCloseTo((4 + (2 * 5) / 6) / 5, 12);
    const predicted = predictRecencyBaseline(baseline, [1, 10, 11, Number.NaN]);
    expect(Array.from(predicted.pBuy[30] ?? [])).toEqual([0.6, 0.6, 0.25, 2 / 3]);
    expect(predicted.expectedPurchases[2]).toBeCloseTo((0 + (2 * 5) / 6) / 4, 12);
  });

  it('refuses a horizon beyond the label window', () => {
    expect(() => fitRecencyBaseline(recency, training, { horizons: [120] })).toThrow(/exceeds the label window/);
  });
});

describe('evaluateModels', () => {
  const holdout = labels([5, 40, 90, 90], [1, 1, 0, 0], [1, 2, 0, 0], 90);
  const sharp = { name: 'sharp', pBuy: { 30: [0.8, 0.3, 0.2, 0.1], 60: [0.9, 0.6, 0.3, 0.2] }, expectedPurchases: [1, 1, 0.5, 0] };
  const flat = { name: 'flat', pBuy: { 30: [0.25, 0.25, 0.25, 0.25] } };

  it('scores every model on the same actuals and names the best', () => {
    const evaluation = evaluateModels(holdout, [sharp, flat]);
    expect(evaluation.customers).toBe(4);
    expect(evaluation.gradeHorizon).toBe(30);
    const [a, b] = evaluation.models;
    expect(a?.horizons.map((h) => h.horizon)).toEqual([30, 60]);
    const a30 = a?.horizons[0];
    expect(a30?.baseRate).toBe(0.25);
    expect(a30?.auc).toBe(1);
    expect(a30?.brier).toBeCloseTo(0.045, 12);
    expect(a30?.brierSkill).toBeCloseTo(1 - 0.045 / 0.1875, 12);
    // Within 60 days customers 1 and 2 bought: 0.9 and 0.6 rank above 0.3 and 0.2.
    expect(a?.horizons[1]?.baseRate).toBe(0.5);
    expect(a?.horizons[1]?.auc).toBe(1);
    expect(a?.purchases).toEqual({ mae: 0.375, meanPredicted: 0.625, meanActual: 0.75 });
    expect(b?.horizons[0]?.auc).toBe(0.5);
    expect(b?.horizons[0]?.brierSkill).toBeCloseTo(0, 12);
    expect(b?.purchases).toBeNull();
    expect(b?.grade?.level).toBe('poor');
    expect(evaluation.best).toBe('sharp');
    const table = comparisonTable(evaluation);
    expect(table).toContain('| sharp | 1.000 | 0.0450 | 0.760 |');
    expect(table).toContain('| flat | 0.500 | 0.1875 | 0.000 |');
    expect(JSON.parse(JSON.stringify(evaluation)).best).toBe('sharp');
  });

  it('refuses misaligned predictions, duplicate names and horizons beyond the holdout', () => {
    expect(() => evaluateModels(holdout, [{ name: 'short', pBuy: { 30: [0.1, 0.2] } }])).toThrow(/2 predictions of P\(buy in 30 d\) for 4 holdout customers/);
    expect(() => evaluateModels(holdout, [flat, flat])).toThrow(/listed twice/);
    expect(() => evaluateModels(holdout, [flat], { horizons: [120] })).toThrow(/outside the 90-day holdout/);
  });
});

describe('qualityGrade', () => {
  it('speaks plainly, with documented thresholds', () => {
    expect(qualityGrade({ auc: 0.81, ece: 0.01, brierSkill: 0.2, horizon: 30 }).text).toBe(
      'good: AUC 0.81 for buying within 30 days — ranks buyers well; probabilities are reliable (off by 1.0 points on average)',
    );
    expect(qualityGrade({ auc: 0.74, ece: 0.04, brierSkill: 0.1, horizon: 30 }).level).toBe('fair');
    expect(qualityGrade({ auc: 0.65, ece: 0.08, brierSkill: 0.05, horizon: 60 }).text).toMatch(/^weak: .* use the ranking, not the numbers$/);
    expect(qualityGrade({ auc: 0.55, ece: 0.01, brierSkill: 0.01, horizon: 30 }).level).toBe('poor');
    // Good ranking but worse than the base rate for everyone: at most weak.
    const unskilled = qualityGrade({ auc: 0.85, ece: 0.2, brierSkill: -0.3, horizon: 30 });
    expect(unskilled.level).toBe('weak');
    expect(unskilled.text).toContain('no better than giving everyone the average rate');
  });
});
