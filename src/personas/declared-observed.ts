import type { FeatureSpec } from '../features/types.js';
import { valueWord } from './vocabulary.js';
import { cohenH } from './statistics.js';
import type { DeclaredObserved, FeatureColumn, Lang, Localized } from './types.js';
import { formatNumber, formatShare, formatValue } from './format.js';

/**
 * What customers say (zero-party) next to what they do (first-party). Each pair names a declared answer
 * (a level of a categorical, or an ordinal scale) and the behaviour that should move with it.
 */
export interface DeclaredObservedPair {
  readonly id: string;
  readonly declared: {
    readonly feature: RegExp;
    readonly level?: string;
    readonly ordinal?: readonly string[];
  };
  readonly observed: { readonly feature: RegExp };
  /** The same levels on both sides (e.g. declared interest "beauty" vs most-bought category "beauty"). */
  readonly matchLevels?: boolean;
  /**
   * One feature per level on both sides: the declared pattern's first group is the level, and
   * `observedName(level)` names the behaviour feature (interest_beauty ↔ share_category_beauty).
   */
  readonly observedName?: (level: string) => string;
}

export const DECLARED_OBSERVED_PAIRS: readonly DeclaredObservedPair[] = [
  {
    id: 'price_sensitivity~discounts',
    declared: { feature: /price_sensitiv/, ordinal: ['low', 'medium', 'high'] },
    observed: { feature: /discount/ },
  },
  {
    id: 'preferred_channel:email~email_engagement',
    declared: { feature: /preferred_channel/, level: 'email' },
    observed: { feature: /email_(click|engagement|open)/ },
  },
  {
    id: 'preferred_channel:sms~sms_engagement',
    declared: { feature: /preferred_channel/, level: 'sms' },
    observed: { feature: /sms_(click|engagement)/ },
  },
  {
    id: 'preferred_channel:app~app_orders',
    declared: { feature: /preferred_channel/, level: 'app' },
    observed: { feature: /share_channel_app|app_order_share/ },
  },
  {
    id: 'interests~categories',
    declared: { feature: /^interest_(.+)$/ },
    observed: { feature: /^share_category_/ },
    observedName: (level) => `share_category_${level}`,
  },
  {
    id: 'interests~categories',
    declared: { feature: /interest/ },
    observed: { feature: /top_category|main_category|favou?rite_category/ },
    matchLevels: true,
  },
];

/** The (declared, observed) feature pairs a pair definition resolves to in this catalogue. */
function resolvePair(
  pair: DeclaredObservedPair,
  features: readonly FeatureSpec[],
): { declared: FeatureSpec; observed: FeatureSpec; level: string | null }[] {
  if (pair.observedName) {
    const out: { declared: FeatureSpec; observed: FeatureSpec; level: string | null }[] = [];
    for (const declared of features) {
      const match = declared.source === 'zero-party' ? pair.declared.feature.exec(declared.name) : null;
      if (!match) continue;
      const observedName = pair.observedName(match[1] as string);
      const observed = features.find((f) => f.name === observedName && f.source === 'first-party');
      if (observed) out.push({ declared, observed, level: null });
    }
    return out;
  }
  const declared = findFeature(features, pair.declared.feature, 'zero-party');
  const observed = findFeature(features, pair.observed.feature, 'first-party');
  return declared && observed ? [{ declared, observed, level: pair.declared.level ?? null }] : [];
}

interface Side {
  readonly feature: string;
  readonly level: string | null;
  readonly persona: number;
  readonly population: number;
  readonly effect: number;
}

function findFeature(
  features: readonly FeatureSpec[],
  pattern: RegExp,
  source: FeatureSpec['source'],
): FeatureSpec | null {
  return features.find((f) => f.source === source && pattern.test(f.name.toLowerCase())) ?? null;
}

/** Mean and SD of a per-customer score over the population, and the mean in each group. */
function scoreSide(
  feature: string,
  level: string | null,
  score: (i: number) => number,
  groupOf: Int32Array,
  groupCount: number,
  asShare: boolean,
): Side[] {
  const sums = new Array<number>(groupCount).fill(0);
  const counts = new Array<number>(groupCount).fill(0);
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let i = 0; i < groupOf.length; i++) {
    const x = score(i);
    if (!Number.isFinite(x)) continue;
    sum += x;
    squares += x * x;
    n++;
    const g = groupOf[i] as number;
    if (g < 0) continue;
    sums[g] = (sums[g] as number) + x;
    counts[g] = (counts[g] as number) + 1;
  }
  const mean = n > 0 ? sum / n : NaN;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : NaN;
  return sums.map((s, g) => {
    const c = counts[g] as number;
    const persona = c > 0 ? s / c : NaN;
    const effect = asShare ? cohenH(persona, mean) : sd > 0 ? (persona - mean) / sd : 0;
    return { feature, level, persona, population: mean, effect: Number.isFinite(effect) ? effect : 0 };
  });
}

function categoricalScore(column: FeatureColumn, level: string): (i: number) => number {
  return (i) => {
    const v = column[i];
    if (typeof v === 'number') return v;
    return v == null ? NaN : v === level ? 1 : 0;
  };
}

function sideFor(
  spec: FeatureSpec,
  column: FeatureColumn,
  level: string | null,
  ordinal: readonly string[] | undefined,
  groupOf: Int32Array,
  groupCount: number,
): Side[] {
  if (column instanceof Float64Array)
    return scoreSide(
      spec.name,
      null,
      (i) => column[i] as number,
      groupOf,
      groupCount,
      spec.kind === 'boolean',
    );
  if (ordinal) {
    const rank = new Map(ordinal.map((l, r) => [l, r / Math.max(1, ordinal.length - 1)]));
    return scoreSide(spec.name, null, (i) => rank.get(column[i] ?? '') ?? NaN, groupOf, groupCount, false);
  }
  return scoreSide(spec.name, level, categoricalScore(column, level ?? ''), groupOf, groupCount, true);
}

function describeSide(side: Side, spec: FeatureSpec, lang: Lang, ordinal: boolean): string {
  const label = spec.label[lang];
  const what = side.level !== null ? `${label} = ${valueWord(side.level, lang)}` : label;
  const fmt = (x: number): string =>
    side.level !== null || spec.kind === 'boolean'
      ? formatShare(x, lang)
      : ordinal
        ? formatNumber(x, lang, 2)
        : formatValue(x, spec.unit, lang);
  const scale = ordinal
    ? lang === 'fr'
      ? ' (score de 0 = faible à 1 = forte)'
      : ' (score from 0 = low to 1 = high)'
    : '';
  return lang === 'fr'
    ? `${what} ${fmt(side.persona)} contre ${fmt(side.population)}${scale}`
    : `${what} ${fmt(side.persona)} vs ${fmt(side.population)}${scale}`;
}

function verdictOf(declared: Side, observed: Side, minEffect: number): DeclaredObserved['verdict'] {
  const notableDeclared = Math.abs(declared.effect) >= minEffect;
  const notableObserved = Math.abs(observed.effect) >= minEffect;
  if (notableDeclared && notableObserved)
    return Math.sign(declared.effect) === Math.sign(observed.effect) ? 'agreement' : 'contradiction';
  return 'neutral';
}

const VERDICT_WORDS: Record<DeclaredObserved['verdict'], Localized> = {
  agreement: {
    en: 'what they declare matches how they behave',
    fr: 'ce qu’ils déclarent correspond à leur comportement',
  },
  contradiction: {
    en: 'what they declare contradicts how they behave',
    fr: 'ce qu’ils déclarent contredit leur comportement',
  },
  neutral: { en: 'only one side stands out', fr: 'un seul des deux se distingue' },
};

/**
 * Declared-vs-observed comparisons for every group, keeping those where at least one side differs from the
 * population by `minEffect` or more. Both sides are measured as effects against the population, so a
 * verdict compares directions: agreement when both move the same way, contradiction when they oppose.
 */
export function compareDeclaredObserved(
  features: readonly FeatureSpec[],
  columns: Readonly<Record<string, FeatureColumn>>,
  groupOf: Int32Array,
  groupCount: number,
  minEffect: number,
  pairs: readonly DeclaredObservedPair[] = DECLARED_OBSERVED_PAIRS,
): DeclaredObserved[][] {
  const out: DeclaredObserved[][] = Array.from({ length: groupCount }, () => []);
  for (const pair of pairs) {
    for (const resolved of resolvePair(pair, features)) {
      const declaredSpec = resolved.declared;
      const observedSpec = resolved.observed;
      const declaredColumn = columns[declaredSpec.name];
      const observedColumn = columns[observedSpec.name];
      if (!declaredColumn || !observedColumn) continue;
      const levels: (string | null)[] = pair.matchLevels
        ? [
            ...new Set(
              declaredColumn instanceof Float64Array
                ? []
                : declaredColumn.filter((v): v is string => v !== null),
            ),
          ].sort()
        : [resolved.level];
      for (const level of levels) {
        if (pair.matchLevels && (observedColumn instanceof Float64Array || !observedColumn.includes(level)))
          continue;
        const declared = sideFor(
          declaredSpec,
          declaredColumn,
          level,
          pair.declared.ordinal,
          groupOf,
          groupCount,
        );
        const observed = sideFor(
          observedSpec,
          observedColumn,
          pair.matchLevels ? level : null,
          undefined,
          groupOf,
          groupCount,
        );
        declared.forEach((d, g) => {
          const o = observed[g] as Side;
          if (!Number.isFinite(d.persona) || !Number.isFinite(o.persona)) return;
          if (Math.abs(d.effect) < minEffect && Math.abs(o.effect) < minEffect) return;
          const verdict = verdictOf(d, o, minEffect);
          const ordinal = pair.declared.ordinal !== undefined;
          const explanation = (lang: Lang): string =>
            lang === 'fr'
              ? `${describeSide(d, declaredSpec, lang, ordinal)} ; ${describeSide(o, observedSpec, lang, false)} : ${VERDICT_WORDS[verdict][lang]}`
              : `${describeSide(d, declaredSpec, lang, ordinal)}; ${describeSide(o, observedSpec, lang, false)}: ${VERDICT_WORDS[verdict][lang]}`;
          (out[g] as DeclaredObserved[]).push({
            pair: pair.matchLevels
              ? `${pair.id}:${level}`
              : pair.observedName
                ? `${pair.id}:${declaredSpec.name}`
                : pair.id,
            declared: d,
            observed: o,
            verdict,
            explanation: { en: explanation('en'), fr: explanation('fr') },
          });
        });
      }
    }
  }
  return out;
}
