import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  quantileScores,
  RFM_GRID_5,
  RFM_GROUPS,
  rfmGroup,
  scoreRfm,
  type RfmInput,
} from '../../src/segments/rfm.js';

// Six buyers and one prospect. Mid-rank percentile p = (smaller + equal/2) / 6, score = 1 + ⌊L·p⌋.
// Recency (reversed, on −days): c6 400d p=.083, c5 200d p=.25, c4 90d p=.417, c3 30d p=.583, c1/c2 5d p=.833
// Frequency: c2/c4/c6 = 1 p=.25, c5 = 2 p=.583, c3 = 3 p=.75, c1 = 10 p=.917
// Monetary: c6 10 p=.083, c2 20 p=.25, c4 50 p=.417, c3/c5 300 p=.667, c1 1000 p=.917
const fixture: RfmInput[] = [
  { customerId: 'c1', daysSinceLastPurchase: 5, frequency: 10, monetary: 1000 },
  { customerId: 'c2', daysSinceLastPurchase: 5, frequency: 1, monetary: 20 },
  { customerId: 'c3', daysSinceLastPurchase: 30, frequency: 3, monetary: 300 },
  { customerId: 'c4', daysSinceLastPurchase: 90, frequency: 1, monetary: 50 },
  { customerId: 'c5', daysSinceLastPurchase: 200, frequency: 2, monetary: 300 },
  { customerId: 'c6', daysSinceLastPurchase: 400, frequency: 1, monetary: 10 },
  { customerId: 'c7', daysSinceLastPurchase: null, frequency: 0, monetary: 0 },
];

const summary = (levels: 3 | 5) =>
  Object.fromEntries(scoreRfm(fixture, { levels }).map((s) => [s.customerId, [s.code, s.fm, s.group]]));

describe('scoreRfm', () => {
  it('scores five levels by hand-computed quantiles and names the groups on the R × FM grid', () => {
    expect(summary(5)).toEqual({
      c1: ['555', 5, 'champions'], // R5 FM ⌈(5+5)/2⌉=5
      c2: ['522', 2, 'potential_loyalists'], // R5 FM2
      c3: ['344', 4, 'loyal'], // R3 FM4
      c4: ['323', 3, 'needs_attention'], // R3 FM ⌈2.5⌉=3
      c5: ['234', 4, 'at_risk'], // R2 FM ⌈3.5⌉=4
      c6: ['121', 2, 'lost'], // R1 FM ⌈1.5⌉=2
      c7: [null, null, 'no_purchase'],
    });
  });

  it('scores three levels by hand-computed quantiles (c3/c5 monetary: p·3 = 2 → score 3)', () => {
    expect(summary(3)).toEqual({
      c1: ['333', 3, 'champions'],
      c2: ['311', 1, 'recent'],
      c3: ['233', 3, 'loyal'], // 3-level (2, 3) sits at (3, 5) on the 5-level grid
      c4: ['212', 2, 'needs_attention'],
      c5: ['123', 3, 'cant_lose'],
      c6: ['111', 1, 'lost'],
      c7: [null, null, 'no_purchase'],
    });
  });

  it('does not depend on row order', () => {
    const rng = new Rng(7);
    const base = scoreRfm(fixture);
    for (let i = 0; i < 20; i += 1) {
      const again = new Map(scoreRfm(rng.shuffle([...fixture])).map((s) => [s.customerId, s]));
      for (const s of base) expect(again.get(s.customerId)).toEqual(s);
    }
  });

  it('rejects inconsistent rows and bad settings', () => {
    expect(() =>
      scoreRfm([{ customerId: 'x', daysSinceLastPurchase: null, frequency: 2, monetary: 10 }]),
    ).toThrow(/customer "x"\): daysSinceLastPurchase is null but frequency is 2/);
    expect(() =>
      scoreRfm([{ customerId: 'x', daysSinceLastPurchase: -1, frequency: 1, monetary: 10 }]),
    ).toThrow(/≥ 0/);
    expect(() => scoreRfm(fixture, { levels: 4 as 5 })).toThrow(/segments\.rfm\.levels/);
  });
});

describe('quantileScores', () => {
  it('gives distinct values equal-sized bins and ties one shared score', () => {
    expect(quantileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quantileScores([3, 1, 2], 5)).toEqual([5, 1, 3]);
    expect(quantileScores([7, 7, 7, 7], 5)).toEqual([3, 3, 3, 3]);
    expect(quantileScores([], 5)).toEqual([]);
  });

  it('is symmetric: reversing distinct values maps score s to L + 1 − s (seeded random property)', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 200; trial += 1) {
      const n = 1 + rng.int(60);
      const values = rng.shuffle(Array.from({ length: n }, (_, i) => i * 1.5 + rng.next()));
      const levels = rng.bernoulli(0.5) ? 5 : 3;
      const up = quantileScores(values, levels);
      const down = quantileScores(
        values.map((v) => -v),
        levels,
      );
      up.forEach((s, i) => expect(down[i]).toBe(levels + 1 - s));
      // Larger values never score lower.
      const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
      for (let k = 1; k < n; k += 1) {
        expect(up[order[k] as number]).toBeGreaterThanOrEqual(up[order[k - 1] as number] as number);
      }
    }
  });
});

describe('RFM grid', () => {
  it('uses every named group and matches the published R-vs-F seg_map where it is not split', () => {
    const named = new Set(RFM_GRID_5.flat());
    expect([...named].sort()).toEqual(RFM_GROUPS.filter((g) => g !== 'no_purchase').sort());
    // seg_map: '[1-2][3-4]' at risk, '[1-2]5' can't lose, '3[1-2]' about to sleep, '33' need attention,
    // '[3-4][4-5]' loyal, '41' promising, '51' new (recent), '[4-5][2-3]' potential loyalists, '5[4-5]' champions
    expect(rfmGroup(2, 4, 5)).toBe('at_risk');
    expect(rfmGroup(1, 5, 5)).toBe('cant_lose');
    expect(rfmGroup(3, 2, 5)).toBe('about_to_sleep');
    expect(rfmGroup(3, 3, 5)).toBe('needs_attention');
    expect(rfmGroup(4, 4, 5)).toBe('loyal');
    expect(rfmGroup(4, 1, 5)).toBe('promising');
    expect(rfmGroup(5, 1, 5)).toBe('recent');
    expect(rfmGroup(4, 3, 5)).toBe('potential_loyalists');
    expect(rfmGroup(5, 4, 5)).toBe('champions');
    expect(rfmGroup(2, 2, 5)).toBe('hibernating');
    expect(rfmGroup(1, 2, 5)).toBe('lost');
  });
});
