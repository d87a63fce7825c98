import { describe, expect, it } from 'vitest';
import { isPersonaeError } from '../../src/core/errors.js';
import { BetaGeoModel } from '../../src/timing/bgnbd.js';
import { predictCustomers } from '../../src/timing/btyd-predictions.js';
import { GammaGammaModel } from '../../src/timing/gamma-gamma.js';
import { ModifiedBetaGeoModel } from '../../src/timing/mbgnbd.js';
import { ParetoNbdModel } from '../../src/timing/pareto-nbd.js';
import { cdnowSummary } from './cdnow.js';

// Published CDNOW estimates (weeks), so that the checks do not depend on a fit.
const bg = BetaGeoModel.withParams({ r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 });
const pareto = ParetoNbdModel.withParams({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.66 });
const mbg = ModifiedBetaGeoModel.withParams({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 });
const spend = GammaGammaModel.withParams({ p: 6.25, q: 3.74, gamma: 15.44 });

const history = {
  timeUnit: 'week' as const,
  customerIds: ['regular', 'one-time', 'lapsed', 'refunder'],
  frequency: [6, 0, 4, 2],
  recency: [37, 0, 3, 20],
  age: [38, 30, 38.5, 33],
  monetary: [40, NaN, 25, -10],
};

describe('predictCustomers', () => {
  for (const model of [bg, pareto]) {
    it(`gives consistent per-customer predictions (${model.type})`, () => {
      const out = predictCustomers(history, model, spend);
      expect(out.map((p) => p.customerId)).toEqual(history.customerIds);
      for (const [i, p] of out.entries()) {
        expect(p.model).toBe(model.type);
        expect(p.pAlive).toBeGreaterThan(0);
        expect(p.pAlive).toBeLessThanOrEqual(1);
        expect(p.pBuy30).toBeLessThanOrEqual(p.pBuy60);
        expect(p.pBuy60).toBeLessThanOrEqual(p.pBuy90);
        expect(p.pBuy90).toBeLessThanOrEqual(p.pAlive + 1e-12);
        const [x, tx, T] = [history.frequency[i] as number, history.recency[i] as number, history.age[i] as number];
        expect(p.pBuy30).toBeCloseTo(1 - model.pPurchases(0, 30 / 7, x, tx, T), 12);
        expect(p.expectedPurchases90).toBeCloseTo(model.conditionalExpectedPurchases(90 / 7, x, tx, T), 12);
        if (p.nextPurchaseDays !== null) {
          expect(p.nextPurchaseLow).toBeLessThan(p.nextPurchaseDays);
          expect(p.nextPurchaseHigh).toBeGreaterThan(p.nextPurchaseDays);
          // The median in days is the model's median in weeks × 7.
          expect(p.nextPurchaseDays).toBeCloseTo(model.nextPurchaseQuantile(0.5, x, tx, T) * 7, 9);
        }
      }
      const [regular, oneTime, lapsed, refunder] = out as [typeof out[0], typeof out[0], typeof out[0], typeof out[0]];
      expect(regular.pAlive).toBeGreaterThan(lapsed.pAlive);
      expect(regular.nextPurchaseDays as number).toBeLessThan(60);
      expect(oneTime.expectedSpend).toBeNull();
      expect(oneTime.clv).toBeGreaterThan(0);
      expect(refunder.expectedSpend).toBe(0);
      expect(refunder.clv).toBe(0);
      expect(regular.expectedSpend).toBeCloseTo(spend.conditionalExpectedSpend(6, 40), 12);
    });
  }

  it('computes CLV as the discounted monthly sum of lifetimes', () => {
    const [regular] = predictCustomers(history, bg, spend, { clvMonths: 6, monthlyDiscountRate: 0.02 });
    const perTransaction = spend.conditionalExpectedSpend(6, 40);
    let expected = 0;
    for (let m = 1; m <= 6; m++) {
      const step = bg.conditionalExpectedPurchases(4.345 * m, 6, 37, 38) - bg.conditionalExpectedPurchases(4.345 * (m - 1), 6, 37, 38);
      expected += (perTransaction * step) / 1.02 ** m;
    }
    expect(regular?.clv).toBeCloseTo(expected, 9);
  });

  it('leaves the next-purchase date out when a further purchase is unlikely', () => {
    const [lapsed] = predictCustomers({ ...history, customerIds: ['gone'], frequency: [12], recency: [1], age: [38], monetary: [30] }, pareto, spend);
    expect(lapsed?.pRepurchase).toBeLessThan(0.05);
    expect(lapsed?.nextPurchaseDays).toBeNull();
    expect(lapsed?.nextPurchaseLow).toBeNull();
  });

  it('runs over the whole CDNOW cohort, computing each distinct history once', () => {
    const summary = cdnowSummary();
    const out = predictCustomers(summary, bg, spend);
    expect(out).toHaveLength(2357);
    const expected90 = out.reduce((a, p) => a + p.expectedPurchases90, 0);
    expect(expected90).toBeGreaterThan(0);
    expect(out.filter((p) => p.expectedSpend === null)).toHaveLength(1411);
  });

  for (const model of [bg, mbg, pareto]) {
    it(`gives a next-purchase quantile that depends on (x, T) only, not on t_x (${model.type})`, () => {
      // predictCustomers computes the quantiles once per (x, T): the models must agree with that.
      for (const q of [0.1, 0.5, 0.9]) {
        const atT = [1, 20, 37].map((tx) => model.nextPurchaseQuantile(q, 6, tx, 38));
        expect(new Set(atT).size).toBe(1);
      }
    });

    it(`gives every customer, in any order, exactly what a model of its own gives (${model.type})`, () => {
      // Shuffled customers, many sharing (x, T) with another t_x, some sharing all of (x, t_x, T).
      const cohort = cdnowSummary();
      const picked = Array.from({ length: 600 }, (_, k) => (k * 7919) % cohort.customerIds.length);
      const subset = {
        timeUnit: cohort.timeUnit,
        customerIds: picked.map((i) => `c${i}`),
        frequency: picked.map((i) => cohort.frequency[i] as number),
        recency: picked.map((i) => cohort.recency[i] as number),
        age: picked.map((i) => cohort.age[i] as number),
        monetary: picked.map((i) => cohort.monetary[i] as number),
      };
      const all = predictCustomers(subset, model, spend);
      const fresh = (): typeof model => (model.type === pareto.type ? ParetoNbdModel.withParams(pareto.params as never) : model) as typeof model;
      for (const [k, i] of [0, 1, 2, 50, 333, 599].entries()) {
        const one = { ...subset, customerIds: [subset.customerIds[i] as string], frequency: [subset.frequency[i] as number], recency: [subset.recency[i] as number], age: [subset.age[i] as number], monetary: [subset.monetary[i] as number] };
        expect(predictCustomers(one, fresh(), spend)[0], `customer ${k}`).toEqual(all[i]);
      }
    });
  }

  it('validates its settings', () => {
    try {
      predictCustomers(history, bg, spend, { intervalLevel: 1.5 });
      expect.unreachable();
    } catch (error) {
      expect(isPersonaeError(error) && error.message).toMatch(/intervalLevel/);
    }
  });
});
