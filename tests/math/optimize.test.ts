import { describe, expect, it } from 'vitest';
import { hessianFromGradient, invertSpd, minimizeBfgs, numericGradient, numericHessian } from '../../src/math/optimize.js';

const rosenbrock = (x: Float64Array): number => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;

describe('BFGS', () => {
  it('finds the Rosenbrock minimum from the classic start', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-8 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });

  it('uses an analytic gradient when given one', () => {
    const f = (x: Float64Array): number => (x[0] as number) ** 2 + 10 * ((x[1] as number) - 3) ** 2;
    const gradient = (x: Float64Array): Float64Array => Float64Array.of(2 * (x[0] as number), 20 * ((x[1] as number) - 3));
    const result = minimizeBfgs(f, [5, -5], { gradient });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(0, 6);
    expect(result.x[1]).toBeCloseTo(3, 6);
  });

  it('backs away from regions where the objective is not finite', () => {
    // log barrier: undefined for x ≤ 0; minimum at x = 1.
    const f = (x: Float64Array): number => (x[0] as number) - Math.log(x[0] as number);
    const result = minimizeBfgs(f, [8]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
  });

  it('reports failure instead of a made-up answer', () => {
    const result = minimizeBfgs(() => NaN, [0, 0]);
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/not finite/);
    const unbounded = minimizeBfgs((x) => x[0] as number, [0], { maxIterations: 20 });
    expect(unbounded.converged).toBe(false);
  });
});

describe('finite differences', () => {
  const f = (x: Float64Array): number => Math.exp(x[0] as number) * (x[1] as number) ** 3;
  it('gives gradients and Hessians of a known function', () => {
    const x = Float64Array.of(0.3, 1.7);
    const g = numericGradient(f, x);
    expect(g[0]).toBeCloseTo(Math.exp(0.3) * 1.7 ** 3, 7);
    expect(g[1]).toBeCloseTo(3 * Math.exp(0.3) * 1.7 ** 2, 7);
    const h = numericHessian(f, x);
    expect(h[0]).toBeCloseTo(Math.exp(0.3) * 1.7 ** 3, 4);
    expect(h[1]).toBeCloseTo(3 * Math.exp(0.3) * 1.7 ** 2, 4);
    expect(h[2]).toBe(h[1]);
    expect(h[3]).toBeCloseTo(6 * Math.exp(0.3) * 1.7, 4);
  });

  it('inverts symmetric positive-definite matrices and refuses indefinite ones', () => {
    const m = Float64Array.of(4, 2, 0.6, 2, 2, 0.5, 0.6, 0.5, 3);
    const inv = invertSpd(m, 3) as Float64Array;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += (m[i * 3 + k] as number) * (inv[k * 3 + j] as number);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(invertSpd(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
  });
});

describe('hessianFromGradient', () => {
  it('differentiates an analytic gradient into the Hessian', () => {
    const gradient = (x: Float64Array): Float64Array =>
      Float64Array.of(Math.exp(x[0] as number) * (x[1] as number) ** 3, 3 * Math.exp(x[0] as number) * (x[1] as number) ** 2);
    const h = hessianFromGradient(gradient, Float64Array.of(0.3, 1.7));
    expect(h[0]).toBeCloseTo(Math.exp(0.3) * 1.7 ** 3, 7);
    expect(h[1]).toBeCloseTo(3 * Math.exp(0.3) * 1.7 ** 2, 7);
    expect(h[2]).toBe(h[1]);
    expect(h[3]).toBeCloseTo(6 * Math.exp(0.3) * 1.7, 7);
  });
});
