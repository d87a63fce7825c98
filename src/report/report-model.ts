import { FIGURE_DEFINITIONS } from '../personas/figures.js';
import {
  formatFeatureValue,
  formatDate,
  formatDays,
  formatExpectedCount,
  formatMoney,
  formatNumber,
  formatPoints,
  formatShare,
} from '../personas/format.js';
import { lifecycleWord } from '../personas/narrative.js';
import { PLAYBOOK } from '../personas/playbook.js';
import { valueWord } from '../personas/vocabulary.js';
import type { Lang, Persona, PersonaDocument, Trait } from '../personas/types.js';
import { explainKChoice } from './explain-k.js';
import { trustItems } from './model-trust.js';
import type { CampaignSectionData } from './campaign-section.js';
import { familyLabel, t, tc } from './messages.js';
import { warningText } from './warning-text.js';

/**
 * The report's content as plain text structures, rendered by both the HTML and the Markdown writers so
 * the two always say the same thing.
 */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The definition (a key of ReportModel.definitions) of each column's figure, when it has one. */
  readonly definitions?: readonly (string | undefined)[];
}

/** A label, its value, and the key of the figure's definition (ReportModel.definitions) when it has one. */
export type Metric = readonly [label: string, value: string, definition?: string];

/** What a figure of the report means: shown as a tooltip and a link next to the figure, and in a glossary. */
export interface Definition {
  readonly key: string;
  readonly term: string;
  readonly text: string;
}

export interface Item {
  readonly label: string;
  readonly text: string;
  /** A tag shown next to the label (agreement/contradiction, rule id…). */
  readonly tag?: string;
}

export interface PersonaSection {
  readonly id: string;
  readonly heading: string;
  readonly tagline: string;
  readonly metrics: readonly Metric[];
  readonly narrative: string;
  readonly traits: Table | null;
  readonly declared: readonly Item[];
  readonly actions: readonly Item[];
  readonly lifecycle: string | null;
  readonly reach: readonly (readonly [string, string])[];
  /** The persona's audience lists, one line per channel with its file and counts; null when none were exported. */
  readonly audiences: readonly string[] | null;
  readonly tracking: readonly string[] | null;
  readonly absorbed: string | null;
}

export interface ReportModel {
  readonly lang: Lang;
  readonly title: string;
  /** What the data is (orders only, consented zero- and first-party data…), under the title. */
  readonly subtitle: string;
  readonly meta: readonly (readonly [string, string])[];
  readonly privacy: string;
  readonly glance: Table;
  readonly notices: readonly { readonly title: string; readonly items: readonly string[] }[];
  readonly personas: readonly PersonaSection[];
  readonly method: readonly string[];
  readonly playbook: Table;
  readonly glossary: Table;
  readonly definitions: readonly Definition[];
}

/** "Label: text" in English, "Label : text" in French (a space before the colon). */
export function labelled(label: string, lang: Lang, text: string): string {
  return `${label}${lang === 'fr' ? '\u00a0:' : ':'} ${text}`;
}

function orDash<T>(value: T | null | undefined, format: (v: T) => string): string {
  return value === null || value === undefined ? '–' : format(value);
}

function traitName(doc: PersonaDocument, trait: Trait, lang: Lang): string {
  const label = doc.features.find((f) => f.name === trait.feature)?.label[lang] ?? trait.feature;
  return trait.level !== null && trait.kind === 'categorical' ? labelled(label, lang, valueWord(trait.level, lang)) : label;
}

function traitValue(doc: PersonaDocument, trait: Trait, value: number, lang: Lang): string {
  if (trait.level !== null) return formatShare(value, lang);
  return formatFeatureValue(value, doc.features.find((f) => f.name === trait.feature), lang, doc.run.currency);
}

function formatP(p: number, lang: Lang): string {
  if (p < 0.0001) return lang === 'fr' ? '< 0,0001' : '< 0.0001';
  return formatNumber(p, lang, p < 0.01 ? 4 : 3);
}

function traitsTable(doc: PersonaDocument, persona: Persona, lang: Lang): Table | null {
  if (persona.topTraits.length === 0) return null;
  return {
    headers: [
      t('trait', lang),
      t('thisPersona', lang),
      t('everyone', lang),
      t('effect', lang),
      t('adjustedP', lang),
      t('source', lang),
    ],
    rows: persona.topTraits.map((i) => {
      const trait = persona.traits[i] as Trait;
      return [
        traitName(doc, trait, lang),
        traitValue(doc, trait, trait.personaValue, lang),
        traitValue(doc, trait, trait.populationValue, lang),
        `${trait.effect >= 0 ? '+' : '−'}${formatNumber(Math.abs(trait.effect), lang, 2)}`,
        formatP(trait.adjustedP, lang),
        trait.source === 'zero-party' ? t('declaredSource', lang) : t('observedSource', lang),
      ];
    }),
  };
}

function trackingLines(doc: PersonaDocument, persona: Persona, lang: Lang): string[] | null {
  const tr = persona.tracking;
  if (!tr) return null;
  if (tr.status === 'new') return [t('newPersona', lang)];
  const lines: string[] = [];
  if (tr.previousSize !== null && tr.sizeChange !== null) {
    const sign = tr.sizeChange >= 0 ? '+' : '−';
    lines.push(
      labelled(
        t('sizeChange', lang),
        lang,
        `${formatNumber(tr.previousSize, lang, 0)} → ${formatNumber(persona.size, lang, 0)} (${sign}${formatNumber(Math.abs(tr.sizeChange), lang, 0)}, ${formatPoints(tr.shareChange ?? 0, lang)})`,
      ),
    );
  }
  if (tr.retained !== null) lines.push(labelled(t('retained', lang), lang, formatShare(tr.retained, lang)));
  if (tr.inflow.length > 0)
    lines.push(
      labelled(
        t('cameFrom', lang),
        lang,
        tr.inflow
          .slice(0, 4)
          .map((f) => `${f.from} (${formatNumber(f.count, lang, 0)})`)
          .join(', '),
      ),
    );
  if (tr.outflow.length > 0)
    lines.push(
      labelled(
        t('leftTo', lang),
        lang,
        tr.outflow
          .slice(0, 4)
          .map((f) => `${f.to} (${formatNumber(f.count, lang, 0)})`)
          .join(', '),
      ),
    );
  if (tr.traitChanges.length > 0) {
    const changes = tr.traitChanges.slice(0, 4).map((c) => {
      const label = doc.features.find((f) => f.name === c.feature)?.label[lang] ?? c.feature;
      const name = c.level !== null ? labelled(label, lang, valueWord(c.level, lang)) : label;
      return `${name} ${formatNumber(c.previousEffect, lang, 2)} → ${formatNumber(c.effect, lang, 2)}`;
    });
    lines.push(labelled(t('traitChanges', lang), lang, changes.join(lang === 'fr' ? ' ; ' : '; ')));
  }
  return lines;
}

function personaSection(doc: PersonaDocument, persona: Persona, lang: Lang): PersonaSection {
  const currency = doc.run.currency;
  const metrics: Metric[] = [
    [t('size', lang), formatNumber(persona.size, lang, 0)],
    [t('shareCustomers', lang), formatShare(persona.shareOfCustomers, lang)],
    [t('shareRevenue', lang), formatShare(persona.shareOfRevenue, lang)],
    [t('aov', lang), orDash(persona.value.averageOrderValue, (v) => formatMoney(v, lang, currency)), 'averageOrderValue'],
  ];
  if (persona.value.meanClv !== null)
    metrics.push([t('clv', lang), formatMoney(persona.value.meanClv, lang, currency), 'meanClv']);
  if (persona.timing) {
    metrics.push([
      t('nextPurchase', lang),
      orDash(persona.timing.medianNextPurchaseDays, (v) => formatDays(v, lang)),
      'medianNextPurchaseDays',
    ]);
    metrics.push([t('expectedBuyers30', lang), expectedBuyers(persona.timing, lang), 'expectedBuyers30']);
    metrics.push([t('pAlive', lang), orDash(persona.timing.meanPAlive, (v) => formatNumber(v, lang, 2)), 'meanPAlive']);
  }
  return {
    id: persona.id,
    heading: `${persona.id} · ${persona.name[lang]}`,
    tagline: persona.tagline[lang],
    metrics,
    narrative: persona.narrative[lang],
    traits: traitsTable(doc, persona, lang),
    declared: declaredItems(persona, lang),
    actions: actionItems(persona, lang),
    lifecycle: lifecycleLine(persona, lang),
    reach: reachLines(persona, lang),
    audiences: audienceLines(doc, persona, lang),
    tracking: trackingLines(doc, persona, lang),
    absorbed: absorbedLine(persona, lang),
  };
}

function reachLines(persona: Persona, lang: Lang): [string, string][] {
  const r = persona.reachability;
  if (r === null) return [[t('reachability', lang), t('reachUnknown', lang)]];
  const reach: [string, string][] = [
    [t('emailConsent', lang), formatShare(r.emailConsentShare, lang)],
    [t('smsConsent', lang), formatShare(r.smsConsentShare, lang)],
    [t('reachable', lang), formatShare(r.reachableShare, lang)],
  ];
  if (r.emailEngagement !== null)
    reach.push([t('emailEngagement', lang), formatShare(r.emailEngagement, lang)]);
  if (r.smsEngagement !== null) reach.push([t('smsEngagement', lang), formatShare(r.smsEngagement, lang)]);
  if (r.preferredChannel)
    reach.push([
      t('preferredChannel', lang),
      `${valueWord(r.preferredChannel.value, lang)} (${formatShare(r.preferredChannel.share, lang)})`,
    ]);
  if (r.bestChannel)
    reach.push([
      t('bestChannel', lang),
      valueWord(r.bestChannel, lang),
    ]);
  return reach;
}

/** A count in an audience line: below the report's minimum group size it is not printed exactly. */
function audienceCount(n: number, doc: PersonaDocument, lang: Lang): string {
  return n > 0 && n < doc.settings.minSize ? t('fewerThan', lang, { n: doc.settings.minSize }) : formatNumber(n, lang, 0);
}

function audienceLines(doc: PersonaDocument, persona: Persona, lang: Lang): string[] | null {
  const lists = (doc.audiences ?? []).filter((a) => a.persona === persona.id);
  if (lists.length === 0) return null;
  const noConsentData = doc.population.emailConsentShare === null;
  return lists.map((a) => {
    const channel = valueWord(a.channel, lang);
    const why = noConsentData
      ? t('audienceNoConsentData', lang)
      : (
          [
            [a.leftOut.noConsent, 'audienceNoConsent'],
            [a.leftOut.missingContact, 'audienceNoAddress'],
            [a.leftOut.suppressed, 'audienceSuppressed'],
            [a.leftOut.erased, 'audienceErased'],
          ] as const
        )
          .filter(([n]) => n > 0)
          .map(([n, key]) => t(key, lang, { n: audienceCount(n, doc, lang), channel }))
          .join(', ');
    return t('audienceLine', lang, {
      channel,
      included: audienceCount(a.included, doc, lang),
      file: a.file,
      candidates: formatNumber(a.candidates, lang, 0),
      why: why === '' ? t('audienceAll', lang) : why,
    });
  });
}

function declaredItems(persona: Persona, lang: Lang): Item[] {
  return persona.declaredVsObserved
    .filter((d) => d.verdict !== 'neutral')
    .map((d) => ({ label: t(d.verdict, lang), tag: d.verdict, text: d.explanation[lang] }));
}

function actionItems(persona: Persona, lang: Lang): Item[] {
  return persona.actions.map((a) => ({ label: a.title[lang], tag: a.rule, text: a.reason[lang] }));
}

function lifecycleLine(persona: Persona, lang: Lang): string | null {
  return persona.lifecycle
    ? `${persona.lifecycle.mix.map((m) => `${lifecycleWord(m.segment, lang)} ${formatShare(m.share, lang)}`).join(' · ')} · VIP ${formatShare(persona.lifecycle.vipShare, lang)}`
    : null;
}

function absorbedLine(persona: Persona, lang: Lang): string | null {
  return persona.absorbed.length > 0 ? labelled(t('absorbed', lang), lang, persona.absorbed.join(', ')) : null;
}

/** "A, B and C" / "A, B et C". */
function listInWords(items: readonly string[], lang: Lang): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')}${t('and', lang)}${items[items.length - 1] as string}` : (items[0] ?? '');
}

/** "57 (9.6%)": expected buyers within 30 days and their share of the customers scored. */
export function expectedBuyers(timing: NonNullable<Persona['timing']>, lang: Lang): string {
  const share = timing.expectedShareBuy30;
  return share === null ? '–' : `${formatExpectedCount(timing.expectedBuyers30, lang)} (${formatShare(share, lang)})`;
}

/** What the data is, from the tables the run read and its lawful basis. */
function subtitle(doc: PersonaDocument, lang: Lang): string {
  const tables = doc.run.tables;
  if (!tables) return t(doc.run.consentBasis === 'consent' ? 'subtitle' : 'subtitleLegitimate', lang);
  const has = (table: string): boolean => tables.includes(table);
  if (!has('customers') && !has('events') && !has('zero_party') && !has('consent')) return t('subtitleOrdersOnly', lang);
  const parts = [t('dataOrders', lang)];
  if (has('customers')) parts.push(t('dataCustomers', lang));
  if (has('events')) parts.push(t('dataEvents', lang));
  if (has('zero_party')) parts.push(t('dataDeclared', lang));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')}${t('and', lang)}${parts[parts.length - 1] as string}` : (parts[0] as string);
  if (doc.run.consentBasis === 'consent') return t('subtitleConsented', lang, { data: list });
  return t(has('consent') ? 'subtitleLegitimateWith' : 'subtitleLegitimateWithout', lang, { data: list });
}

/** A persona document, with the campaign section's figures when the run measured campaigns (personas.json). */
export type ReportInput = PersonaDocument & { readonly campaignSection?: CampaignSectionData };

export function buildReportModel(doc: ReportInput, lang: Lang): ReportModel {
  const currency = doc.run.currency;
  const meta: [string, string][] = [
    [t('asOf', lang), formatDate(doc.run.asOf, lang)],
    [
      t('customers', lang).replace(/^./, (c) => c.toUpperCase()),
      formatNumber(doc.population.customers, lang, 0),
    ],
    [
      t('consentBasis', lang),
      doc.run.consentBasis === 'consent' ? t('basisConsent', lang) : t('basisLegitimate', lang),
    ],
    [t('featureFamilies', lang), doc.run.featureFamilies.map((f) => familyLabel(f, lang)).join(', ')],
  ];
  if (doc.run.runId) meta.splice(1, 0, [t('run', lang), doc.run.runId]);
  if (doc.previousRun) meta.push([t('previousRun', lang), formatDate(doc.previousRun.asOf, lang)]);
  const glance: Table = {
    headers: [
      t('persona', lang),
      t('size', lang),
      t('shareCustomers', lang),
      t('shareRevenue', lang),
      t('aov', lang),
      t('expectedBuyers30', lang),
      t('firstAction', lang),
    ],
    rows: doc.personas.map((p) => [
      `${p.id} · ${p.name[lang]}`,
      formatNumber(p.size, lang, 0),
      formatShare(p.shareOfCustomers, lang),
      formatShare(p.shareOfRevenue, lang),
      orDash(p.value.averageOrderValue, (v) => formatMoney(v, lang, currency)),
      p.timing ? expectedBuyers(p.timing, lang) : '–',
      p.actions[0]?.title[lang] ?? '–',
    ]),
    definitions: [undefined, undefined, undefined, undefined, 'averageOrderValue', 'expectedBuyers30', undefined],
  };
  const notices: { title: string; items: string[] }[] = [];
  const warnings = doc.run.warnings.map((w) => ({ text: w, shown: warningText(w, lang) }));
  const translated = warnings.flatMap((w) => (w.shown === undefined ? [] : [w.shown]));
  const untranslated = warnings.flatMap((w) => (w.shown === undefined ? [w.text] : []));
  if (translated.length > 0) notices.push({ title: t('warnings', lang), items: translated });
  if (untranslated.length > 0) notices.push({ title: t('warningsUntranslated', lang), items: untranslated });
  if (doc.run.modelTrust) notices.push({ title: t('trustTitle', lang), items: trustItems(doc.run.modelTrust, lang) });
  if (doc.run.drift) {
    notices.push({
      title: t('drift', lang),
      items:
        doc.run.drift.length === 0
          ? [t('driftNone', lang)]
          : doc.run.drift.map(
              (d) =>
                `${d.label[lang]}: PSI ${formatNumber(d.psi, lang, 2)} (${t(d.level === 'major' ? 'driftMajor' : 'driftModerate', lang)})`,
            ),
    });
  }
  if (doc.smallPersonas.length > 0) {
    notices.push({
      title: t('smallPersonas', lang),
      items: doc.smallPersonas.map(
        (s) =>
          `${s.id} ${t(s.action === 'merged' ? 'smallMerged' : 'smallSuppressed', lang, { size: formatNumber(s.size, lang, 0), min: doc.settings.minSize, into: s.into ?? '' })}`,
      ),
    });
  }
  notices.push({
    title: t('suggestions', lang),
    items:
      doc.suggestions.length > 0
        ? doc.suggestions.map((s) =>
            labelled(
              `${t(s.kind === 'merge' ? 'suggestMerge' : 'suggestSplit', lang)} ${listInWords(
                s.personas.map((id) => `${id} (${doc.personas.find((p) => p.id === id)?.name[lang] ?? id})`),
                lang,
              )}`,
              lang,
              s.reason[lang],
            ),
          )
        : [
            // Merge and split suggestions from campaign results concern the personas too: "none" alone would deny them.
            (doc.campaignSection?.kpis?.suggestions ?? []).some((c) => c.kind === 'merge' || c.kind === 'split')
              ? t('noSuggestionsButCampaigns', lang, { section: tc('campaignsSuggestions', lang) })
              : t('noSuggestions', lang),
          ],
  });
  if (doc.previousRun && doc.previousRun.retired.length > 0)
    notices.push({ title: t('retired', lang), items: [doc.previousRun.retired.join(', ')] });
  const tests = doc.personas.reduce((s, p) => s + p.traits.length, 0);
  const method = [
    t('methodTraits', lang, {
      correction: t(doc.settings.correction, lang),
      tests: formatNumber(tests, lang, 0),
      alpha: formatNumber(doc.settings.alpha, lang, 3),
      minEffect: formatNumber(doc.settings.minEffect, lang, 2),
    }),
    t('methodMinSize', lang, {
      min: doc.settings.minSize,
      policy: t(doc.settings.smallPersonas === 'merge' ? 'policyMerge' : 'policySuppress', lang),
    }),
  ];
  if (doc.kSelection)
    method.push(t('methodK', lang, { rule: explainKChoice(doc.kSelection, lang), k: doc.kSelection.chosenK }));
  if (doc.rulesSkipped.length > 0)
    method.push(
      labelled(
        t('skippedRules', lang),
        lang,
        doc.rulesSkipped.map((r) => `${r.rule} (${r.missing})`).join(lang === 'fr' ? ' ; ' : '; '),
      ),
    );
  return {
    lang,
    title: t('title', lang),
    subtitle: subtitle(doc, lang),
    meta,
    privacy: t('privacy', lang, { min: doc.settings.minSize }),
    glance,
    notices,
    personas: doc.personas.map((p) => personaSection(doc, p, lang)),
    method,
    playbook: {
      headers: [t('rule', lang), t('condition', lang)],
      rows: PLAYBOOK.map((rule) => [rule.id, rule.condition[lang]]),
    },
    definitions: Object.entries(FIGURE_DEFINITIONS).map(([key, d]) => ({ key, term: d.label[lang], text: d.definition[lang] })),
    glossary: {
      headers: [t('feature', lang), t('description', lang), t('source', lang)],
      rows: doc.features.map((f) => [
        f.label[lang],
        f.description[lang],
        f.source === 'zero-party' ? t('zeroParty', lang) : t('firstParty', lang),
      ]),
    },
  };
}
