import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { applyCorrection, fitIsotonic, fitPlatt } from '../../src/timing/neural/index.js';

describe('isotonic regression (pool adjacent violators)', () => {
  it('pools violating neighbours into their mean', () => {
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    // Blocks {0.1}: 0, {0.2, 0.3}: 0.5, {0.4}: 1, each placed at the middle of its predictions.
    expect(fit).toEqual({ method: 'isotonic', thresholds: [0.1, 0.25, 0.4], values: [0, 0.5, 1] });
    const corrected = applyCorrection(fit, [0.05, 0.1, 0.175, 0.25, 0.9]);
    [0, 0, 0.25, 0.5, 1].forEach((v, i) => expect(corrected[i]).toBeCloseTo(v, 12));
  });

  it('pools tied predictions and is non-decreasing on random data', () => {
    const tied = fitIsotonic([0.5, 0.5, 0.2], [1, 0, 0]);
    expect(tied).toEqual({ method: 'isotonic', thresholds: [0.2, 0.5], values: [0, 0.5] });
    const rng = new Rng(9);
    const p = Array.from({ length: 2000 }, () => rng.next());
    const y = p.map((q) => (rng.bernoulli(q * q) ? 1 : 0));
    const fit = fitIsotonic(p, y);
    if (fit.method !== 'isotonic') throw new Error('expected isotonic');
    fit.values.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(fit.values[i] as number));
    // The truth is q²: the correction at 0.5 should be near 0.25.
    expect(applyCorrection(fit, [0.5])[0]).toBeCloseTo(0.25, 1);
  });
});

describe('Platt scaling', () => {
  it('recovers a known distortion of the logit', () => {
    const rng = new Rng(21);
    const logit = (q: number): number => Math.log(q / (1 - q));
    const p = Array.from({ length: 40_000 }, () => rng.uniform(0.02, 0.98));
    const y = p.map((q) => (rng.bernoulli(1 / (1 + Math.exp(-(1.8 * logit(q) - 0.6)))) ? 1 : 0));
    const fit = fitPlatt(p, y);
    if (fit.method !== 'platt') throw new Error('expected platt');
    expect(fit.slope).toBeCloseTo(1.8, 1);
    expect(fit.intercept).toBeCloseTo(-0.6, 1);
    const corrected = applyCorrection(fit, [0.5]);
    expect(corrected[0]).toBeCloseTo(1 / (1 + Math.exp(-fit.intercept)), 12);
  });

  it('leaves calibrated predictions nearly unchanged', () => {
    const rng = new Rng(4);
    const p = Array.from({ length: 40_000 }, () => rng.uniform(0.05, 0.95));
    const y = p.map((q) => (rng.bernoulli(q) ? 1 : 0));
    const fit = fitPlatt(p, y);
    if (fit.method !== 'platt') throw new Error('expected platt');
    expect(fit.slope).toBeCloseTo(1, 1);
    expect(fit.intercept).toBeCloseTo(0, 1);
  });
});
