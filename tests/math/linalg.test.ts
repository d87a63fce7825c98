import { describe, expect, it } from 'vitest';
import { identity, matMul, squaredDistance, symmetricEigen, transpose } from '../../src/math/linalg.js';
import { Rng } from '../../src/core/rng.js';

describe('symmetricEigen', () => {
  it('solves a 2 × 2 case by hand: [[2,1],[1,2]] has eigenvalues 3 and 1', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    // (1,1)/√2 for 3; (1,-1)/√2 or (-1,1)/√2 for 1, sign fixed so that the largest-magnitude entry is positive.
    expect(vectors[0]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[1]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(Math.abs(vectors[2] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[2] as number) * (vectors[3] as number)).toBeCloseTo(-0.5, 14);
  });

  it('matches the closed form of a 3 × 3 tridiagonal Toeplitz matrix', () => {
    // tridiag(-1, 2, -1) of size n has eigenvalues 2 - 2cos(kπ/(n+1)).
    const n = 3;
    const a = new Float64Array([2, -1, 0, -1, 2, -1, 0, -1, 2]);
    const { values } = symmetricEigen(a, n);
    const expected = [1, 2, 3].map((k) => 2 - 2 * Math.cos((k * Math.PI) / (n + 1))).sort((x, y) => y - x);
    for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(expected[i] as number, 13);
  });

  it('reconstructs a random symmetric 12 × 12 matrix with orthonormal eigenvectors', () => {
    const d = 12;
    const rng = new Rng(7);
    const b = Float64Array.from({ length: d * d }, () => rng.normal());
    const a = matMul(transpose(b, d, d), b, d, d, d); // BᵀB is symmetric positive semi-definite
    const { values, vectors } = symmetricEigen(a, d);
    for (let i = 1; i < d; i++) expect(values[i - 1]).toBeGreaterThanOrEqual(values[i] as number);
    const vvt = matMul(vectors, transpose(vectors, d, d), d, d, d);
    const eye = identity(d);
    for (let i = 0; i < d * d; i++) expect(Math.abs((vvt[i] as number) - (eye[i] as number))).toBeLessThan(1e-12);
    // A = Vᵀ Λ V
    const lambdaV = Float64Array.from(vectors, (x, idx) => x * (values[Math.floor(idx / d)] as number));
    const back = matMul(transpose(vectors, d, d), lambdaV, d, d, d);
    const scale = values[0] as number;
    for (let i = 0; i < d * d; i++) expect(Math.abs((back[i] as number) - (a[i] as number)) / scale).toBeLessThan(1e-12);
  });

  it('leaves its input untouched and rejects a wrongly sized matrix', () => {
    const a = new Float64Array([4, 1, 1, 3]);
    symmetricEigen(a, 2);
    expect(Array.from(a)).toEqual([4, 1, 1, 3]);
    expect(() => symmetricEigen(a, 3)).toThrow(RangeError);
  });
});

describe('matrix helpers', () => {
  it('multiply, transpose and measure squared distances', () => {
    expect(Array.from(matMul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), 2, 2, 2))).toEqual([19, 22, 43, 50]);
    expect(Array.from(transpose(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(squaredDistance(new Float64Array([0, 0, 3, 4]), 1, new Float64Array([0, 0]), 0, 2)).toBe(25);
  });
});
