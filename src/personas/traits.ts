import type { FeatureSpec } from '../features/types.js';
import { frequentLevels } from './feature-space.js';
import { adjustPValues, cohenH, twoProportionTest, welchTest } from './statistics.js';
import type { FeatureColumn, PersonaSettings, Trait } from './types.js';

type RawTrait = Omit<Trait, 'adjustedP' | 'significant'>;

/** Weighted moments: count, Σw, Σw², Σw·d, Σw·d² (unit weights give the plain sums). */
interface Moments {
  n: number;
  w: number;
  w2: number;
  sum: number;
  squares: number;
}

const noMoments = (): Moments => ({ n: 0, w: 0, w2: 0, sum: 0, squares: 0 });

function add(m: Moments, d: number, w: number): void {
  m.n++;
  m.w += w;
  m.w2 += w * w;
  m.sum += w * d;
  m.squares += w * d * d;
}

function minus(a: Moments, b: Moments): Moments {
  return { n: a.n - b.n, w: a.w - b.w, w2: a.w2 - b.w2, sum: a.sum - b.sum, squares: a.squares - b.squares };
}

/**
 * Per-group moments of a numeric column, shifted by `shift` for a stable variance from sums. With weights,
 * a customer counts w times in the mean (e.g. orders for the average order value); rows with a weight that
 * is not positive are left out, like missing values.
 */
function momentsByGroup(column: Float64Array, groupOf: Int32Array, groupCount: number, shift: number, weights: Float64Array | undefined): { groups: Moments[]; all: Moments } {
  const groups = Array.from({ length: groupCount }, noMoments);
  const all = noMoments();
  for (let i = 0; i < column.length; i++) {
    const x = column[i] as number;
    const w = weights ? (weights[i] as number) : 1;
    if (!Number.isFinite(x) || !(w > 0)) continue;
    const d = x - shift;
    add(all, d, w);
    const g = groupOf[i] as number;
    if (g >= 0) add(groups[g] as Moments, d, w);
  }
  return { groups, all };
}

/**
 * Mean, variance (reliability weights: unbiased for unit weights) and effective sample size (Kish:
 * (Σw)²/Σw², = n for unit weights) for Welch's test.
 */
function summary(m: Moments, shift: number): { n: number; mean: number; variance: number } {
  const mean = m.sum / m.w;
  const denominator = m.w - m.w2 / m.w;
  return { n: (m.w * m.w) / m.w2, mean: mean + shift, variance: denominator > 0 ? Math.max(0, (m.squares - m.w * mean * mean) / denominator) : 0 };
}

function relative(value: number, population: number): number | null {
  return population === 0 ? null : value / population - 1;
}

function numericTraits(spec: FeatureSpec, column: Float64Array, groupOf: Int32Array, groupCount: number, weights: Float64Array | undefined): RawTrait[][] {
  let shift = 0;
  for (const x of column) if (Number.isFinite(x)) {
    shift = x;
    break;
  }
  const { groups, all } = momentsByGroup(column, groupOf, groupCount, shift, weights);
  const out: RawTrait[][] = groups.map(() => []);
  if (all.n < 3) return out;
  const population = summary(all, shift);
  const sd = Math.sqrt(population.variance);
  if (!(sd > 0)) return out;
  groups.forEach((m, g) => {
    const rest = minus(all, m);
    if (m.n < 2 || rest.n < 2) return;
    const a = summary(m, shift);
    const test = welchTest(a, summary(rest, shift));
    const diff = a.mean - population.mean;
    (out[g] as RawTrait[]).push({
      feature: spec.name,
      level: null,
      kind: spec.kind,
      source: spec.source,
      personaValue: a.mean,
      populationValue: population.mean,
      effect: diff / sd,
      difference: diff,
      relative: relative(a.mean, population.mean),
      test: 'welch-t',
      statistic: test.statistic,
      pValue: test.pValue,
      direction: diff >= 0 ? 'higher' : 'lower',
    });
  });
  return out;
}

function shareTraits(
  spec: FeatureSpec,
  level: string,
  isHit: (i: number) => boolean | null,
  n: number,
  groupOf: Int32Array,
  groupCount: number,
): RawTrait[][] {
  const hits = new Array<number>(groupCount).fill(0);
  const counts = new Array<number>(groupCount).fill(0);
  let allHits = 0;
  let allCount = 0;
  for (let i = 0; i < n; i++) {
    const hit = isHit(i);
    if (hit === null) continue;
    allCount++;
    if (hit) allHits++;
    const g = groupOf[i] as number;
    if (g < 0) continue;
    counts[g] = (counts[g] as number) + 1;
    if (hit) hits[g] = (hits[g] as number) + 1;
  }
  const out: RawTrait[][] = hits.map(() => []);
  if (allCount === 0) return out;
  const p0 = allHits / allCount;
  if (p0 === 0 || p0 === 1) return out;
  hits.forEach((h, g) => {
    const c = counts[g] as number;
    const restCount = allCount - c;
    if (c === 0 || restCount === 0) return;
    const p = h / c;
    const test = twoProportionTest(h, c, allHits - h, restCount);
    (out[g] as RawTrait[]).push({
      feature: spec.name,
      level,
      kind: spec.kind,
      source: spec.source,
      personaValue: p,
      populationValue: p0,
      effect: cohenH(p, p0),
      difference: p - p0,
      relative: relative(p, p0),
      test: 'two-proportion-z',
      statistic: test.statistic,
      pValue: test.pValue,
      direction: p >= p0 ? 'higher' : 'lower',
    });
  });
  return out;
}

/**
 * Every feature (every level of a categorical one) of every group compared with the whole population:
 * effect size against the population, test against the rest of the population, and p-values adjusted
 * over all the document's tests so that "significant" survives the many comparisons made.
 */
export function computeTraits(
  features: readonly FeatureSpec[],
  columns: Readonly<Record<string, FeatureColumn>>,
  groupOf: Int32Array,
  groupCount: number,
  settings: Pick<PersonaSettings, 'alpha' | 'correction'>,
  /** Customer weights per numeric feature (see figures.ts: the average order value weighs orders). */
  weights: Readonly<Record<string, Float64Array>> = {},
): Trait[][] {
  const raw: RawTrait[][] = Array.from({ length: groupCount }, () => []);
  const append = (perGroup: RawTrait[][]): void => perGroup.forEach((list, g) => (raw[g] as RawTrait[]).push(...list));
  const n = groupOf.length;
  for (const spec of features) {
    const column = columns[spec.name];
    if (column === undefined) continue;
    if (spec.kind === 'numeric' && column instanceof Float64Array) {
      append(numericTraits(spec, column, groupOf, groupCount, weights[spec.name]));
    } else if (spec.kind === 'boolean' && column instanceof Float64Array) {
      append(shareTraits(spec, 'true', (i) => (Number.isFinite(column[i] as number) ? (column[i] as number) > 0 : null), n, groupOf, groupCount));
    } else if (!(column instanceof Float64Array)) {
      const minCount = Math.max(5, Math.ceil(0.005 * n));
      for (const level of frequentLevels(column, 30, minCount)) {
        append(shareTraits(spec, level, (i) => (column[i] == null ? null : column[i] === level), n, groupOf, groupCount));
      }
    }
  }
  const flat = raw.flat();
  const adjusted = adjustPValues(flat.map((t) => t.pValue), settings.correction);
  let index = 0;
  return raw.map((list) =>
    list.map((t) => {
      const adjustedP = adjusted[index++] as number;
      return { ...t, adjustedP, significant: adjustedP < settings.alpha };
    }),
  );
}

/**
 * Indices of the distinguishing traits: significant after correction, at least a small effect, strongest
 * |effect| first, one level per feature. Ties break on the feature name so the choice is deterministic.
 */
export function selectTopTraits(traits: readonly Trait[], minEffect: number, count: number): number[] {
  const candidates = traits
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.significant && Math.abs(t.effect) >= minEffect)
    .sort((a, b) => Math.abs(b.t.effect) - Math.abs(a.t.effect) || (a.t.feature < b.t.feature ? -1 : a.t.feature > b.t.feature ? 1 : 0));
  const seen = new Set<string>();
  const top: number[] = [];
  for (const { t, i } of candidates) {
    if (seen.has(t.feature)) continue;
    seen.add(t.feature);
    top.push(i);
    if (top.length === count) break;
  }
  return top;
}
