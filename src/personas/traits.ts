import type { FeatureSpec } from '../features/types.js';
import { frequentLevels } from './feature-space.js';
import { adjustPValues, cohenH, twoProportionTest, welchTest } from './statistics.js';
import type { FeatureColumn, PersonaSettings, Trait } from './types.js';

type RawTrait = Omit<Trait, 'adjustedP' | 'significant'>;

interface Moments {
  n: number;
  sum: number;
  squares: number;
}

/** Per-group moments of a numeric column, shifted by `shift` for a stable variance from sums. */
function momentsByGroup(column: Float64Array, groupOf: Int32Array, groupCount: number, shift: number): { groups: Moments[]; all: Moments } {
  const groups = Array.from({ length: groupCount }, () => ({ n: 0, sum: 0, squares: 0 }));
  const all = { n: 0, sum: 0, squares: 0 };
  for (let i = 0; i < column.length; i++) {
    const x = column[i] as number;
    if (!Number.isFinite(x)) continue;
    const d = x - shift;
    all.n++;
    all.sum += d;
    all.squares += d * d;
    const g = groupOf[i] as number;
    if (g < 0) continue;
    const m = groups[g] as Moments;
    m.n++;
    m.sum += d;
    m.squares += d * d;
  }
  return { groups, all };
}

function summary(m: Moments, shift: number): { n: number; mean: number; variance: number } {
  const mean = m.sum / m.n;
  return { n: m.n, mean: mean + shift, variance: Math.max(0, (m.squares - m.n * mean * mean) / (m.n - 1)) };
}

function relative(value: number, population: number): number | null {
  return population === 0 ? null : value / population - 1;
}

function numericTraits(spec: FeatureSpec, column: Float64Array, groupOf: Int32Array, groupCount: number): RawTrait[][] {
  let shift = 0;
  for (const x of column) if (Number.isFinite(x)) {
    shift = x;
    break;
  }
  const { groups, all } = momentsByGroup(column, groupOf, groupCount, shift);
  const out: RawTrait[][] = groups.map(() => []);
  if (all.n < 3) return out;
  const population = summary(all, shift);
  const sd = Math.sqrt(population.variance);
  if (!(sd > 0)) return out;
  groups.forEach((m, g) => {
    const rest = { n: all.n - m.n, sum: all.sum - m.sum, squares: all.squares - m.squares };
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
): Trait[][] {
  const raw: RawTrait[][] = Array.from({ length: groupCount }, () => []);
  const append = (perGroup: RawTrait[][]): void => perGroup.forEach((list, g) => (raw[g] as RawTrait[]).push(...list));
  const n = groupOf.length;
  for (const spec of features) {
    const column = columns[spec.name];
    if (column === undefined) continue;
    if (spec.kind === 'numeric' && column instanceof Float64Array) {
      append(numericTraits(spec, column, groupOf, groupCount));
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
