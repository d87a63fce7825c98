/**
 * Drift between the last run and this one (pure): the population stability index (PSI) per feature and
 * the change in persona sizes.
 *
 * PSI = Σ_i (a_i − e_i) · ln(a_i / e_i) over bins i, with e_i the reference (last run) share and a_i the
 * current share of bin i. Binning:
 * - numeric features: decile bins of the reference. The cut points are the reference quantiles at
 *   1/10 … 9/10 (linear interpolation between order statistics, numpy's default "linear" method), with
 *   duplicates removed (a heavy tie makes fewer, wider bins). Bins are right-closed: (−∞, c1], (c1, c2],
 *   …, (c9, +∞), as numpy.digitize(x, cuts, right=True).
 * - categorical and boolean features: one bin per level; levels only seen in the current data get their
 *   own bins (their reference share is 0).
 * - missing values (null, NaN) form one more bin, so that a rise in missing values is drift too.
 * An empty bin would make ln(a/e) infinite: shares equal to 0 are replaced by ε = 1e-4 (not renormalised,
 * which changes the PSI by at most a few ε).
 *
 * Reading (the usual credit-scoring rule of thumb): PSI < 0.1 stable, 0.1 ≤ PSI ≤ 0.25 moderate shift,
 * PSI > 0.25 major shift.
 *
 * The reference side is kept as a small JSON profile (cut points or levels, and shares) so that a run can
 * store it in run.json and the next run can compare with it without the old data.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';

export const PSI_EPSILON = 1e-4;
export const DEFAULT_BINS = 10;
export const MISSING_BIN = '(missing)';

export type DriftLevel = 'stable' | 'moderate' | 'major';

export function psiLevel(psi: number): DriftLevel {
  return psi < 0.1 ? 'stable' : psi <= 0.25 ? 'moderate' : 'major';
}

export const numericProfileSchema = z.object({
  kind: z.literal('numeric'),
  /** Cut points between bins, increasing; bins are (−∞, c1], (c1, c2], …, (c_last, +∞). */
  cuts: z.array(z.number()),
  /** Share of the reference in each bin (cuts.length + 1 entries), then… */
  shares: z.array(z.number()),
  /** …share of missing values. */
  missing: z.number(),
  n: z.number().int().nonnegative(),
});
export const categoricalProfileSchema = z.object({
  kind: z.literal('categorical'),
  levels: z.array(z.string()),
  shares: z.array(z.number()),
  missing: z.number(),
  n: z.number().int().nonnegative(),
});
export const featureProfileSchema = z.discriminatedUnion('kind', [
  numericProfileSchema,
  categoricalProfileSchema,
]);

export type NumericProfile = z.infer<typeof numericProfileSchema>;
export type CategoricalProfile = z.infer<typeof categoricalProfileSchema>;
export type FeatureProfile = z.infer<typeof featureProfileSchema>;

export type NumericValues = ArrayLike<number | null | undefined>;
export type CategoricalValues = ArrayLike<string | boolean | number | null | undefined>;

/** PSI of two share vectors over the same bins (zero shares replaced by `epsilon`). Symmetric. */
export function populationStabilityIndex(
  expected: readonly number[],
  actual: readonly number[],
  epsilon = PSI_EPSILON,
): number {
  if (expected.length !== actual.length)
    throw new RangeError(`PSI needs the same bins: ${expected.length} vs ${actual.length}`);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] as number, epsilon);
    const a = Math.max(actual[i] as number, epsilon);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Quantile at probability p of sorted values, linear interpolation between order statistics (type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/** The reference profile of a numeric feature: quantile cut points and the share of each bin. */
export function numericProfile(values: NumericValues, bins = DEFAULT_BINS): NumericProfile {
  if (!Number.isInteger(bins) || bins < 2)
    inputError('drift_bad_bins', `drift bins must be a whole number ≥ 2, got ${bins}`);
  const present = presentNumbers(values);
  const sorted = Float64Array.from(present).sort();
  const cuts: number[] = [];
  if (sorted.length > 0) {
    for (let i = 1; i < bins; i++) {
      const q = quantileSorted(sorted, i / bins);
      if (cuts.length === 0 || q > (cuts[cuts.length - 1] as number)) cuts.push(q);
    }
  }
  const { shares, missing } = binNumeric(values, cuts);
  return { kind: 'numeric', cuts, shares, missing, n: values.length };
}

/** The reference profile of a categorical feature: levels (most frequent first) and their shares. */
export function categoricalProfile(values: CategoricalValues): CategoricalProfile {
  const counts = countLevels(values);
  const levels = [...counts.keys()].sort(
    (a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const n = values.length;
  return {
    kind: 'categorical',
    levels,
    shares: levels.map((l) => share(counts.get(l) as number, n)),
    missing: share(n - sum(counts.values()), n),
    n,
  };
}

export interface BinShift {
  readonly bin: string;
  readonly reference: number;
  readonly current: number;
  /** This bin's term of the PSI sum. */
  readonly contribution: number;
}

export interface FeatureDrift {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  /** null when either side has no rows. */
  readonly psi: number | null;
  readonly level: DriftLevel | null;
  readonly nReference: number;
  readonly nCurrent: number;
  /** Every bin with both shares, largest contribution first. */
  readonly bins: readonly BinShift[];
}

/** PSI of the current values of one feature against its reference profile. */
export function featureDrift(
  feature: string,
  reference: FeatureProfile,
  current: NumericValues | CategoricalValues,
  epsilon = PSI_EPSILON,
): FeatureDrift {
  const { labels, expected, actual } =
    reference.kind === 'numeric'
      ? alignNumeric(reference, current as NumericValues)
      : alignCategorical(reference, current as CategoricalValues);
  const bins = labels
    .map((bin, i) => {
      const e = expected[i] as number;
      const a = actual[i] as number;
      return { bin, reference: e, current: a, contribution: populationStabilityIndex([e], [a], epsilon) };
    })
    .sort((x, y) => y.contribution - x.contribution);
  const comparable = reference.n > 0 && current.length > 0;
  const psi = comparable ? populationStabilityIndex(expected, actual, epsilon) : null;
  return {
    feature,
    kind: reference.kind,
    psi,
    level: psi === null ? null : psiLevel(psi),
    nReference: reference.n,
    nCurrent: current.length,
    bins,
  };
}

export interface DriftReport {
  readonly features: readonly FeatureDrift[];
  readonly counts: Readonly<Record<DriftLevel, number>>;
  /** Features present in only one of the two runs. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Reference profiles of a table's columns; `kinds` says which are categorical (others are inferred). */
export function profileColumns(
  columns: Readonly<Record<string, NumericValues | CategoricalValues>>,
  kinds: Readonly<Record<string, 'numeric' | 'categorical' | 'boolean'>> = {},
  bins = DEFAULT_BINS,
): Record<string, FeatureProfile> {
  const out: Record<string, FeatureProfile> = {};
  for (const [name, values] of Object.entries(columns)) {
    const kind = kinds[name] ?? inferKind(values);
    out[name] =
      kind === 'numeric'
        ? numericProfile(values as NumericValues, bins)
        : categoricalProfile(values as CategoricalValues);
  }
  return out;
}

/** Drift of every feature profiled in the reference, most drifted first. */
export function driftReport(
  reference: Readonly<Record<string, FeatureProfile>>,
  current: Readonly<Record<string, NumericValues | CategoricalValues>>,
  epsilon = PSI_EPSILON,
): DriftReport {
  const features = Object.keys(reference)
    .filter((name) => name in current)
    .map((name) =>
      featureDrift(name, reference[name] as FeatureProfile, current[name] as NumericValues, epsilon),
    )
    .sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1) || (a.feature < b.feature ? -1 : 1));
  const counts: Record<DriftLevel, number> = { stable: 0, moderate: 0, major: 0 };
  for (const f of features) if (f.level) counts[f.level]++;
  return {
    features,
    counts,
    added: Object.keys(current)
      .filter((name) => !(name in reference))
      .sort(),
    removed: Object.keys(reference)
      .filter((name) => !(name in current))
      .sort(),
  };
}

export interface PersonaSizeChange {
  readonly persona: string;
  readonly name: string | null;
  readonly previousCount: number;
  readonly currentCount: number;
  readonly previousShare: number;
  readonly currentShare: number;
  /** currentShare − previousShare, in percentage points. */
  readonly sharePoints: number;
  /** currentCount / previousCount − 1; null for a new persona. */
  readonly relativeCount: number | null;
  readonly status: 'kept' | 'new' | 'gone';
}

export interface PersonaSizeTable {
  readonly rows: readonly PersonaSizeChange[];
  readonly previousTotal: number;
  readonly currentTotal: number;
  /** PSI of the persona distribution (each persona a bin). */
  readonly psi: number | null;
  readonly level: DriftLevel | null;
}

/**
 * Persona sizes now vs the last run, by persona id (ids are kept stable across retrains by the lineage
 * step, so the same id is the same persona). Rows follow the previous order, new personas last.
 */
export function personaSizeChanges(
  previous: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
  names: Readonly<Record<string, string>> = {},
  epsilon = PSI_EPSILON,
): PersonaSizeTable {
  for (const [side, counts] of [
    ['previous', previous],
    ['current', current],
  ] as const) {
    for (const [id, count] of Object.entries(counts)) {
      if (!Number.isInteger(count) || count < 0)
        inputError(
          'drift_bad_persona_count',
          `${side} size of persona ${id} must be a whole number ≥ 0, got ${count}`,
        );
    }
  }
  const previousTotal = sum(Object.values(previous));
  const currentTotal = sum(Object.values(current));
  const ids = [
    ...Object.keys(previous),
    ...Object.keys(current)
      .filter((id) => !(id in previous))
      .sort(),
  ];
  const rows = ids.map((persona): PersonaSizeChange => {
    const previousCount = previous[persona] ?? 0;
    const currentCount = current[persona] ?? 0;
    const previousShare = share(previousCount, previousTotal);
    const currentShare = share(currentCount, currentTotal);
    return {
      persona,
      name: names[persona] ?? null,
      previousCount,
      currentCount,
      previousShare,
      currentShare,
      sharePoints: (currentShare - previousShare) * 100,
      relativeCount: previousCount > 0 ? currentCount / previousCount - 1 : null,
      status: !(persona in previous) ? 'new' : !(persona in current) || currentCount === 0 ? 'gone' : 'kept',
    };
  });
  const psi =
    previousTotal > 0 && currentTotal > 0
      ? populationStabilityIndex(
          rows.map((r) => r.previousShare),
          rows.map((r) => r.currentShare),
          epsilon,
        )
      : null;
  return { rows, previousTotal, currentTotal, psi, level: psi === null ? null : psiLevel(psi) };
}

function alignNumeric(
  reference: NumericProfile,
  current: NumericValues,
): { labels: string[]; expected: number[]; actual: number[] } {
  const { shares, missing } = binNumeric(current, reference.cuts);
  const labels = reference.shares.map((_, i) => binLabel(reference.cuts, i));
  return {
    labels: [...labels, MISSING_BIN],
    expected: [...reference.shares, reference.missing],
    actual: [...shares, missing],
  };
}

function alignCategorical(
  reference: CategoricalProfile,
  current: CategoricalValues,
): { labels: string[]; expected: number[]; actual: number[] } {
  const counts = countLevels(current);
  const n = current.length;
  const fresh = [...counts.keys()].filter((level) => !reference.levels.includes(level)).sort();
  const labels = [...reference.levels, ...fresh];
  return {
    labels: [...labels, MISSING_BIN],
    expected: [...reference.shares, ...fresh.map(() => 0), reference.missing],
    actual: [...labels.map((l) => share(counts.get(l) ?? 0, n)), share(n - sum(counts.values()), n)],
  };
}

function binNumeric(values: NumericValues, cuts: readonly number[]): { shares: number[]; missing: number } {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      missing++;
      continue;
    }
    // First cut ≥ v (binary search): bins are right-closed.
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cuts[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  const n = values.length;
  return { shares: counts.map((c) => share(c, n)), missing: share(missing, n) };
}

function binLabel(cuts: readonly number[], i: number): string {
  const fmt = (x: number): string => Number(x.toPrecision(4)).toString();
  if (cuts.length === 0) return 'all values';
  if (i === 0) return `≤ ${fmt(cuts[0] as number)}`;
  if (i === cuts.length) return `> ${fmt(cuts[cuts.length - 1] as number)}`;
  return `(${fmt(cuts[i - 1] as number)}, ${fmt(cuts[i] as number)}]`;
}

function countLevels(values: CategoricalValues): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    const level = String(v);
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  return counts;
}

function presentNumbers(values: NumericValues): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && !Number.isNaN(v)) out.push(v);
  }
  return out;
}

function inferKind(values: NumericValues | CategoricalValues): 'numeric' | 'categorical' {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    return typeof v === 'number' ? 'numeric' : 'categorical';
  }
  return 'numeric';
}

function share(count: number, total: number): number {
  return total > 0 ? count / total : 0;
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
