import { describe, expect, it } from 'vitest';
import { PredictionTable, predictionList, type CustomerPrediction } from '../../src/timing/types.js';

const prediction = (customerId: string, over: Partial<CustomerPrediction> = {}): CustomerPrediction => ({
  customerId,
  pAlive: 0.8125,
  pBuy30: 0.3,
  pBuy60: 0.5,
  pBuy90: 0.6,
  expectedPurchases90: 0.9,
  nextPurchaseDays: 10.4,
  nextPurchaseLow: 2.7,
  nextPurchaseHigh: 30.2,
  expectedSpend: 55.5,
  clv: 123.456,
  model: 'bgnbd',
  ...over,
});

describe('PredictionTable: predictions as typed columns on the features rows', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('gives back every stored field exactly, nulls as null, and nothing for rows without a prediction', () => {
    const a = prediction('a');
    const c = prediction('c', {
      nextPurchaseDays: null,
      nextPurchaseLow: null,
      nextPurchaseHigh: 0,
      expectedSpend: null,
      clv: -0,
      pBuy30: Number.NaN,
      model: 'neural + pareto_nbd',
    });
    const table = PredictionTable.fromPredictions(ids, [c, prediction('zz'), a]);
    expect(table.size).toBe(2);
    expect(table.at(0)).toEqual(a);
    expect(table.at(2)).toEqual(c);
    expect(Object.is(table.at(2)?.clv, -0)).toBe(true);
    expect(table.at(1)).toBeNull();
    expect(table.has(3)).toBe(false);
    expect(table.value('nextPurchaseHigh', 2)).toBe(0);
    expect(table.value('expectedSpend', 2)).toBeNull();
    expect(table.value('pAlive', 1)).toBeNull();
    expect(table.model(0)).toBe('bgnbd');
    expect(table.model(2)).toBe('neural + pareto_nbd');
    expect(predictionList(table)).toEqual([a, c]);
  });

  it('refuses a prediction stored on another customer’s row, and counts a row stored twice once', () => {
    const table = new PredictionTable(ids);
    expect(() => table.set(1, prediction('a'))).toThrow(/prediction for a stored at row 1, which is b/);
    table.set(0, prediction('a'));
    table.set(0, prediction('a', { pAlive: 0.5 }));
    expect(table.size).toBe(1);
    expect(table.value('pAlive', 0)).toBe(0.5);
  });
});
