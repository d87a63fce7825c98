import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, clusterBootstrapRatio } from '../../src/campaigns/bootstrap-mean.js';
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

  it('is exactly 0 below no success and exactly 1 above all successes, for any (effective) number of trials', () => {
    // Before, 0 of 277 delivered gave a lower bound of 8.7e-19, shown in a report as 0.000000000000000087%.
    for (const trials of [1, 3, 10, 277, 1000.37, 12_345.5, 1e6]) {
      expect(wilsonInterval(0, trials)?.low).toBe(0);
      expect(wilsonInterval(trials, trials)?.high).toBe(1);
      expect(wilsonInterval(0, trials)?.high).toBeGreaterThan(0);
      expect(wilsonInterval(trials, trials)?.low).toBeLessThan(1);
    }
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

describe('clusterBootstrapRatio (revenue per delivered send, customers resampled)', () => {
  it('gives the hand-computed percentiles of a two-customer case', () => {
    // One customer brought 10 on 1 send, one brought nothing on 1 send. A resample of 2 customers is both
    // earners (ratio 10, p = 1/4), one of each (5, p = 1/2) or neither (0, p = 1/4): the 2.5% and 97.5%
    // percentiles are 0 and 10.
    expect(clusterBootstrapRatio([[10, 1]], [[1, 1]], 2000, 1, 'two')).toEqual({ low: 0, high: 10 });
    // A single customer: every resample is that customer, 10 over 2 sends.
    expect(clusterBootstrapRatio([[10, 2]], [], 500, 1, 'one')).toEqual({ low: 5, high: 5 });
    expect(clusterBootstrapRatio([], [[3, 4]], 500, 1, 'none')).toEqual({ low: 0, high: 0 });
  });

  it('matches a naive customer bootstrap on a small sample', () => {
    // Customers: [revenue, delivered] = [30, 2], [12, 5], [50, 1] and 9 without revenue: 4 with 1 send, 5 with 3.
    const earners: [number, number][] = [[30, 2], [12, 5], [50, 1]];
    const zero: [number, number][] = [[1, 4], [3, 5]];
    const ci = clusterBootstrapRatio(earners, zero, 4000, 3, 'small');
    const all: [number, number][] = [...earners, ...new Array(4).fill([0, 1]), ...new Array(5).fill([0, 3])];
    let state = 12345;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const ratios: number[] = [];
    for (let s = 0; s < 20_000; s++) {
      let r = 0;
      let d = 0;
      for (let i = 0; i < all.length; i++) {
        const [revenue, delivered] = all[Math.floor(next() * all.length)] as [number, number];
        r += revenue;
        d += delivered;
      }
      ratios.push(r / d);
    }
    ratios.sort((x, y) => x - y);
    expect(ci?.low).toBeCloseTo(ratios[500] as number, 0);
    expect(ci?.high).toBeCloseTo(ratios[19_500] as number, 0);
  });

  it('is wider than the send-level bootstrap when revenue comes from few customers with many sends', () => {
    // 10 customers brought 5 on each of their 20 sends, 90 brought nothing on 20 sends: 2,000 sends, mean 0.5.
    const earners = new Array(10).fill([100, 20]) as [number, number][];
    const byCustomer = clusterBootstrapRatio(earners, [[20, 90]], 2000, 5, 'c');
    const bySend = bootstrapMeanInterval(new Array<number>(200).fill(5), 2000, 2000, 5, 'c');
    const width = (i: { low: number; high: number } | null): number => (i ? i.high - i.low : 0);
    // Binomial theory: by customer sd = 5·sqrt(0.1·0.9/100) = 0.15; by send 5·sqrt(0.1·0.9/2000) ≈ 0.034.
    expect(width(byCustomer)).toBeGreaterThan(3.5 * width(bySend));
    expect(width(byCustomer)).toBeGreaterThan(2 * 1.96 * 0.15 * 0.85);
    expect(width(byCustomer)).toBeLessThan(2 * 1.96 * 0.15 * 1.15);
  });
});
