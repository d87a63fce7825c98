import type { FeatureSpec } from '../features/types.js';
import { valueWord } from './vocabulary.js';
import { formatDays, formatExpectedCount, formatFeatureValue, formatMoney, formatNumber, formatRatio, formatShare } from './format.js';
import type { Lang, Localized, Persona, TimingFigures, Trait, ValueFigures } from './types.js';

export type PersonaDraft = Omit<Persona, 'narrative' | 'tagline'>;

export interface NarrativeContext {
  readonly specs: ReadonlyMap<string, FeatureSpec>;
  readonly currency?: string;
  /** Every customer's figures: the "overall" of every comparison (the same numbers as the report's). */
  readonly population: { readonly value: ValueFigures; readonly timing: TimingFigures | null };
  /** Whether each persona is seasonal (its name's season word is backed), by persona id. */
  readonly seasonal: ReadonlySet<string>;
}

const LIFECYCLE_WORDS: Record<string, Localized> = {
  prospect: { en: 'prospects', fr: 'prospects' },
  new: { en: 'new', fr: 'nouveaux' },
  active: { en: 'active', fr: 'actifs' },
  due: { en: 'due to buy', fr: 'à échéance' },
  at_risk: { en: 'at risk', fr: 'à risque' },
  lapsed: { en: 'lapsed', fr: 'inactifs' },
  win_back: { en: 'to win back', fr: 'à reconquérir' },
  reactivated: { en: 'reactivated', fr: 'réactivés' },
};

export function lifecycleWord(segment: string, lang: Lang): string {
  return LIFECYCLE_WORDS[segment]?.[lang] ?? segment.replace(/_/g, ' ');
}

function labelOf(trait: Trait, ctx: NarrativeContext, lang: Lang): string {
  return ctx.specs.get(trait.feature)?.label[lang] ?? trait.feature;
}

/** A trait's value in its feature's unit (see formatFeatureValue). */
function valueText(x: number, trait: Trait, ctx: NarrativeContext, lang: Lang): string {
  return formatFeatureValue(x, ctx.specs.get(trait.feature), lang, ctx.currency);
}

/** One trait as a phrase with its numbers, e.g. "orders in the last year above average (6.2 vs 2.1)". */
export function traitPhrase(trait: Trait, ctx: NarrativeContext, lang: Lang): string {
  const label = labelOf(trait, ctx, lang);
  if (trait.level === null) {
    const a = valueText(trait.personaValue, trait, ctx, lang);
    const b = valueText(trait.populationValue, trait, ctx, lang);
    if (lang === 'fr') return `${label} ${trait.direction === 'higher' ? 'au-dessus' : 'en dessous'} de la moyenne (${a} contre ${b})`;
    return `${label} ${trait.direction === 'higher' ? 'above' : 'below'} average (${a} vs ${b})`;
  }
  const p = formatShare(trait.personaValue, lang);
  const p0 = formatShare(trait.populationValue, lang);
  if (trait.kind === 'boolean') return lang === 'fr' ? `${label} : ${p} (contre ${p0})` : `${label}: ${p} (vs ${p0})`;
  return lang === 'fr' ? `${label} « ${valueWord(trait.level, lang)} » pour ${p} (contre ${p0})` : `${label} “${valueWord(trait.level, lang)}” for ${p} (vs ${p0})`;
}

function shortTraitPhrase(trait: Trait, ctx: NarrativeContext, lang: Lang): string {
  const label = labelOf(trait, ctx, lang);
  if (trait.level === null) {
    const ratio = ctx.specs.get(trait.feature)?.signed ? '' : formatRatio(trait.personaValue, trait.populationValue, lang);
    if (ratio) return `${label} ${ratio}`;
    const a = valueText(trait.personaValue, trait, ctx, lang);
    const b = valueText(trait.populationValue, trait, ctx, lang);
    return lang === 'fr' ? `${label} ${a} (contre ${b})` : `${label} ${a} (vs ${b})`;
  }
  return trait.kind === 'boolean' ? `${label} ${formatShare(trait.personaValue, lang)}` : `${valueWord(trait.level, lang)} ${formatShare(trait.personaValue, lang)}`;
}

export function tagline(persona: PersonaDraft, ctx: NarrativeContext, lang: Lang): string {
  const base =
    lang === 'fr'
      ? `${formatShare(persona.shareOfCustomers, lang)} des clients, ${formatShare(persona.shareOfRevenue, lang)} du chiffre d’affaires`
      : `${formatShare(persona.shareOfCustomers, lang)} of customers, ${formatShare(persona.shareOfRevenue, lang)} of revenue`;
  const top = persona.topTraits.slice(0, 2).map((i) => shortTraitPhrase(persona.traits[i] as Trait, ctx, lang));
  return top.length > 0 ? `${base} · ${top.join(' · ')}` : base;
}

/** The narrative paragraph: each claim carries the number that backs it. */
export function narrative(persona: PersonaDraft, ctx: NarrativeContext, lang: Lang): string {
  const fr = lang === 'fr';
  const sentences: string[] = [];
  const name = persona.name[lang];
  const aov = persona.value.averageOrderValue;
  const baseAov = ctx.population.value.averageOrderValue;
  const aovText =
    aov !== null && baseAov !== null
      ? fr
        ? `, avec un panier moyen de ${formatMoney(aov, lang, ctx.currency)} (${formatMoney(baseAov, lang, ctx.currency)} pour l’ensemble)`
        : `, with an average order value of ${formatMoney(aov, lang, ctx.currency)} (${formatMoney(baseAov, lang, ctx.currency)} overall)`
      : '';
  sentences.push(
    fr
      ? `${name} (${persona.id}) rassemble ${formatNumber(persona.size, lang, 0)} clients (${formatShare(persona.shareOfCustomers, lang)} de la base) qui apportent ${formatShare(persona.shareOfRevenue, lang)} du chiffre d’affaires${aovText}.`
      : `${name} (${persona.id}) gathers ${formatNumber(persona.size, lang, 0)} customers (${formatShare(persona.shareOfCustomers, lang)} of the base) who bring ${formatShare(persona.shareOfRevenue, lang)} of revenue${aovText}.`,
  );
  const top = persona.topTraits.map((i) => traitPhrase(persona.traits[i] as Trait, ctx, lang));
  if (top.length > 0) {
    sentences.push(fr ? `Ce qui les distingue : ${top.join(' ; ')}.` : `What sets them apart: ${top.join('; ')}.`);
  } else {
    sentences.push(fr ? 'Aucun trait ne les distingue nettement de l’ensemble des clients (0 trait significatif d’effet au moins faible).' : 'No trait sets them clearly apart from the customer base (0 significant traits of at least a small effect).');
  }
  const timing = persona.timing;
  if (timing && timing.expectedShareBuy30 !== null) {
    const pop = ctx.population.timing?.expectedShareBuy30 ?? null;
    const popText = pop === null ? '' : fr ? ` (${formatShare(pop, lang)} pour l’ensemble)` : ` (${formatShare(pop, lang)} overall)`;
    const clauses = [
      fr
        ? `Environ ${formatExpectedCount(timing.expectedBuyers30, lang)} d’entre eux (${formatShare(timing.expectedShareBuy30, lang)}) devraient acheter sous 30 jours${popText}`
        : `About ${formatExpectedCount(timing.expectedBuyers30, lang)} of them (${formatShare(timing.expectedShareBuy30, lang)}) are expected to buy within 30 days${popText}`,
    ];
    if (timing.medianNextPurchaseDays !== null)
      clauses.push(fr ? `leur prochain achat est attendu dans ${formatDays(timing.medianNextPurchaseDays, lang)} (médiane)` : `their next purchase is expected in ${formatDays(timing.medianNextPurchaseDays, lang)} (median)`);
    if (timing.meanPAlive !== null)
      clauses.push(fr ? `leur probabilité moyenne d’être encore clients est de ${formatNumber(timing.meanPAlive, lang, 2)}` : `their mean probability of still being customers is ${formatNumber(timing.meanPAlive, lang, 2)}`);
    sentences.push(`${clauses.join(fr ? ' ; ' : '; ')}.`);
  }
  const season = persona.value.novDecSpendShare;
  const baseSeason = ctx.population.value.novDecSpendShare;
  if (ctx.seasonal.has(persona.id) && season !== null && baseSeason !== null) {
    sentences.push(
      fr
        ? `En moyenne, ${formatShare(season, lang)} de leur dépense tombe en novembre–décembre (${formatShare(baseSeason, lang)} pour l’ensemble).`
        : `On average ${formatShare(season, lang)} of their spend falls in November–December (${formatShare(baseSeason, lang)} overall).`,
    );
  }
  if (persona.lifecycle && persona.lifecycle.mix.length > 0) {
    const mix = persona.lifecycle.mix
      .slice()
      .sort((a, b) => b.share - a.share)
      .slice(0, 3)
      .map((m) => `${formatShare(m.share, lang)} ${lifecycleWord(m.segment, lang)}`);
    sentences.push(
      fr
        ? `Cycle de vie : ${mix.join(', ')} ; ${formatShare(persona.lifecycle.vipShare, lang)} de VIP.`
        : `Lifecycle: ${mix.join(', ')}; ${formatShare(persona.lifecycle.vipShare, lang)} VIP.`,
    );
  }
  const notable = persona.declaredVsObserved.filter((d) => d.verdict !== 'neutral').slice(0, 2);
  for (const d of notable) sentences.push(`${fr ? 'Déclaré et observé :' : 'Declared vs observed:'} ${d.explanation[lang]}.`);
  const r = persona.reachability;
  sentences.push(
    r === null
      ? fr
        ? 'Les données ne contiennent aucun consentement : on ne sait pas qui peut être contacté.'
        : 'The data holds no consent records: who can be contacted is not known.'
      : fr
        ? `${formatShare(r.emailConsentShare, lang)} peuvent être contactés par e-mail et ${formatShare(r.smsConsentShare, lang)} par SMS.`
        : `${formatShare(r.emailConsentShare, lang)} can be reached by email and ${formatShare(r.smsConsentShare, lang)} by SMS.`,
  );
  return sentences.join(' ');
}
