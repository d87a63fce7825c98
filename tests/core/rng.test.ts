import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it('draws gamma, poisson and normal with the right moments', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let g = 0;
    let g2 = 0;
    let p = 0;
    let z = 0;
    let z2 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.gamma(0.5, 2); // mean 0.25, var 0.125
      g += x;
      g2 += x * x;
      p += rng.poisson(3.5);
      const y = rng.normal();
      z += y;
      z2 += y * y;
    }
    expect(g / n).toBeCloseTo(0.25, 2);
    expect(g2 / n - (g / n) ** 2).toBeCloseTo(0.125, 2);
    expect(p / n).toBeCloseTo(3.5, 1);
    expect(z / n).toBeCloseTo(0, 2);
    expect(z2 / n).toBeCloseTo(1, 2);
  });
});
