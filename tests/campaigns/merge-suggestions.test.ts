import { describe, expect, it } from 'vitest';
import { kpiRows, type KpiCounts } from '../../src/campaigns/kpi-rows.js';
import { mergeSuggestions } from '../../src/campaigns/merge-suggestions.js';

const persona = (group: string, clicked: number, converted: number, delivered = 1000): KpiCounts => ({
  dimension: 'persona',
  group,
  label: group.toLowerCase(),
  channel: 'email',
  recipients: 300,
  sends: delivered,
  delivered,
  matured: delivered,
  opened: 300,
  clicked,
  converted,
  orders: converted,
  revenue: converted * 40,
  unsubscribed: 1,
  revenues: new Array<number>(converted).fill(40),
});

describe('mergeSuggestions', () => {
  it('merges mutual nearest personas whose click and conversion rates do not differ significantly', () => {
    const rows = kpiRows(
      [persona('P1', 100, 20), persona('P2', 110, 24), persona('P3', 100, 20), persona('P4', 200, 20)],
      { minDelivered: 100, bootstrapSamples: 100, seed: 1 },
    );
    // P1–P2 and P3–P4 are mutual nearest pairs; P1 is as far from P3 as the other pairs are apart, doubled.
    const centres = new Map([
      ['P1', [0, 0]],
      ['P2', [1, 0]],
      ['P3', [0, 5]],
      ['P4', [1, 5]],
    ]);
    const suggestions = mergeSuggestions(rows, centres);
    // P1 vs P2: clicks 10% vs 11%, pooled 10.5%: z = −0.01 / sqrt(0.105·0.895·0.002) = −0.7294; conversions
    // 2% vs 2.4%: z = −0.6087. P3 vs P4: clicks 10% vs 20%, z = −6.2: not alike.
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]?.personas).toEqual(['P1', 'P2']);
    expect(suggestions[0]?.evidence.z_click).toBeCloseTo(-0.01 / Math.sqrt(0.105 * 0.895 * 0.002), 10);
    expect(suggestions[0]?.evidence.z_click).toBeCloseTo(-0.7294, 4);
    expect(suggestions[0]?.evidence.centre_distance).toBe(1);
  });

  it('does not merge personas that respond alike but are not each other’s nearest', () => {
    const rows = kpiRows([persona('P1', 100, 20), persona('P2', 100, 20), persona('P3', 100, 20)], {
      minDelivered: 100,
      bootstrapSamples: 100,
      seed: 1,
    });
    const centres = new Map([
      ['P1', [0, 0]],
      ['P2', [10, 0]],
      ['P3', [1, 0]],
    ]);
    expect(mergeSuggestions(rows, centres).map((s) => s.personas)).toEqual([['P1', 'P3']]);
  });
});
