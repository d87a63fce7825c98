import { describe, expect, it } from 'vitest';
import { BetaGeoModel } from '../../src/timing/bgnbd.js';
import { ParetoNbdModel } from '../../src/timing/pareto-nbd.js';
import { simulateBgNbd, simulateParetoNbd } from '../../src/timing/simulate.js';

// Parameter recovery: fit each model on data simulated from it (daily log, T of 6–12 months, α and β in
// days) at growing sample sizes; every estimate within 3.5 standard errors of the truth, and the
// relative standard errors shrinking about like 1/√n.
const SIZES = [1_000, 4_000, 16_000];
const options = (customers: number, seed: number) => ({ customers, seed, minAge: 180, maxAge: 365, wholeUnits: true });

function checkRecovery(truth: Record<string, number>, fits: { params: Record<string, number>; se: Record<string, number> }[]): void {
  for (const fit of fits) {
    for (const [name, value] of Object.entries(truth)) {
      expect(Math.abs((fit.params[name] as number) - value), `${name} at n=${SIZES[fits.indexOf(fit)]}`).toBeLessThan(3.5 * (fit.se[name] as number));
    }
  }
  for (const name of Object.keys(truth)) {
    // Relative standard errors (se of log θ), which do not move with the estimate itself.
    const relative = (k: number): number => (fits[k]?.se[name] as number) / (fits[k]?.params[name] as number);
    // Between the two larger samples (asymptotics hold there; a and b of BG/NBD are skewed at n = 1,000).
    const ratio = relative(1) / relative(2);
    expect(ratio, `se ratio of ${name}`).toBeGreaterThan(1.5); // √4 = 2 in theory
    expect(ratio, `se ratio of ${name}`).toBeLessThan(2.7);
  }
}

describe('parameter recovery on simulated customers', () => {
  it('BG/NBD', () => {
    const truth = { r: 0.3, alpha: 25, a: 0.7, b: 2.8 };
    const fits = SIZES.map((n, k) => {
      const fit = new BetaGeoModel().fit(simulateBgNbd(truth, options(n, 100 + k)), { seed: 1 }).fitResult!;
      return { params: fit.params, se: fit.standardErrors };
    });
    checkRecovery(truth, fits);
  });

  it('Pareto/NBD', () => {
    const truth = { r: 0.55, alpha: 60, s: 0.7, beta: 90 };
    const fits = SIZES.map((n, k) => {
      const fit = new ParetoNbdModel().fit(simulateParetoNbd(truth, options(n, 200 + k)), { seed: 1 }).fitResult!;
      return { params: fit.params, se: fit.standardErrors };
    });
    checkRecovery(truth, fits);
  });

  it('is seeded: same seed, same customers; another seed, other customers', () => {
    const truth = { r: 0.3, alpha: 25, a: 0.7, b: 2.8 };
    const a = simulateBgNbd(truth, options(500, 1));
    expect(simulateBgNbd(truth, options(500, 1))).toEqual(a);
    expect(simulateBgNbd(truth, options(500, 2)).frequency).not.toEqual(a.frequency);
    expect(a.age.every((t) => Number.isInteger(t) && t >= 180 && t <= 365)).toBe(true);
    expect(a.recency.every((tx, i) => tx <= (a.age[i] as number))).toBe(true);
  });
});

describe('conditional predictions against simulated holdouts (true parameters)', () => {
  const horizon = 20;
  const bg = BetaGeoModel.withParams({ r: 0.3, alpha: 4, a: 0.7, b: 2.8 });
  const pareto = ParetoNbdModel.withParams({ r: 0.55, alpha: 10, s: 0.7, beta: 12 });
  const sim = { customers: 10_000, seed: 77, minAge: 20, maxAge: 40, holdoutLength: horizon };
  const cases = [
    { model: bg, data: () => simulateBgNbd(bg.params, sim) },
    { model: pareto, data: () => simulateParetoNbd(pareto.params, sim) },
  ];
  for (const { model, data: simulate } of cases) {
    it(`${model.type}: expected holdout purchases and P(no purchase) add up to what happens`, () => {
      const data = simulate();
      // Sums over customers; their spread is estimated from the squared residuals (independent customers).
      let expected = 0;
      let actual = 0;
      let residuals = 0;
      let expectedBuyers = 0;
      let buyers = 0;
      let buyerResiduals = 0;
      data.frequency.forEach((x, i) => {
        const tx = data.recency[i] as number;
        const T = data.age[i] as number;
        const holdout = data.holdoutFrequency[i] as number;
        const mean = model.conditionalExpectedPurchases(horizon, x, tx, T);
        const pBuy = 1 - model.pPurchases(0, horizon, x, tx, T);
        expected += mean;
        actual += holdout;
        residuals += (holdout - mean) ** 2;
        expectedBuyers += pBuy;
        buyers += holdout > 0 ? 1 : 0;
        buyerResiduals += ((holdout > 0 ? 1 : 0) - pBuy) ** 2;
      });
      const variance = residuals;
      const buyerVariance = buyerResiduals;
      expect(Math.abs(actual - expected)).toBeLessThan(4 * Math.sqrt(variance));
      expect(Math.abs(buyers - expectedBuyers)).toBeLessThan(4 * Math.sqrt(buyerVariance));
    });
  }
});
