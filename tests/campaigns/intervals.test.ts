import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval } from '../../src/campaigns/bootstrap-mean.js';
import { wilsonInterval } from '../../src/campaigns/wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches published values (Newcombe 1998, method 3)', () => {
    // Newcombe, Statistics in Medicine 17:857–872, table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
    const a = wilsonInterval(81, 263);
    expect(a?.low).toBeCloseTo(0.2553, 4);
    expect(a?.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(0, 10);
    expect(b?.low).toBe(0);
    expect(b?.high).toBeCloseTo(0.2775, 4);
    const c = wilsonInterval(15, 148);
    expect(c?.low).toBeCloseTo(0.0624, 4);
    expect(c?.high).toBeCloseTo(0.1605, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('bootstrapMeanInterval', () => {
  it('is seeded, and as wide as the normal theory says on a large sample', () => {
    // 10,000 recipients, 100 of whom brought 100: mean 1, standard error sqrt(0.99 · 100 / 10,000) ≈ 0.0995.
    const values = new Array<number>(100).fill(100);
    const ci = bootstrapMeanInterval(values, 10_000, 2000, 7, 'x');
    expect(bootstrapMeanInterval(values, 10_000, 2000, 7, 'x')).toEqual(ci);
    const se = Math.sqrt((0.99 * 100) / 10_000);
    expect(ci?.low).toBeGreaterThan(1 - 1.96 * se * 1.15);
    expect(ci?.low).toBeLessThan(1 - 1.96 * se * 0.85);
    expect(ci?.high).toBeGreaterThan(1 + 1.96 * se * 0.85);
    expect(ci?.high).toBeLessThan(1 + 1.96 * se * 1.15);
  });

  it('matches a naive bootstrap (draw every recipient) on a small sample', () => {
    const nonZero = [5, 12, 40];
    const ci = bootstrapMeanInterval(nonZero, 20, 4000, 3, 'small');
    // Naive percentile bootstrap of [5, 12, 40, 0 × 17] with a plain LCG, 20,000 resamples.
    const all = [...nonZero, ...new Array<number>(17).fill(0)];
    let state = 12345;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const means: number[] = [];
    for (let s = 0; s < 20_000; s++) {
      let total = 0;
      for (let i = 0; i < 20; i++) total += all[Math.floor(next() * 20)] as number;
      means.push(total / 20);
    }
    means.sort((x, y) => x - y);
    expect(ci?.low).toBeCloseTo(means[500] as number, 0);
    expect(ci?.high).toBeCloseTo(means[19_500] as number, 0);
  });
});
