import { describe, expect, it } from 'vitest';
import { segmentInputs } from '../../src/segments/inputs.js';
import { assignLifecycle } from '../../src/segments/lifecycle.js';
import { scoreRfm } from '../../src/segments/rfm.js';
import type { CustomerPrediction } from '../../src/timing/types.js';

const prediction: CustomerPrediction = {
  customerId: 'b',
  pAlive: 0.2,
  pBuy30: 0.05,
  pBuy60: 0.09,
  pBuy90: 0.12,
  expectedPurchases90: 0.1,
  nextPurchaseDays: 150,
  nextPurchaseLow: 20,
  nextPurchaseHigh: 400,
  expectedSpend: 30,
  clv: 12,
  model: 'bgnbd',
};

const features = [
  {
    customer_id: 'b',
    recency_days: 210,
    orders_count: 3,
    monetary_total: 90,
    tenure_first_purchase_days: 500,
    interpurchase_mean_days: 100,
    days_since_engagement: 4,
  },
  {
    customer_id: 'p',
    recency_days: null,
    orders_count: 0,
    monetary_total: 0,
    tenure_first_purchase_days: null,
    interpurchase_mean_days: null,
  },
];

describe('segmentInputs', () => {
  it('maps feature columns and predictions onto lifecycle and RFM inputs', () => {
    const inputs = segmentInputs(features, [prediction], new Map([['b', 'at_risk']]));
    expect(inputs.lifecycle[0]).toEqual({
      customerId: 'b',
      daysSinceFirstPurchase: 500,
      daysSinceLastPurchase: 210,
      orders: 3,
      pAlive: 0.2,
      pBuy30: 0.05,
      nextPurchaseDays: 150,
      nextPurchaseHigh: 400,
      typicalIntervalDays: 100,
      clv: 12,
      monetary: 90,
      daysSinceLastEngagement: 4,
      previousSegment: 'at_risk',
    });
    expect(inputs.rfm).toEqual([
      { customerId: 'b', daysSinceLastPurchase: 210, frequency: 3, monetary: 90 },
      { customerId: 'p', daysSinceLastPurchase: null, frequency: 0, monetary: 0 },
    ]);
    // The whole chain runs: b is lapsed by P(alive) and, as the only buyer, at the 75th spend percentile → win_back.
    expect(assignLifecycle(inputs.lifecycle).map((a) => [a.segment, a.reason.rule])).toEqual([
      ['win_back', 'lapsed_high_value'],
      ['prospect', 'no_purchase'],
    ]);
    // A lone buyer sits at the median of every score: p = 0.5 → 1 + ⌊2.5⌋ = 3 → 333.
    expect(scoreRfm(inputs.rfm).map((s) => [s.code, s.group])).toEqual([
      ['333', 'needs_attention'],
      [null, 'no_purchase'],
    ]);
  });

  it('refuses a buyer without a prediction, unless the first purchase is from the as-of day', () => {
    expect(() => segmentInputs(features, [])).toThrow(/customer "b" has 3 orders but no timing prediction/);
    const today = {
      ...features[0],
      customer_id: 't',
      recency_days: 0,
      orders_count: 1,
      tenure_first_purchase_days: 0,
      interpurchase_mean_days: null,
    };
    const inputs = segmentInputs([today], []);
    expect(inputs.lifecycle[0]).toMatchObject({ pAlive: 1, pBuy30: 0, clv: 0, nextPurchaseDays: null });
    expect(assignLifecycle(inputs.lifecycle)[0]?.reason.text.en).toBe('first purchase 0 days ago ≤ 30');
  });
});
