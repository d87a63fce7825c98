import { describe, expect, it } from 'vitest';
import { bisectRows } from '../../src/campaigns/bisect.js';
import { wilsonInterval } from '../../src/campaigns/wilson-interval.js';
import { addCustomer, clusteredWilson, clusteredVariance, clusteredZ, designEffect, NO_CUSTOMERS, type ClusteredCounts } from '../../src/campaigns/clustered-rate.js';
import { normalQuantile } from '../../src/campaigns/normal-quantile.js';
import { splitSuggestions, type SplitCandidate } from '../../src/campaigns/split-suggestions.js';
import { Rng } from '../../src/core/rng.js';

/**
 * A generated persona: two blobs of customers in a 3-feature clustering space (centres 0 and 3 on the first
 * feature), each customer receiving 10 to 20 emails. Each customer has a click propensity of their own
 * (uniform around the blob's mean, ±60%), so their sends are clustered; conversion is a quarter of clicks.
 */
function persona(seed: number, clickA: number, clickB: number, perBlob = 400) {
  const rng = Rng.derive(seed, 'split-test');
  const d = 3;
  const values = new Float64Array(2 * perBlob * d);
  const sends: { delivered: number; clicked: number; converted: number }[] = [];
  for (let i = 0; i < 2 * perBlob; i++) {
    const blob = i < perBlob ? 0 : 1;
    values[i * d] = 3 * blob + rng.normal(0, 0.5);
    values[i * d + 1] = rng.normal(0, 1);
    values[i * d + 2] = rng.normal(0, 1);
    const mean = blob === 0 ? clickA : clickB;
    const propensity = mean * (0.4 + 1.2 * rng.next());
    const delivered = 10 + rng.int(11);
    let clicked = 0;
    let converted = 0;
    for (let s = 0; s < delivered; s++) {
      if (rng.next() < propensity) {
        clicked++;
        if (rng.next() < 0.25) converted++;
      }
    }
    sends.push({ delivered, clicked, converted });
  }
  return { values, d, sends, rows: Array.from({ length: 2 * perBlob }, (_, i) => i) };
}

function candidate(id: string, p: ReturnType<typeof persona>): SplitCandidate {
  const { side } = bisectRows(p.values, p.d, p.rows, 7, id);
  const halves = [0, 1].map(() => ({ customers: 0, click: NO_CUSTOMERS, conversion: NO_CUSTOMERS }));
  p.sends.forEach((s, i) => {
    const h = halves[side[i] as number] as (typeof halves)[number];
    h.customers++;
    h.click = addCustomer(h.click, s.clicked, s.delivered);
    h.conversion = addCustomer(h.conversion, s.converted, s.delivered);
  });
  return { persona: id, label: null, halves: halves as unknown as SplitCandidate['halves'], apartOn: null };
}

const WILSON_EFFECTIVE = [0.10432585420819313, 0.6119370229455336] as const;

describe('clustered rates', () => {
  // Three customers: 2 clicks in 4 emails, 0 in 4, 1 in 2 — p = 3/10.
  const counts = [[2, 4], [0, 4], [1, 2]].reduce<ClusteredCounts>((s, [x, m]) => addCustomer(s, x as number, m as number), NO_CUSTOMERS);

  it('has the linearised ratio variance and design effect computed by hand', () => {
    // Residuals x − p·m: 0.8, −1.2, 0.4; squares sum to 2.24; V = 2.24 / 10² = 0.0224.
    expect(clusteredVariance(counts)).toBeCloseTo(0.0224, 12);
    // Independent sends: 0.3 · 0.7 / 10 = 0.021; deff = 0.0224 / 0.021 = 16/15.
    expect(designEffect(counts)).toBeCloseTo(16 / 15, 12);
    // Wilson on 10 / (16/15) = 9.375 effective sends, 2.8125 successes (Python, the Wilson formula):
    // [0.104326, 0.611937], wider than for 3 in 10 independent sends: [0.107791, 0.603222].
    const ci = clusteredWilson(counts);
    expect(ci?.low).toBeCloseTo(WILSON_EFFECTIVE[0], 9);
    expect(ci?.high).toBeCloseTo(WILSON_EFFECTIVE[1], 9);
  });

  it('one send per customer: the plain Wilson interval (design effect 1)', () => {
    const single = [1, 0, 0, 1, 0].reduce<ClusteredCounts>((s, x) => addCustomer(s, x, 1), NO_CUSTOMERS);
    expect(designEffect(single)).toBe(1);
    expect(clusteredWilson(single)).toEqual(wilsonInterval(2, 5));
  });

  it('z of two groups: the difference over the root of the summed clustered variances', () => {
    const other = [[0, 5], [1, 5]].reduce<ClusteredCounts>((s, [x, m]) => addCustomer(s, x as number, m as number), NO_CUSTOMERS);
    // p = 0.1; residuals −0.5, 0.5; V = 0.5 / 100 = 0.005. z = 0.2 / √(0.0224 + 0.005).
    expect(clusteredZ(counts, other)).toBeCloseTo(0.2 / Math.sqrt(0.0274), 12);
  });

  it('normalQuantile matches published values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    // Python's statistics.NormalDist().inv_cdf(1 - 0.05/36) = 2.9913161...
    expect(normalQuantile(1 - 0.05 / 36)).toBeCloseTo(2.991316, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
  });
});

describe('bisectRows', () => {
  it('finds the two blobs, the same way for the same seed', () => {
    const p = persona(1, 0.05, 0.05);
    const a = bisectRows(p.values, p.d, p.rows, 7, 'P1');
    const b = bisectRows(p.values, p.d, p.rows, 7, 'P1');
    expect(Array.from(a.side)).toEqual(Array.from(b.side));
    const first = a.side[0] as number;
    const agree = p.rows.filter((i) => (a.side[i] === first) === i < 400).length;
    expect(agree).toBeGreaterThanOrEqual(798);
  });
});

describe('splitSuggestions', () => {
  it('splits a persona whose halves click 8% and 3%, with the evidence, and no other', () => {
    const planted = candidate('P1', persona(2, 0.08, 0.03));
    const alike = candidate('P2', persona(3, 0.05, 0.05));
    const out = splitSuggestions([planted, alike], { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0.2, minAbsoluteDifference: 0.001 });
    expect(out.map((s) => s.persona)).toEqual(['P1']);
    const e = out[0]?.evidence ?? {};
    const rates = [e.click_rate_a ?? 0, e.click_rate_b ?? 0].sort();
    expect(rates[0]).toBeGreaterThan(0.02);
    expect(rates[0]).toBeLessThan(0.04);
    expect(rates[1]).toBeGreaterThan(0.07);
    expect(rates[1]).toBeLessThan(0.09);
    expect(Math.abs(e.z_click ?? 0)).toBeGreaterThan(e.z_threshold ?? Infinity);
    // Four tests (click and conversion of two personas), Bonferroni: z at 1 − 0.05/8.
    expect(e.tests).toBe(4);
    expect(e.z_threshold).toBeCloseTo(normalQuantile(1 - 0.05 / 8), 12);
    // Each customer's own propensity makes sends clustered: the design effect is above 1.
    expect(e.design_effect_click_a).toBeGreaterThan(1);
  });

  it('does not split personas whose halves respond alike (40 generated runs of 5 personas: at most the 5% family-wise rate)', () => {
    let runsWithASplit = 0;
    for (let run = 0; run < 40; run++) {
      const candidates = [0, 1, 2, 3, 4].map((j) => candidate(`P${j + 1}`, persona(100 + run * 5 + j, 0.05, 0.05, 150)));
      if (splitSuggestions(candidates, { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0.2, minAbsoluteDifference: 0.001 }).length > 0) runsWithASplit++;
    }
    // Expected about 2 of 40 at a 5% family-wise level; 6 or more would happen with probability < 1.5%.
    expect(runsWithASplit).toBeLessThanOrEqual(5);
  });

  it('does not split over a significant difference too small to act on (7.6% against 7.0% on 40,000 customers)', () => {
    const large = candidate('P1', persona(5, 0.076, 0.07, 20_000));
    const options = { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0, minAbsoluteDifference: 0 };
    // Significant at the Bonferroni level: without a minimum difference it would be a split…
    const significant = splitSuggestions([large], options);
    expect(significant.map((s) => s.persona)).toEqual(['P1']);
    const e = significant[0]?.evidence ?? {};
    const [low, high] = [e.click_rate_a ?? 0, e.click_rate_b ?? 0].sort();
    expect((high as number) / (low as number) - 1).toBeLessThan(0.2);
    // …but the higher half clicks less than 20% more than the lower: no split.
    expect(splitSuggestions([large], { ...options, minRelativeDifference: 0.2 })).toEqual([]);
  });

  it('does not split over rates a twentieth of a point apart, however different relatively (0.15% against 0.10% of clicks)', () => {
    const rare = candidate('P1', persona(6, 0.0015, 0.001, 20_000));
    const options = { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0.2, minAbsoluteDifference: 0 };
    expect(splitSuggestions([rare], options).map((s) => s.persona)).toEqual(['P1']);
    expect(splitSuggestions([rare], { ...options, minAbsoluteDifference: 0.001 })).toEqual([]);
  });

  it('does not compare halves below the minimum size', () => {
    const planted = candidate('P1', persona(2, 0.08, 0.03, 20));
    expect(splitSuggestions([planted], { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0.2, minAbsoluteDifference: 0.001 })).toEqual([]);
  });
});
