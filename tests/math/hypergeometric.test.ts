import { describe, expect, it } from 'vitest';
import { hyp2f1, logHyp2f1, logHyp2f1Shifted } from '../../src/math/hypergeometric.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-12);
      expect(rel(hyp2f1(2.5, 0.7, 0.7, z), (1 - z) ** -2.5)).toBeLessThan(1e-12);
      const w = Math.sqrt(z);
      expect(rel(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(w) / w)).toBeLessThan(1e-12);
    }
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
  });

  it('matches scipy.special.hyp2f1 (1.17.1), including c < 0 and z near 1', () => {
    const cases: [number, number, number, number, number][] = [
      [0.5, 1.3, 2.7, 0.4, 1.1200214527026382],
      [2.2426, 4.4262, 5.2191, 0.8, 17.87105197421649],
      [1.7, 0.8, -0.6, 0.35, -4.938132597742846],
      [30.5, 12.0, 31.5, 0.95, 518061517101715.94],
      [0.2426, 2.4262, 2.2192, 0.999, 11.058894881199784],
      [5.3, 0.6, 1.2, 0.9, 13441.340611213976],
    ];
    for (const [a, b, c, z, expected] of cases) expect(rel(hyp2f1(a, b, c, z), expected)).toBeLessThan(1e-10);
  });

  it('returns the logarithm of values beyond double range', () => {
    // 2F1(a, b; b; z) = (1 − z)^−a: here e^{2072.3}, far above Number.MAX_VALUE.
    const { logAbs, sign } = logHyp2f1(300, 1.5, 1.5, 0.999);
    expect(sign).toBe(1);
    expect(logAbs).toBeCloseTo(-300 * Math.log(0.001), 8);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
  });
});

describe('logHyp2f1Shifted (c = a + 1)', () => {
  it('agrees with the general series and differentiates it', () => {
    for (const [a, b, z] of [[1.3, 0.6, 0.2], [12.5, 1.6, 0.9], [3.2, 40.5, 0.7]] as const) {
      const g = logHyp2f1Shifted(a, b, z);
      expect(g.value).toBeCloseTo(logHyp2f1(a, b, a + 1, z).logAbs, 11);
      const f = (aa: number, bb: number, zz: number): number => logHyp2f1(aa, bb, aa + 1, zz).logAbs;
      const h = 1e-6;
      expect(g.da).toBeCloseTo((f(a + h, b, z) - f(a - h, b, z)) / (2 * h), 6);
      expect(g.db).toBeCloseTo((f(a, b + h, z) - f(a, b - h, z)) / (2 * h), 6);
      expect(g.dz).toBeCloseTo((f(a, b, z + h) - f(a, b, z - h)) / (2 * h), 5);
    }
  });

  it('matches mpmath (1.3.0, 40 digits) for z near 1 and a ≈ c huge, where the series needs millions of terms', () => {
    // [a, b, z, log 2F1(a, b; a+1; z)] with z as the double given; values from mpmath.hyp2f1 at mp.dps = 40.
    const cases: [number, number, number, number][] = [
      [13270.2, 1.74, 0.99998, 17.227748767644645], // the arguments that used to throw (personae generate --customers 20000)
      [2, 3, 1 - 1e-9, 41.44653173045669],
      [0.3, 0.6, 0.95, 0.2816101840137936],
      [500, 2.5, 0.999, 15.749768725814903],
      [12.5, 1.6, 0.9, 3.0770136528045282],
    ];
    for (const [a, b, z, expected] of cases) {
      expect(logHyp2f1Shifted(a, b, z).value).toBeCloseTo(expected, 11);
      expect(logHyp2f1(a, b, a + 1, z).logAbs).toBeCloseTo(expected, 11);
    }
    // Heavy buyers (b = r + x large) and a long-lived segment (a = r + s + x huge), with 1 − z given exactly.
    const exact: [number, number, number, number][] = [
      [60.5, 50.6, 1e-3, 342.823090119897],
      [60.5, 50.6, 0.3, 59.85103509477788],
      [1.2, 80.6, 1e-5, 912.2341844501782],
      [601806, 52.7, 3.7e-7, 775.0225895085706],
      [0.4, 0.3, 1e-8, 0.19112559196804],
      [2.5, 1.6, 0.45, 0.8686815937220516],
    ];
    for (const [a, b, y, expected] of exact) expect(rel(logHyp2f1Shifted(a, b, 1 - y, y).value, expected)).toBeLessThan(1e-13);
    // Given 1 − z exactly (z = 1 − 170/456350076.7 rounds in double): mpmath 52.168651367472826.
    const y = 170 / 456350076.7;
    expect(logHyp2f1Shifted(601805.5, 3.7, 1 - y, y).value).toBeCloseTo(52.168651367472826, 9);
  });

  it('differentiates the split evaluation (z > 1/2) consistently with its value', () => {
    for (const [a, b, z] of [[0.3, 0.6, 0.95], [500, 2.5, 0.999], [1.3, 0.6, 0.55], [40, 12, 0.99]] as const) {
      const g = logHyp2f1Shifted(a, b, z);
      const f = (aa: number, bb: number, zz: number): number => logHyp2f1Shifted(aa, bb, zz).value;
      const h = 1e-6;
      expect(rel(g.da, (f(a + h, b, z) - f(a - h, b, z)) / (2 * h))).toBeLessThan(1e-5);
      expect(rel(g.db, (f(a, b + h, z) - f(a, b - h, z)) / (2 * h))).toBeLessThan(1e-5);
      const hz = 1e-8;
      expect(rel(g.dz, (f(a, b, z + hz) - f(a, b, z - hz)) / (2 * hz))).toBeLessThan(1e-5);
    }
    expect(() => logHyp2f1Shifted(2, 3, 1)).toThrow(RangeError);
  });
});
