import { describe, expect, it } from 'vitest';
import { digamma, gaussLegendre, integrate, logAddExp, logBeta, logGamma, logSubExp, logSumExp } from '../../src/math/special.js';

describe('logGamma', () => {
  it('matches factorials and known values (scipy.special.gammaln 1.17.1 for the non-trivial ones)', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    const cases: [number, number][] = [
      [0.001, 6.907178885383853],
      [3.7, 1.428072326665388],
      [10.3, 13.48203678613836],
      [100.5, 361.4355404677776],
      [171.3, 708.1149470389971],
      [-2.5, -0.05624371649767401],
      [1e5 + 0.5, 1051293.4654351394],
    ];
    for (const [x, expected] of cases) expect(Math.abs(logGamma(x) - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(1e-13);
  });

  it('satisfies Γ(x+1) = xΓ(x) across the Lanczos/Stirling switch', () => {
    for (const x of [0.3, 1.7, 8.9, 9.5, 9.99, 10.01, 42.42]) expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 12);
  });

  it('has poles at non-positive integers', () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
  });

  it('gives log B(a, b) with B(2, 3) = 1/12', () => {
    expect(logBeta(2, 3)).toBeCloseTo(-Math.log(12), 13);
  });
});

describe('log-space sums', () => {
  it('adds and subtracts without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, -5)).toBe(-5);
    expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
    expect(logSubExp(2, 2)).toBe(-Infinity);
    expect(Number.isNaN(logSubExp(1, 2))).toBe(true);
    expect(logSumExp([800, 800, 800])).toBeCloseTo(800 + Math.log(3), 12);
  });
});

describe('Gauss–Legendre', () => {
  it('integrates polynomials up to degree 2n−1 exactly', () => {
    const { nodes, weights } = gaussLegendre(5);
    let sum = 0;
    for (let i = 0; i < 5; i++) sum += (weights[i] as number) * (nodes[i] as number) ** 8;
    expect(sum).toBeCloseTo(2 / 9, 14);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 14);
  });

  it('integrates smooth functions on any interval', () => {
    expect(integrate(Math.exp, 0, 3)).toBeCloseTo(Math.exp(3) - 1, 11);
    expect(integrate((u) => 1 / (1 + u * u), 0, 1)).toBeCloseTo(Math.PI / 4, 14);
  });
});

describe('digamma', () => {
  it('matches known values and the derivative of logGamma', () => {
    const eulerGamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-eulerGamma, 13);
    expect(digamma(0.5)).toBeCloseTo(-eulerGamma - 2 * Math.log(2), 13);
    for (const x of [0.01, 0.7, 3.3, 25, 1e4]) {
      const h = 1e-5 * x;
      expect(digamma(x)).toBeCloseTo((logGamma(x + h) - logGamma(x - h)) / (2 * h), 5);
    }
    expect(digamma(7.5) - digamma(6.5)).toBeCloseTo(1 / 6.5, 13);
  });
});
