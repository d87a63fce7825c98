import { describe, expect, it } from 'vitest';
import {
  adjustPValues,
  cohenH,
  normalTwoSidedP,
  quantileSorted,
  regularizedBeta,
  studentTwoSidedP,
  twoProportionTest,
  welchTest,
} from '../../src/personas/statistics.js';

// Reference values from SciPy 1.17 (scipy.stats.t.sf, norm.sf, beta.cdf, ttest_ind(equal_var=False), math.lgamma).
describe('distribution functions', () => {
  it('matches SciPy for Student t two-sided p-values', () => {
    expect(studentTwoSidedP(2.0, 10)).toBeCloseTo(0.07338803477074037, 10);
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05001177181711132, 10);
    expect(studentTwoSidedP(-1.5, 3.7)).toBeCloseTo(0.2135981692020135, 10);
    expect(studentTwoSidedP(5, 200) / 1.2501981277715407e-6).toBeCloseTo(1, 8);
    expect(studentTwoSidedP(0, 5)).toBeCloseTo(1, 12);
  });

  it('matches SciPy for normal two-sided p-values (erfc accurate to 1.2e-7 relative)', () => {
    expect(normalTwoSidedP(1.96)).toBeCloseTo(0.04999579029644087, 7);
    expect(normalTwoSidedP(-0.5)).toBeCloseTo(0.6170750774519738, 7);
    expect(normalTwoSidedP(4) / 6.334248366623973e-5).toBeCloseTo(1, 5);
    expect(normalTwoSidedP(Infinity)).toBe(0);
  });

  it('matches SciPy for the regularised incomplete beta', () => {
    expect(regularizedBeta(0.3, 2.5, 4.0)).toBeCloseTo(0.3521975859067672, 10);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });
});

describe('tests', () => {
  it("Welch's t test equals scipy.stats.ttest_ind(equal_var=False)", () => {
    const a = [3.1, 4.2, 5.0, 2.8, 6.1, 4.4];
    const b = [1.0, 2.2, 1.9, 3.5, 2.0, 1.1, 2.6, 0.9];
    const summary = (xs: number[]): { n: number; mean: number; variance: number } => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return { n: xs.length, mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) };
    };
    const result = welchTest(summary(a), summary(b));
    expect(result.statistic).toBeCloseTo(4.013157274503972, 10);
    expect(result.df).toBeCloseTo(8.823696677586124, 10);
    expect(result.pValue).toBeCloseTo(0.003174410451328973, 10);
  });

  it('Welch test of two constant groups is certain when they differ and void when equal', () => {
    expect(welchTest({ n: 5, mean: 1, variance: 0 }, { n: 5, mean: 2, variance: 0 }).pValue).toBe(0);
    expect(welchTest({ n: 5, mean: 1, variance: 0 }, { n: 5, mean: 1, variance: 0 }).pValue).toBe(1);
  });

  it('pooled two-proportion z test: 45/100 vs 30/120 (hand-computed)', () => {
    // pooled p = 75/220; se = sqrt(p(1-p)(1/100+1/120)); z = 0.2/se
    const result = twoProportionTest(45, 100, 30, 120);
    expect(result.statistic).toBeCloseTo(3.116142619904648, 10);
    expect(result.pValue).toBeCloseTo(0.0018323362992630889, 7);
    expect(cohenH(0.45, 0.25)).toBeCloseTo(0.42343135443673896, 12);
  });
});

describe('multiple-testing corrections', () => {
  const p = [0.01, 0.04, 0.03, 0.005];
  it('Benjamini–Hochberg (hand-computed, step-up monotone)', () => {
    // sorted 0.005,0.01,0.03,0.04 → 0.02,0.02,0.04,0.04
    const adjusted = adjustPValues(p, 'bh');
    [0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
  });
  it('Holm (hand-computed, step-down monotone)', () => {
    // sorted 0.005·4=0.02, 0.01·3=0.03, 0.03·2=0.06, max(0.04·1, 0.06)=0.06
    const adjusted = adjustPValues(p, 'holm');
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
  });
  it('never lowers a p-value and caps at 1', () => {
    const many = Array.from({ length: 50 }, (_, i) => (i + 1) / 51);
    for (const method of ['bh', 'holm'] as const) {
      adjustPValues(many, method).forEach((adj, i) => {
        expect(adj).toBeGreaterThanOrEqual(many[i] as number);
        expect(adj).toBeLessThanOrEqual(1);
      });
    }
  });
});

it('quantiles interpolate like numpy (type 7)', () => {
  const xs = [1, 2, 4, 8];
  expect(quantileSorted(xs, 0.5)).toBe(3);
  expect(quantileSorted(xs, 0.25)).toBeCloseTo(1.75, 12);
  expect(quantileSorted(xs, 0.9)).toBeCloseTo(6.8, 12);
  expect(quantileSorted([], 0.5)).toBeNaN();
});
