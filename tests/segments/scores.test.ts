import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/core/time.js';
import { assignLifecycle } from '../../src/segments/lifecycle.js';
import { scoreRfm } from '../../src/segments/rfm.js';
import { buildScoreRows, SCORE_COLUMNS, scoreGroupsOnRows, scoreRowsOnRows, splitRuleSegments } from '../../src/segments/scores.js';
import type { CustomerPrediction } from '../../src/timing/types.js';

const asOf = parseIsoDate('2024-03-01') as Date;

const prediction = (customerId: string, over: Partial<CustomerPrediction> = {}): CustomerPrediction => ({
  customerId,
  pAlive: 0.8,
  pBuy30: 0.3,
  pBuy60: 0.5,
  pBuy90: 0.6,
  expectedPurchases90: 0.9,
  nextPurchaseDays: 10.4,
  nextPurchaseLow: 2.7,
  nextPurchaseHigh: 30.2,
  expectedSpend: 55.5,
  clv: 321.5,
  model: 'bgnbd',
  ...over,
});

function inputs() {
  const lifecycle = assignLifecycle([
    {
      customerId: 'a',
      daysSinceFirstPurchase: 300,
      daysSinceLastPurchase: 20,
      orders: 4,
      pAlive: 0.8,
      pBuy30: 0.3,
      nextPurchaseDays: 10.4,
      nextPurchaseHigh: 30.2,
      typicalIntervalDays: 60,
      clv: 321.5,
    },
    {
      customerId: 'p',
      daysSinceFirstPurchase: null,
      daysSinceLastPurchase: null,
      orders: 0,
      pAlive: 1,
      pBuy30: 0,
      nextPurchaseDays: null,
      nextPurchaseHigh: null,
      typicalIntervalDays: null,
      clv: 0,
    },
    {
      customerId: 'gone',
      daysSinceFirstPurchase: 50,
      daysSinceLastPurchase: 50,
      orders: 1,
      pAlive: 1,
      pBuy30: 0.1,
      nextPurchaseDays: 80,
      nextPurchaseHigh: 200,
      typicalIntervalDays: null,
      clv: 40,
    },
  ]);
  const rfm = scoreRfm([
    { customerId: 'a', daysSinceLastPurchase: 20, frequency: 4, monetary: 400 },
    { customerId: 'p', daysSinceLastPurchase: null, frequency: 0, monetary: 0 },
    { customerId: 'gone', daysSinceLastPurchase: 50, frequency: 1, monetary: 40 },
  ]);
  return {
    asOf,
    customerIds: ['p', 'a', 'gone'],
    erased: new Set(['gone']),
    lifecycle,
    rfm,
    predictions: [prediction('a'), prediction('gone')],
    personas: [{ customerId: 'a', personaId: 3, personaName: 'Weekend gardeners' }],
    rules: [{ customerId: 'a', segments: ['Big baskets', 'App users', 'Big baskets'] }],
  };
}

describe('buildScoreRows', () => {
  it('assembles one row per consented, non-erased customer, in the given order', () => {
    const rows = buildScoreRows(inputs());
    expect(rows.map((r) => r.customer_id)).toEqual(['p', 'a']);
    const a = rows[1];
    expect(a).toMatchObject({
      persona_id: '3',
      persona_name: 'Weekend gardeners',
      lifecycle: 'due',
      lifecycle_rule: 'next_purchase_soon',
      lifecycle_reason: 'next purchase expected in 10 days ≤ 14 (interval up to 30 days)',
      vip: true,
      rfm_code: '444', // top of two buyers: p = 1.5/2 → 1 + ⌊3.75⌋
      rfm_group: 'loyal',
      rule_segments: 'App users|Big baskets',
      p_alive: 0.8,
      p_buy_30: 0.3,
      p_buy_60: 0.5,
      p_buy_90: 0.6,
      next_purchase_days: 10.4,
      // 2024-03-01 + round(10.4) = 03-11; + floor(2.7) = 03-03; + ceil(30.2) = 31 days → 04-01 (leap year)
      next_purchase_date: '2024-03-11',
      next_purchase_date_low: '2024-03-03',
      next_purchase_date_high: '2024-04-01',
      expected_spend: 55.5,
      predicted_clv: 321.5,
      timing_model: 'bgnbd',
    });
    expect(JSON.parse(a?.lifecycle_values ?? '')).toEqual({
      next_purchase_days: 10.4,
      next_purchase_high: 30.2,
      threshold: 14,
    });
    expect(splitRuleSegments(a?.rule_segments ?? '')).toEqual(['App users', 'Big baskets']);
  });

  it('leaves predictions, persona and RFM scores null for a prospect', () => {
    const p = buildScoreRows(inputs())[0];
    expect(p).toMatchObject({
      lifecycle: 'prospect',
      vip: false,
      persona_id: null,
      rfm_recency: null,
      rfm_group: 'no_purchase',
      rule_segments: '',
      p_alive: null,
      next_purchase_date: null,
      predicted_clv: null,
    });
    expect(splitRuleSegments('')).toEqual([]);
  });

  it('has exactly the declared columns, in order', () => {
    for (const row of buildScoreRows(inputs()))
      expect(Object.keys(row)).toEqual(SCORE_COLUMNS.map((c) => c.name));
  });

  it('refuses a missing lifecycle segment, duplicates and rule names containing the separator', () => {
    const base = inputs();
    expect(() => buildScoreRows({ ...base, customerIds: ['a', 'zz'] })).toThrow(
      /customer "zz" has no lifecycle segment/,
    );
    expect(() => buildScoreRows({ ...base, customerIds: ['a', 'a'] })).toThrow(/listed twice/);
    // In order but for a repeat (sorted ids are not checked through a set): still refused.
    expect(() => buildScoreRows({ ...base, customerIds: ['0', 'a', 'a'], erased: new Set(['0']) })).toThrow(/"a" is listed twice/);
    expect(() => buildScoreRows({ ...base, rules: [{ customerId: 'a', segments: ['x|y'] }] })).toThrow(
      /contains '\|'/,
    );
  });
});

describe('scoreRowsOnRows (inputs read row by row, as the runner holds them)', () => {
  it('gives the same rows as buildScoreRows, with the cross-sell columns filled where a row has a next category', () => {
    const base = inputs();
    const ids = base.customerIds;
    const find = <T extends { customerId: string }>(list: readonly T[], row: number) =>
      list.find((x) => x.customerId === ids[row]);
    const rows = [
      ...scoreRowsOnRows({
        asOf,
        customerIds: ids,
        erased: base.erased,
        lifecycle: (row) => find(base.lifecycle, row) as (typeof base.lifecycle)[number],
        prediction: (row) => find(base.predictions, row),
        rfm: (row) => find(base.rfm, row),
        persona: (row) => find(base.personas, row),
        ruleSegments: (row) => find(base.rules, row)?.segments,
        nextCategory: (row) => (ids[row] === 'a' ? { category: 'Garden', score: 0.625 } : undefined),
      }),
    ];
    const expected = buildScoreRows(base);
    expect(rows).toEqual([expected[0], { ...expected[1], next_category: 'Garden', next_category_score: 0.625 }]);
    expect(Object.keys(rows[1] ?? {})).toEqual(SCORE_COLUMNS.map((c) => c.name));
    expect(() => [...scoreRowsOnRows({ asOf, customerIds: ['a', 'a'], lifecycle: () => base.lifecycle[0] as never })]).toThrow(
      /listed twice/,
    );
  });
});

describe('scoreGroupsOnRows (the rows\' groups without the rows)', () => {
  it("gives each row's persona, lifecycle segment and rule segments, on its row, skipping the erased", () => {
    const base = inputs();
    const ids = base.customerIds;
    const find = <T extends { customerId: string }>(list: readonly T[], row: number) =>
      list.find((x) => x.customerId === ids[row]);
    const groups = [
      ...scoreGroupsOnRows({
        customerIds: ids,
        erased: base.erased,
        persona: (row) => find(base.personas, row),
        ruleSegments: (row) => find(base.rules, row)?.segments,
        segment: (row) => (find(base.lifecycle, row) as (typeof base.lifecycle)[number]).segment,
      }),
    ];
    expect(groups).toEqual([
      { row: 0, customer_id: 'p', persona_id: null, persona_name: null, lifecycle: 'prospect', rule_segments: [] },
      {
        row: 1,
        customer_id: 'a',
        persona_id: '3',
        persona_name: 'Weekend gardeners',
        lifecycle: 'due',
        rule_segments: ['App users', 'Big baskets'],
      },
    ]);
    // The same groups as the rows hold.
    expect(groups.map((g) => [g.customer_id, g.persona_id, g.persona_name, g.lifecycle, g.rule_segments.join('|')])).toEqual(
      buildScoreRows(base).map((r) => [r.customer_id, r.persona_id, r.persona_name, r.lifecycle, r.rule_segments]),
    );
  });
});
