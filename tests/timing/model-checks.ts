// Test helpers shared by the purchase-count models' tests: checks every model must pass.
import { expect } from 'vitest';
import { numericGradient } from '../../src/math/optimize.js';
import type { IndexedRows, LikelihoodKernel, PurchaseCountModel } from '../../src/timing/base-fitter.js';

/** The kernel's analytic gradient equals central differences of its likelihood at each point. */
export function expectGradientMatchesFiniteDifferences(
  kernel: LikelihoodKernel<IndexedRows>,
  rows: IndexedRows,
  points: readonly (readonly number[])[],
): void {
  for (const point of points) {
    const logParams = Float64Array.from(point);
    const gradient = new Float64Array(point.length);
    const value = kernel.negLogLikelihoodGradient!(logParams, rows, gradient);
    expect(value).toBeCloseTo(kernel.negLogLikelihood(logParams, rows), 6);
    const numeric = numericGradient((lp) => kernel.negLogLikelihood(lp, rows), logParams);
    for (let i = 0; i < point.length; i++)
      expect(Math.abs((gradient[i] as number) - (numeric[i] as number))).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(numeric[i] as number)),
      );
  }
}

/** P(n purchases in the next t) sums to 1 over n, and its mean is the conditional expectation. */
export function expectProperPurchaseDistribution(
  model: PurchaseCountModel,
  t: number,
  histories: readonly (readonly [number, number, number])[],
  terms: number,
  digits: { total: number; mean: number },
): void {
  for (const [x, tx, T] of histories) {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < terms; n++) {
      const p = model.pPurchases(n, t, x, tx, T);
      expect(p).toBeGreaterThanOrEqual(0);
      total += p;
      mean += n * p;
    }
    expect(total).toBeCloseTo(1, digits.total);
    expect(mean).toBeCloseTo(model.conditionalExpectedPurchases(t, x, tx, T), digits.mean);
  }
}
