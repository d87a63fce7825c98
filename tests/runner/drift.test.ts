import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  MISSING_BIN,
  categoricalProfile,
  driftReport,
  featureDrift,
  numericProfile,
  personaSizeChanges,
  populationStabilityIndex,
  profileColumns,
  psiLevel,
  quantileSorted,
} from '../../src/runner/drift.js';

// 20 reference values with a three-way tie at 5.5, and 22 current values shifted up by about one.
const REFERENCE = [
  3.1, 7.4, 0.5, 12.0, 5.5, 5.5, 5.5, 2.2, 9.9, 1.0, 4.4, 6.8, 8.1, 0.0, 15.3, 3.3, 2.9, 7.7, 11.2, 4.0,
];
const CURRENT = [
  4.1, 8.4, 1.5, 13.0, 6.5, 5.5, 9.5, 3.2, 10.9, 2.0, 5.4, 7.8, 9.1, 1.0, 16.3, 4.3, 3.9, 8.7, 12.2, 20.0,
  0.2, 5.0,
];

describe('population stability index', () => {
  it('matches the hand computation on two bins and is symmetric', () => {
    // (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5) = 0.25·(ln 2 + ln 1.5)
    const expected = 0.25 * (Math.log(2) + Math.log(1.5));
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(expected, 14);
    expect(populationStabilityIndex([0.25, 0.75], [0.5, 0.5])).toBeCloseTo(expected, 14);
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    // An empty bin counts as ε = 1e-4: (0.1 − 1e-4)·ln(0.1 / 1e-4) + (0.9 − 1)·ln(0.9)
    expect(populationStabilityIndex([0, 1], [0.1, 0.9])).toBeCloseTo(
      (0.1 - 1e-4) * Math.log(1000) - 0.1 * Math.log(0.9),
      12,
    );
    expect(() => populationStabilityIndex([1], [0.5, 0.5])).toThrow(RangeError);
  });

  it('reads < 0.1 as stable, 0.1–0.25 as moderate, > 0.25 as major', () => {
    expect([0, 0.0999, 0.1, 0.25, 0.2501, 3].map(psiLevel)).toEqual([
      'stable',
      'stable',
      'moderate',
      'moderate',
      'major',
      'major',
    ]);
  });
});

describe('numeric drift', () => {
  it('cuts the reference at its deciles (numpy linear quantiles), dropping tied cut points', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    const oneToTen = numericProfile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(oneToTen.cuts.map((c) => Number(c.toFixed(10)))).toEqual([
      1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1,
    ]);
    expect(oneToTen.shares).toEqual(new Array(10).fill(0.1));
    // Deciles of [1, 1, 1, 1, 2]: 1 (×7, kept once), 1.2, 1.6.
    expect(numericProfile([1, 1, 1, 1, 2]).cuts.map((c) => Number(c.toFixed(12)))).toEqual([1, 1.2, 1.6]);
  });

  it('reproduces numpy on a small fixture with ties and an empty reference bin', () => {
    // Reference: cuts = np.unique(np.quantile(ref, [.1,…,.9])), bins = np.digitize(x, cuts, right=True),
    // shares clipped at 1e-4, PSI summed with an empty missing bin; numpy 2.4.6 gives 0.2415923539326426.
    const profile = numericProfile(REFERENCE);
    expect(profile.cuts).toHaveLength(9);
    [0.95, 2.76, 3.24, 4.24, 5.5, 6.02, 7.49, 8.46, 11.28].forEach((c, i) =>
      expect(profile.cuts[i]).toBeCloseTo(c, 12),
    );
    expect(profile.shares).toEqual([0.1, 0.1, 0.1, 0.1, 0.2, 0, 0.1, 0.1, 0.1, 0.1]);
    const drift = featureDrift('recency', profile, CURRENT);
    expect(drift.psi).toBeCloseTo(0.2415923539326426, 12);
    expect(drift.level).toBe('moderate');
    expect(drift.nCurrent).toBe(22);
    // The two top bins (4 of 22 current values each vs 10%) contribute most, in bin order.
    expect(drift.bins.slice(0, 2).map((b) => b.bin)).toEqual(['(8.46, 11.28]', '> 11.28']);
    expect(drift.bins[1]?.current).toBeCloseTo(4 / 22, 14);
    expect(drift.bins.reduce((s, b) => s + b.contribution, 0)).toBeCloseTo(0.2415923539326426, 12);
  });

  it('is zero for the reference itself and counts a rise in missing values as drift', () => {
    expect(featureDrift('x', numericProfile(REFERENCE), REFERENCE).psi).toBe(0);
    const withMissing = [...REFERENCE.slice(0, 15), null, null, Number.NaN, undefined, null];
    const drift = featureDrift('x', numericProfile(REFERENCE), withMissing);
    expect(drift.bins[0]?.bin).toBe(MISSING_BIN);
    expect(drift.bins[0]?.current).toBe(0.25);
    expect(drift.level).toBe('major');
  });

  it('gives about δ² for a mean shift δ of a normal variable (the J-divergence), and ~0 for resampling', () => {
    const rng = new Rng(42);
    const n = 20_000;
    const reference = Array.from({ length: n }, () => rng.normal());
    const same = Array.from({ length: n }, () => rng.normal());
    const shifted = Array.from({ length: n }, () => rng.normal() + 0.5);
    const profile = numericProfile(reference);
    // Sampling noise: E[PSI] ≈ (bins − 1)·(1/n + 1/n) = 9e-4.
    expect(featureDrift('x', profile, same).psi).toBeLessThan(0.003);
    // With decile bins the PSI is a little below the continuous value δ² = 0.25.
    const psi = featureDrift('x', profile, shifted).psi as number;
    expect(psi).toBeGreaterThan(0.21);
    expect(psi).toBeLessThan(0.25);
  });

  it('has no PSI when a side is empty', () => {
    expect(featureDrift('x', numericProfile([]), [1, 2]).psi).toBeNull();
    expect(featureDrift('x', numericProfile([1, 2]), []).level).toBeNull();
  });
});

describe('categorical drift', () => {
  it('bins by level, gives new levels their own bin, and matches the hand computation', () => {
    const profile = categoricalProfile(['web', 'web', 'app', 'web', null, 'store', 'app', 'web']);
    expect(profile).toEqual({
      kind: 'categorical',
      levels: ['web', 'app', 'store'],
      shares: [0.5, 0.25, 0.125],
      missing: 0.125,
      n: 8,
    });
    const drift = featureDrift('channel', profile, ['web', 'app', 'app', 'marketplace']);
    const terms = [
      [0.5, 0.25],
      [0.25, 0.5],
      [0.125, 1e-4],
      [1e-4, 0.25],
      [0.125, 1e-4],
    ].map(([e, a]) => ((a as number) - (e as number)) * Math.log((a as number) / (e as number)));
    expect(drift.psi).toBeCloseTo(
      terms.reduce((s, t) => s + t, 0),
      12,
    );
    expect(drift.bins.map((b) => b.bin).sort()).toEqual(
      [MISSING_BIN, 'app', 'marketplace', 'store', 'web'].sort(),
    );
    expect(categoricalProfile([true, false, true]).levels).toEqual(['true', 'false']);
  });
});

describe('driftReport', () => {
  it('profiles columns by kind, ranks features by PSI and lists added and removed features', () => {
    const reference = profileColumns(
      { recency: REFERENCE, channel: ['web', 'app', 'web', 'web'], gone: [1, 2, 3] },
      { recency: 'numeric' },
    );
    expect(reference.channel?.kind).toBe('categorical');
    const report = driftReport(reference, {
      recency: CURRENT,
      channel: ['web', 'app', 'web', 'web'],
      fresh: [1],
    });
    expect(report.features.map((f) => [f.feature, f.level])).toEqual([
      ['recency', 'moderate'],
      ['channel', 'stable'],
    ]);
    expect(report.counts).toEqual({ stable: 1, moderate: 1, major: 0 });
    expect(report.added).toEqual(['fresh']);
    expect(report.removed).toEqual(['gone']);
    // Profiles are plain JSON: they survive run.json.
    expect(JSON.parse(JSON.stringify(reference))).toEqual(reference);
  });
});

describe('personaSizeChanges', () => {
  it('tabulates counts, shares, point and relative changes, new and gone personas', () => {
    const table = personaSizeChanges(
      { p1: 500, p2: 300, p3: 200 },
      { p1: 450, p2: 330, p4: 220 },
      { p1: 'Loyal regulars' },
    );
    expect(table.previousTotal).toBe(1000);
    expect(table.currentTotal).toBe(1000);
    expect(table.rows.map((r) => [r.persona, r.status, r.previousCount, r.currentCount])).toEqual([
      ['p1', 'kept', 500, 450],
      ['p2', 'kept', 300, 330],
      ['p3', 'gone', 200, 0],
      ['p4', 'new', 0, 220],
    ]);
    const p1 = table.rows[0];
    expect(p1?.name).toBe('Loyal regulars');
    expect(p1?.sharePoints).toBeCloseTo(-5, 12);
    expect(p1?.relativeCount).toBeCloseTo(-0.1, 12);
    expect(table.rows[3]?.relativeCount).toBeNull();
    const expected = populationStabilityIndex([0.5, 0.3, 0.2, 0], [0.45, 0.33, 0, 0.22]);
    expect(table.psi).toBeCloseTo(expected, 14);
    expect(table.level).toBe('major');
    expect(() => personaSizeChanges({ p1: -1 }, {})).toThrow(/previous size of persona p1/);
  });
});
