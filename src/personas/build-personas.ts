import type { FeatureSpec } from '../features/types.js';
import { localizeFeature } from './vocabulary.js';
import { compareDeclaredObserved } from './declared-observed.js';
import { bisectionDistance, groupGeometry } from './feature-space.js';
import { SEASON_FEATURE, TENURE_FEATURES, timingFigures, traitWeights, valueFigures, withFigureValues, type FigureColumns } from './figures.js';
import { assignNames, backingStrength, SEASONAL_WORD, type NamingFigures } from './naming.js';
import { narrative, tagline, type NarrativeContext, type PersonaDraft } from './narrative.js';
import { runPlaybook, type PlaybookFacts } from './playbook.js';
import { featureRole, featureWithRole, type FeatureRole } from './roles.js';
import { parsePersonaSettings, type PersonaSettingsInput } from './settings.js';
import { resolveSmallPersonas } from './small-personas.js';
import { quantileSorted } from './statistics.js';
import { suggestChanges } from './suggestions.js';
import { trackPersona } from './tracking.js';
import { computeTraits, selectTopTraits } from './traits.js';
import type { Distribution, FeatureColumn, LifecycleShare, Localized, Persona, PersonaDocument, PersonaInput, PersonaSettings, PredictionColumns, TimingPrediction, Trait, ValueFigures } from './types.js';
import { validatePersonaInput } from './validate-input.js';

export const LIFECYCLE_ORDER = ['prospect', 'new', 'active', 'due', 'at_risk', 'lapsed', 'win_back', 'reactivated'] as const;

/** Indices of customers per group (−1 = suppressed customers are left out). */
function membersOf(groupOf: Int32Array, groupCount: number): number[][] {
  const members: number[][] = Array.from({ length: groupCount }, () => []);
  groupOf.forEach((g, i) => {
    if (g >= 0) (members[g] as number[]).push(i);
  });
  return members;
}

/** Prediction columns (NaN where a customer was not scored or a value is not predictable). */
function predictionColumns(predictions: NonNullable<PersonaInput['predictions']>): PredictionColumns {
  if (!Array.isArray(predictions)) return predictions as PredictionColumns;
  const list = predictions as readonly (TimingPrediction | null)[];
  const predicted = (pick: (p: TimingPrediction) => number | null): Float64Array =>
    Float64Array.from(list, (p) => (p == null ? NaN : (pick(p) ?? NaN)));
  return { pAlive: predicted((p) => p.pAlive), pBuy30: predicted((p) => p.pBuy30), nextPurchaseDays: predicted((p) => p.nextPurchaseDays), clv: predicted((p) => p.clv) };
}

/** The finite values of a column at the rows (every row when null), sorted ascending (native numeric sort). */
function sortedFinite(column: Float64Array, rows: readonly number[] | null): Float64Array {
  const out = new Float64Array(rows === null ? column.length : rows.length);
  let count = 0;
  if (rows === null) {
    for (const x of column) if (Number.isFinite(x)) out[count++] = x;
  } else {
    for (const i of rows) if (Number.isFinite(column[i] as number)) out[count++] = column[i] as number;
  }
  return out.subarray(0, count).sort();
}

function distribution(feature: string, column: Float64Array, rows: readonly number[] | null): Distribution | null {
  const values = sortedFinite(column, rows);
  if (values.length === 0) return null;
  let sum = 0;
  for (const x of values) sum += x;
  return {
    feature,
    p10: quantileSorted(values, 0.1),
    q1: quantileSorted(values, 0.25),
    median: quantileSorted(values, 0.5),
    q3: quantileSorted(values, 0.75),
    p90: quantileSorted(values, 0.9),
    mean: sum / values.length,
  };
}

function lifecycleMix(segments: readonly (string | null)[], rows: readonly number[] | null): LifecycleShare[] {
  const counts = new Map<string, number>();
  let total = 0;
  const visit = (s: string | null | undefined): void => {
    if (s == null) return;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    total++;
  };
  if (rows === null) segments.forEach(visit);
  else rows.forEach((i) => visit(segments[i]));
  const known = LIFECYCLE_ORDER.filter((s) => counts.has(s));
  const others = [...counts.keys()].filter((s) => !(LIFECYCLE_ORDER as readonly string[]).includes(s)).sort();
  return [...known, ...others].map((segment) => ({ segment, count: counts.get(segment) ?? 0, share: total > 0 ? (counts.get(segment) ?? 0) / total : 0 }));
}

function shareOfOnes(flags: Uint8Array, rows: readonly number[]): number {
  let hits = 0;
  for (const i of rows) if (flags[i] === 1) hits++;
  return rows.length > 0 ? hits / rows.length : 0;
}

function meanAt(column: Float64Array | undefined, rows: readonly number[]): number | null {
  if (!column) return null;
  let sum = 0;
  let count = 0;
  for (const i of rows) {
    const x = column[i] as number;
    if (Number.isFinite(x)) {
      sum += x;
      count++;
    }
  }
  return count > 0 ? sum / count : null;
}

function modalLevel(column: FeatureColumn, rows: readonly number[]): { value: string; share: number } | null {
  if (column instanceof Float64Array) return null;
  const counts = new Map<string, number>();
  let total = 0;
  for (const i of rows) {
    const v = column[i];
    if (v == null) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total++;
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best && total > 0 ? { value: best[0], share: best[1] / total } : null;
}

function bestChannel(email: number, sms: number, emailEngagement: number | null, smsEngagement: number | null): 'email' | 'sms' | null {
  if (Math.max(email, sms) < 0.05) return null;
  const score = (consent: number, engagement: number | null): number => consent * (engagement ?? 1);
  return score(sms, smsEngagement) > score(email, emailEngagement) ? 'sms' : 'email';
}

/**
 * The persona's trait for each role: among the numeric features of a role (abandoned carts over 7, 30 and
 * 90 days…), the one where the persona stands out most.
 */
function rolesOf(traits: readonly Trait[], features: readonly FeatureSpec[]): Partial<Record<FeatureRole, Trait>> {
  const roles: Partial<Record<FeatureRole, Trait>> = {};
  for (const spec of features) {
    if (spec.kind !== 'numeric') continue;
    const role = featureRole(spec.name);
    if (role === null) continue;
    const trait = traits.find((t) => t.feature === spec.name && t.level === null);
    const current = roles[role];
    if (trait && (!current || Math.abs(trait.effect) > Math.abs(current.effect))) roles[role] = trait;
  }
  return roles;
}

function previousNameOf(input: PersonaInput, cluster: number): Localized | undefined {
  const info = input.clusters[cluster];
  if (info?.previousName) return info.previousName;
  return input.previous?.document.personas.find((p) => p.id === info?.personaId)?.name;
}

/** Consent and engagement of the customers at `rows`. */
function reachabilityOf(
  reach: NonNullable<PersonaInput['reachability']>,
  rows: readonly number[],
  preferred: { feature: string; column: FeatureColumn } | null,
): NonNullable<Persona['reachability']> {
  const emailConsentShare = shareOfOnes(reach.emailConsent, rows);
  const smsConsentShare = shareOfOnes(reach.smsConsent, rows);
  let reachable = 0;
  for (const i of rows) if (reach.emailConsent[i] === 1 || reach.smsConsent[i] === 1) reachable++;
  const emailEngagement = meanAt(reach.emailEngagement, rows);
  const smsEngagement = meanAt(reach.smsEngagement, rows);
  const level = preferred ? modalLevel(preferred.column, rows) : null;
  return {
    emailConsentShare,
    smsConsentShare,
    reachableShare: rows.length > 0 ? reachable / rows.length : 0,
    emailEngagement,
    smsEngagement,
    preferredChannel: level && preferred ? { feature: preferred.feature, ...level } : null,
    bestChannel: bestChannel(emailConsentShare, smsConsentShare, emailEngagement, smsEngagement),
  };
}

/**
 * Builds the persona document from clusters and features: profiles, traits with significance, declared vs
 * observed, reachability, names, narratives, playbook actions, tracking and merge/split suggestions.
 * Every figure (average order value, expected buyers, November–December share…) is computed once, by the
 * same function for each persona and for the whole base (figures.ts), and read from there by the traits,
 * names, narratives and playbook. Pure and deterministic: the same input and settings give the same document.
 */
export function buildPersonas(raw: PersonaInput, options: PersonaSettingsInput = {}): PersonaDocument {
  const settings: PersonaSettings = parsePersonaSettings(options);
  validatePersonaInput(raw);
  // Known data values in the French labels in French, for every name, trait and sentence built from them.
  const input: PersonaInput = { ...raw, features: raw.features.map(localizeFeature) };
  const n = input.customerIds.length;
  const { groupOf, groups, small } = resolveSmallPersonas(input, settings);
  const groupCount = groups.length;
  const members = membersOf(groupOf, groupCount);
  const specs = new Map(input.features.map((f) => [f.name, f]));
  const numericColumn = (name: string | null): Float64Array | null => {
    const column = name === null ? undefined : input.columns[name];
    return column instanceof Float64Array && specs.get(name as string)?.kind === 'numeric' ? column : null;
  };
  const tenureFeature = TENURE_FEATURES.find((f) => numericColumn(f) !== null) ?? null;
  const figureColumns: FigureColumns = {
    revenue: input.revenue,
    orders: input.orders,
    novDecShare: numericColumn(SEASON_FEATURE),
    tenure: numericColumn(tenureFeature),
    predictions: input.predictions ? predictionColumns(input.predictions) : null,
  };
  const populationValue = valueFigures(figureColumns, null);
  const populationTiming = timingFigures(figureColumns, null);
  const groupValue = members.map((rows) => valueFigures(figureColumns, rows));
  const rawTraits = computeTraits(input.features, input.columns, groupOf, groupCount, settings, traitWeights(figureColumns, input.features.map((f) => f.name)));
  const traits = rawTraits.map((list, g) => withFigureValues(list, groupValue[g] as ValueFigures, populationValue, tenureFeature));
  const tops = traits.map((t) => selectTopTraits(t, settings.minEffect, settings.topTraits));
  const geometry = groupGeometry(input.features, input.columns, groupOf, groupCount);
  const declared = compareDeclaredObserved(input.features, input.columns, groupOf, groupCount, settings.minEffect);
  const numericNames = input.features.filter((f) => f.kind === 'numeric').map((f) => f.name);
  const rfm = {
    recency: featureWithRole(numericNames, 'recency'),
    frequency: featureWithRole(numericNames, 'frequency'),
    monetary: featureWithRole(numericNames, 'monetary') ?? featureWithRole(numericNames, 'aov'),
  };
  const rfmFeatures = [rfm.recency, rfm.frequency, rfm.monetary].filter((f): f is string => f !== null);
  const preferredChannelFeature = input.features.find((f) => f.kind === 'categorical' && featureRole(f.name) === 'preferredChannel') ?? null;
  const reach = input.reachability;
  const totalRevenue = input.revenue.reduce((a, b) => a + b, 0);
  const populationLifecycle = input.lifecycle ? lifecycleMix(input.lifecycle.segment, null) : null;
  const mixOf = (mix: readonly LifecycleShare[] | null): Record<string, number> | null => (mix ? Object.fromEntries(mix.map((m) => [m.segment, m.share])) : null);
  const base: NamingFigures = { value: populationValue, lifecycle: mixOf(populationLifecycle) };

  // A rule is reported as not evaluated only when no persona had the data for it.
  const rulesSkipped = new Map<string, { missing: string; personas: number }>();
  const drafts: PersonaDraft[] = groups.map((group, g) => {
    const rows = members[g] as number[];
    const size = rows.length;
    const revenue = rows.reduce((sum, i) => sum + (input.revenue[i] as number), 0);
    const groupTraits = traits[g] as Trait[];
    const lifecycle = input.lifecycle ? { mix: lifecycleMix(input.lifecycle.segment, rows), vipShare: shareOfOnes(input.lifecycle.vip, rows) } : null;
    const firstCluster = group.clusters[0] as number;
    return {
      id: group.id,
      clusters: group.clusters,
      name: { en: '', fr: '' },
      nameSource: 'traits',
      size,
      shareOfCustomers: size / n,
      revenue,
      shareOfRevenue: totalRevenue !== 0 ? revenue / totalRevenue : 0,
      value: groupValue[g] as ValueFigures,
      timing: timingFigures(figureColumns, rows),
      lifecycle,
      traits: groupTraits,
      topTraits: tops[g] as number[],
      declaredVsObserved: declared[g] as Persona['declaredVsObserved'],
      reachability: reach ? reachabilityOf(reach, rows, preferredChannelFeature ? { feature: preferredChannelFeature.name, column: input.columns[preferredChannelFeature.name] as FeatureColumn } : null) : null,
      actions: [],
      stability: input.clusters[firstCluster]?.stability ?? null,
      dispersion: geometry.dispersion[g] as number,
      distributions: rfmFeatures
        .map((f) => distribution(f, input.columns[f] as Float64Array, rows))
        .filter((d): d is Distribution => d !== null),
      absorbed: group.absorbed,
      tracking: input.previous ? trackPersona({ id: group.id, size, shareOfCustomers: size / n, traits: groupTraits, topTraits: tops[g] as number[] }, input.previous.document, input.previous.migration) : null,
    };
  });

  const namingFigures: NamingFigures[] = drafts.map((d) => ({ value: d.value, lifecycle: mixOf(d.lifecycle?.mix ?? null) }));
  const named = assignNames(
    drafts.map((d, g) => {
      const previousName = previousNameOf(input, groups[g]?.clusters[0] as number);
      return { id: d.id, figures: namingFigures[g] as NamingFigures, topTraits: d.topTraits.map((i) => d.traits[i] as Trait), traits: d.traits, ...(previousName ? { previousName } : {}) };
    }),
    base,
    tenureFeature,
  );
  const seasonal = new Set(drafts.filter((_, g) => backingStrength(SEASONAL_WORD, namingFigures[g] as NamingFigures, base) !== null).map((d) => d.id));
  const context: NarrativeContext = {
    specs,
    ...(input.run.currency ? { currency: input.run.currency } : {}),
    population: { value: populationValue, timing: populationTiming },
    seasonal,
  };
  const units = Object.fromEntries(input.features.map((f) => [f.name, f.unit]));
  const personas: Persona[] = drafts.map((draft, g) => {
    const withName: PersonaDraft = { ...draft, name: named[g]?.name as Localized, nameSource: named[g]?.source ?? 'traits' };
    const r = draft.reachability;
    const facts: PlaybookFacts = {
      asOf: input.run.asOf,
      value: draft.value,
      population: populationValue,
      timing: draft.timing,
      lifecycle: mixOf(draft.lifecycle?.mix ?? null),
      vipShare: draft.lifecycle?.vipShare ?? null,
      seasonal: seasonal.has(draft.id),
      roles: rolesOf(draft.traits, input.features),
      reach: r ? { emailConsentShare: r.emailConsentShare, smsConsentShare: r.smsConsentShare, emailEngagement: r.emailEngagement, smsEngagement: r.smsEngagement, bestChannel: r.bestChannel } : null,
      ...(input.run.currency ? { currency: input.run.currency } : {}),
      units,
    };
    const { actions, missing } = runPlaybook(facts);
    for (const m of missing) rulesSkipped.set(m.rule, { missing: m.missing, personas: (rulesSkipped.get(m.rule)?.personas ?? 0) + 1 });
    const complete: PersonaDraft = { ...withName, actions };
    return {
      ...complete,
      tagline: { en: tagline(complete, context, 'en'), fr: tagline(complete, context, 'fr') },
      narrative: { en: narrative(complete, context, 'en'), fr: narrative(complete, context, 'fr') },
    };
  });

  const groupOfCluster = new Map<number, string>();
  groups.forEach((group) => group.clusters.forEach((c) => groupOfCluster.set(c, group.id)));
  const pcaPoints = input.pca ? input.pca.points.filter((p) => groupOfCluster.has(p.label)) : [];
  const stride = settings.maxPcaPoints > 0 ? Math.max(1, Math.ceil(pcaPoints.length / settings.maxPcaPoints)) : Infinity;
  const pca = input.pca && settings.maxPcaPoints > 0
    ? {
        points: pcaPoints.filter((_, i) => i % stride === 0).map((p) => ({ x: p.x, y: p.y, persona: groupOfCluster.get(p.label) as string })),
        explainedVariance: input.pca.explainedVariance,
        ...(input.pca.axes ? { axes: input.pca.axes } : {}),
      }
    : null;
  const retired = input.previous ? input.previous.document.personas.map((p) => p.id).filter((id) => !groups.some((g) => g.id === id)) : [];
  const all = Array.from({ length: n }, (_, i) => i);

  return {
    schemaVersion: 2,
    kind: 'personae.personas',
    run: input.run,
    settings,
    population: {
      customers: n,
      revenue: totalRevenue,
      value: populationValue,
      timing: populationTiming,
      emailConsentShare: reach ? shareOfOnes(reach.emailConsent, all) : null,
      smsConsentShare: reach ? shareOfOnes(reach.smsConsent, all) : null,
      lifecycle: populationLifecycle,
      distributions: rfmFeatures.map((f) => distribution(f, input.columns[f] as Float64Array, null)).filter((d): d is Distribution => d !== null),
    },
    features: input.features.map((f) => ({
      name: f.name,
      label: f.label,
      description: f.description,
      kind: f.kind,
      family: f.family,
      source: f.source,
      ...(f.unit ? { unit: f.unit } : {}),
    })),
    rfm,
    personas,
    smallPersonas: small,
    suggestions: suggestChanges(personas, geometry, members.map((rows) => bisectionDistance(input.features, input.columns, rows))),
    rulesSkipped: [...rulesSkipped.entries()]
      .filter(([, skipped]) => skipped.personas === personas.length)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rule, skipped]) => ({ rule, missing: skipped.missing })),
    pca,
    kSelection: input.kSelection ?? null,
    migration: input.previous?.migration ?? null,
    lifecycleTransitions: input.previous?.lifecycleTransitions ?? null,
    previousRun: input.previous
      ? { asOf: input.previous.document.run.asOf, runId: input.previous.document.run.runId ?? null, retired }
      : null,
  };
}
