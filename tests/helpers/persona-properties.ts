// The rules every persona document must keep, checked on personas.json alone (and the report built from it).
// Each rule is re-derived here from the document's own figures, independently of the code that wrote them;
// only the naming thresholds come from the naming code (NAME_WORDS: the definition the rule refers to).
import { NAME_WORDS, type Backing } from '../../src/personas/naming.js';
import type { Lang, Persona, PersonaDocument, ValueFigures } from '../../src/personas/types.js';
import { queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import { buildReportModel } from '../../src/report/report-model.js';

const LANGS: readonly Lang[] = ['en', 'fr'];
const LOCALES: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR' };

/** Verbs an action may start with (English, French): an action is something to do. */
const VERBS: Record<Lang, RegExp> = {
  en: /^(Invite|Start|Switch on|Send|Ask)\s/,
  fr: /^(Les inviter|Lancer|Activer|Envoyer|Demander)\s/,
};

/** The features whose trait is a figure of the document (figures.ts), and which figure. */
const FIGURE_FEATURES: Readonly<Record<string, keyof ValueFigures>> = {
  average_order_value: 'averageOrderValue',
  monetary_total: 'revenuePerCustomer',
  orders_count: 'ordersPerCustomer',
  share_spend_nov_dec: 'novDecSpendShare',
};

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The day in words as the report writes it ("1 November 2026", "1er novembre 2026"). */
function dayInWords(iso: string, lang: Lang): string {
  const date = new Date(`${iso}T00:00:00Z`);
  const text = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  return lang === 'fr' && date.getUTCDate() === 1 ? text.replace(/^1 /, '1er ') : text;
}

function containsWords(text: string, phrase: string): boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\-’'])${escaped}($|[^\\p{L}\\-’'])`, 'u').test(text);
}

function lifecycleShare(mix: readonly { segment: string; share: number }[] | null | undefined, segments: readonly string[]): number | null {
  if (!mix) return null;
  return mix.filter((m) => segments.includes(m.segment)).reduce((s, m) => s + m.share, 0);
}

/** Whether one condition of a name word holds for the persona against everyone, from personas.json. */
function holds(b: Backing, persona: Persona, doc: PersonaDocument): boolean {
  const base = doc.population.value;
  if (b.kind === 'ratio') {
    const p = persona.value[b.figure];
    const q = base[b.figure];
    if (p === null || q === null || !(q > 0)) return false;
    return (b.atLeast === undefined || p / q >= b.atLeast) && (b.atMost === undefined || p / q <= b.atMost);
  }
  if (b.kind === 'share') {
    const p = persona.value[b.figure];
    const q = base[b.figure];
    return p !== null && q !== null && p >= b.atLeast && p >= b.timesBase * q;
  }
  if (b.kind === 'level') {
    const p = persona.value[b.figure];
    return p !== null && p >= b.atLeast;
  }
  const p = lifecycleShare(persona.lifecycle?.mix, b.segments);
  const q = lifecycleShare(doc.population.lifecycle, b.segments);
  return p !== null && q !== null && p >= b.atLeast && p >= b.timesBase * q;
}

/** Shares of one kind (category, brand, channel) a persona's traits give, summed. */
function shareSum(traits: readonly { feature: string; level: string | null; personaValue: number; populationValue: number }[], kind: string, side: 'personaValue' | 'populationValue'): number {
  return traits.filter((t) => t.level === null && t.feature.startsWith(`share_${kind}_`)).reduce((s, t) => s + t[side], 0);
}

/**
 * English words of the data catalogue (categories, channels, declared answers, devices) that are not French: the
 * French report writes them in French ("jouets", "classique", "e-mail"), never as the data spells them.
 */
const ENGLISH_DATA_WORDS = [
  'apparel', 'shoes', 'accessories', 'beauty', 'home', 'electronics', 'toys', 'books',
  'classic', 'trendy', 'sporty', 'bohemian', 'practical', 'deals', 'gifts', 'essentials', 'treat myself', 'new arrivals',
  'female', 'male', 'low', 'medium', 'high', 'store', 'marketplace', 'desktop', 'tablet', 'none', 'app', 'email',
];

export interface Violation {
  readonly rule: 'shares' | 'names' | 'dates' | 'figures' | 'lapsed' | 'french';
  readonly message: string;
}

/** Every broken rule of the document, as readable messages (none = the document keeps every rule). */
export function personaViolations(doc: PersonaDocument): Violation[] {
  const out: Violation[] = [];
  const say = (rule: Violation['rule'], message: string): void => {
    out.push({ rule, message });
  };
  const asOf = doc.run.asOf;

  for (const p of doc.personas) {
    // 1. Shares of spend by category, brand and channel add up to at most 100%.
    for (const kind of ['category', 'brand', 'channel'])
      for (const side of ['personaValue', 'populationValue'] as const) {
        const sum = shareSum(p.traits, kind, side);
        if (sum > 1 + 1e-9) say('shares', `${p.id}: ${kind} shares (${side}) add up to ${(sum * 100).toFixed(1)}%`);
      }

    // 2. Every value, frequency, activity, tenure and season word of the name is backed by the persona's figures.
    for (const word of NAME_WORDS) {
      const phrases = [word.adjective, word.noun].filter((x) => x !== undefined);
      const inName = LANGS.some((l) => phrases.some((ph) => containsWords(p.name[l], ph[l])));
      if (!inName) continue;
      const failed = word.backing.filter((b) => !holds(b, p, doc));
      if (failed.length > 0) say('names', `${p.id} "${p.name.en}" / "${p.name.fr}": "${word.id}" is not backed (${failed.map((b) => JSON.stringify(b)).join(', ')})`);
    }

    // 3. Every action is a verb with a date after the as-of date.
    for (const a of p.actions) {
      if (!(a.date > asOf)) say('dates', `${p.id} ${a.rule}: dated ${a.date}, not after the as-of date ${asOf}`);
      if (!(a.sendInDays >= 1) || addDays(asOf, a.sendInDays) !== a.date) say('dates', `${p.id} ${a.rule}: ${a.sendInDays} days after ${asOf} is not ${a.date}`);
      for (const l of LANGS) {
        if (!VERBS[l].test(a.title[l])) say('dates', `${p.id} ${a.rule}: "${a.title[l]}" does not start with a verb`);
        if (!a.title[l].includes(dayInWords(a.date, l))) say('dates', `${p.id} ${a.rule}: "${a.title[l]}" does not say its date ${a.date}`);
      }
    }

    // 4. A figure is one number: the traits of figure features show the persona's and everyone's figures.
    for (const [feature, figure] of Object.entries(FIGURE_FEATURES)) {
      const trait = p.traits.find((t) => t.feature === feature && t.level === null);
      if (!trait) continue;
      if (trait.personaValue !== p.value[figure]) say('figures', `${p.id} ${feature}: trait ${trait.personaValue} vs figure ${String(p.value[figure])}`);
      if (trait.populationValue !== doc.population.value[figure]) say('figures', `${p.id} ${feature}: everyone's trait value ${trait.populationValue} vs figure ${String(doc.population.value[figure])}`);
    }
  }

  // 4b. Everyone's value of a feature is the same number in every persona.
  const everyone = new Map<string, number>();
  for (const p of doc.personas)
    for (const t of p.traits) {
      const key = `${t.feature}|${t.level ?? ''}`;
      const seen = everyone.get(key);
      if (seen === undefined) everyone.set(key, t.populationValue);
      else if (seen !== t.populationValue) say('figures', `${key}: everyone's value is ${seen} in one persona and ${t.populationValue} in ${p.id}`);
    }

  // 4c. The report says each figure the same way everywhere: tiles, the table at a glance, traits tables,
  // narratives ("overall").
  for (const lang of LANGS) {
    const model = buildReportModel(doc, lang);
    const aovLabel = model.glance.headers[4] as string;
    model.personas.forEach((section, i) => {
      const persona = doc.personas[i] as Persona;
      const tile = section.metrics.find(([label]) => label === aovLabel)?.[1];
      const glance = model.glance.rows[i]?.[4];
      if (tile !== glance) say('figures', `${persona.id} ${lang}: average order value ${String(tile)} in the tile, ${String(glance)} at a glance`);
      const aovRow = section.traits?.rows.find((row) => row[0] === doc.features.find((f) => f.name === 'average_order_value')?.label[lang]);
      if (aovRow && aovRow[1] !== tile) say('figures', `${persona.id} ${lang}: average order value ${String(tile)} in the tile, ${String(aovRow[1])} in the traits table`);
      const overall = overallIn(doc, lang, OVERALL.aov[lang]);
      if (aovRow && overall.length === 1 && aovRow[2] !== overall[0]) say('figures', `${persona.id} ${lang}: everyone's average order value ${String(aovRow[2])} in the traits table, ${String(overall[0])} in the narratives`);
      if (tile && tile !== '–' && !section.narrative.includes(tile)) say('figures', `${persona.id} ${lang}: the narrative does not give the tile's average order value ${tile}`);
    });
    for (const [figure, patterns] of Object.entries(OVERALL)) {
      const values = overallIn(doc, lang, patterns[lang]);
      if (values.length > 1) say('figures', `${lang}: the narratives give everyone's ${figure} as ${values.join(' and ')}`);
    }
  }

  // 6. Every word of the French report is French: no data value left in English, one spelling of e-mail, dates
  // and numbers in the French locale.
  const fr = buildReportModel(doc, 'fr');
  const texts: [string, string][] = [
    ['subtitle', fr.subtitle],
    // The run id is a name (it may hold a date as the scheduler wrote it).
    ...fr.meta.filter(([, v]) => v !== doc.run.runId).map(([k, v]): [string, string] => [k, v]),
    ...fr.glance.rows.flatMap((row) => row.map((cell): [string, string] => ['at a glance', cell])),
    ...fr.notices.flatMap((n) => n.items.map((i): [string, string] => [n.title, i])),
    ...fr.personas.flatMap((p) => [
      [`${p.id} heading`, p.heading],
      [`${p.id} tagline`, p.tagline],
      [`${p.id} narrative`, p.narrative],
      ...p.metrics.map(([k, v]): [string, string] => [`${p.id} ${k}`, v]),
      ...(p.traits?.rows ?? []).map((row): [string, string] => [`${p.id} traits`, row.join(' | ')]),
      ...p.declared.map((d): [string, string] => [`${p.id} declared`, d.text]),
      ...p.actions.map((a): [string, string] => [`${p.id} action`, `${a.label} — ${a.text}`]),
      ...p.reach.map(([k, v]): [string, string] => [`${p.id} reach`, `${k} ${v}`]),
      ...(p.lifecycle ? [[`${p.id} lifecycle`, p.lifecycle] as [string, string]] : []),
      ...(p.audiences ?? []).map((l): [string, string] => [`${p.id} audiences`, l]),
    ] as [string, string][]),
    ...fr.glossary.rows.map((row): [string, string] => ['glossary', `${row[0] as string} | ${row[2] as string}`]),
  ];
  for (const [where, full] of texts) {
    // File names (exports/email_persona_p1.csv) are names, not words.
    const text = full.replace(/\S*\.(csv|json)\b/g, '');
    for (const word of ENGLISH_DATA_WORDS) if (containsWords(text.toLowerCase(), word)) say('french', `${where}: "${word}" left in English in "${full}"`);
    if (/\d{4}-\d{2}-\d{2}/.test(text)) say('french', `${where}: an ISO date in "${full}"`);
    if (/\d%/.test(text) || /\d\.\d/.test(text)) say('french', `${where}: an English number in "${full}"`);
  }

  // 5. Mostly-lapsed personas are not said to be probably still customers.
  for (const p of doc.personas) {
    const lapsed = lifecycleShare(p.lifecycle?.mix, ['lapsed']);
    const pAlive = p.timing?.meanPAlive ?? null;
    if (lapsed !== null && lapsed >= 0.8 && pAlive !== null && pAlive >= 0.5)
      say('lapsed', `${p.id}: ${(lapsed * 100).toFixed(0)}% lapsed, yet mean P(alive) ${pAlive.toFixed(2)}`);
  }
  return out;
}

/** How the narratives write everyone's figures: "(€181 overall)" after the persona's own. */
const OVERALL: Readonly<Record<string, Record<Lang, RegExp>>> = {
  aov: { en: /average order value of [^()]+ \(([^()]+) overall\)/, fr: /panier moyen de [^()]+ \(([^()]+) pour l’ensemble\)/ },
  expectedShare: { en: /expected to buy within 30 days \(([^()]+) overall\)/, fr: /devraient acheter sous 30 jours \(([^()]+) pour l’ensemble\)/ },
  novDecShare: { en: /spend falls in November–December \(([^()]+) overall\)/, fr: /tombe en novembre–décembre \(([^()]+) pour l’ensemble\)/ },
};

/** The distinct ways the narratives write one of everyone's figures. */
function overallIn(doc: PersonaDocument, lang: Lang, pattern: RegExp): string[] {
  return [...new Set(doc.personas.map((p) => pattern.exec(p.narrative[lang])?.[1]).filter((x): x is string => x !== undefined))];
}

/** How many customers scores.parquet puts in the lapsed segment, and their mean P(alive) (null when none). */
export async function lapsedPAlive(scoresParquet: string): Promise<{ customers: number; pAlive: number | null }> {
  const rows = await withConnection((c) =>
    queryRows<{ n: bigint; p_alive: number | null }>(
      c,
      `SELECT count(*) AS n, avg(p_alive) AS p_alive FROM read_parquet(${quoteLiteral(scoresParquet)}) WHERE lifecycle = 'lapsed'`,
    ),
  );
  return { customers: Number(rows[0]?.n ?? 0), pAlive: rows[0]?.p_alive ?? null };
}
