import { SEASON_FEATURE } from './figures.js';
import { featureRole, levelOfFeatureName, type FeatureRole } from './roles.js';
import { cohenH } from './statistics.js';
import type { Lang, Localized, Trait, ValueFigures } from './types.js';
import { valueWord } from './vocabulary.js';

/**
 * Persona names. Every word of a name is backed by the persona's own figures against the whole base:
 * value, frequency, activity, tenure and season words by the rules of NAME_WORDS (data, below), the other
 * words by a distinguishing trait (significant, at least a small effect). Among the words a persona has, the
 * name takes those that set it apart from the OTHER personas too, and no two personas share a head noun: three
 * mostly-lapsed personas are told apart by what differs between them (basket, value, frequency), not named
 * three kinds of "Sleepers".
 */

/** The figures a name is checked against, for a persona and for the whole base. */
export interface NamingFigures {
  readonly value: ValueFigures;
  /** Lifecycle segment → share of the customers; null when the run has no lifecycle segments. */
  readonly lifecycle: Readonly<Record<string, number>> | null;
}

export type WordClass = 'value' | 'frequency' | 'activity' | 'tenure' | 'season';

type RatioFigure = 'averageOrderValue' | 'revenuePerCustomer' | 'ordersPerCustomer' | 'tenureDays';
type ShareFigure = 'oneOrderShare' | 'repeatShare' | 'novDecSpendShare';

/** One condition on a figure of the persona, against the same figure of the whole base. */
export type Backing =
  /** persona / base within [atLeast, atMost]. */
  | { readonly kind: 'ratio'; readonly figure: RatioFigure; readonly atLeast?: number; readonly atMost?: number }
  /** persona ≥ atLeast and persona ≥ timesBase × base. */
  | { readonly kind: 'share'; readonly figure: ShareFigure; readonly atLeast: number; readonly timesBase: number }
  /** Share of the persona in these lifecycle segments ≥ atLeast and ≥ timesBase × the base's share. */
  | { readonly kind: 'lifecycle'; readonly segments: readonly string[]; readonly atLeast: number; readonly timesBase: number }
  /** persona ≥ atLeast, whatever the base (e.g. enough history to see a season). */
  | { readonly kind: 'level'; readonly figure: RatioFigure; readonly atLeast: number };

/** A word of a name; its phrases (adjective, noun, in each language) belong to it alone, so a name says which word it uses. */
export interface NameWord {
  readonly id: string;
  readonly class: WordClass;
  /** Words of one concept never share a name ("Premium Small-Basket…", "New Newcomers"). */
  readonly concept: string;
  readonly adjective?: Localized;
  readonly noun?: Localized;
  /** Every condition must hold for the word to be in a name. */
  readonly backing: readonly Backing[];
  /**
   * The feature whose trait effect (Cohen's d against everyone) says how strongly the persona has this
   * word, on the same scale as the words of traits; without it, the first condition's margin does.
   */
  readonly measure?: string;
}

/** The tenure words' measure: whichever tenure feature the figures use (figures.ts). */
const TENURE = 'tenure';

/** Lifecycle segments that count as buying now, lapsing and lapsed (see src/segments/lifecycle.ts). */
export const ACTIVE_SEGMENTS = ['new', 'active', 'due', 'reactivated'] as const;
export const LAPSED_SEGMENTS = ['lapsed', 'win_back'] as const;

/** The words of a name that make a claim about a figure, and the figures that must back them. */
export const NAME_WORDS: readonly NameWord[] = [
  {
    id: 'premium',
    class: 'value',
    concept: 'basket',
    adjective: { en: 'Premium', fr: 'premium' },
    noun: { en: 'Premium Shoppers', fr: 'Acheteurs premium' },
    backing: [{ kind: 'ratio', figure: 'averageOrderValue', atLeast: 1.25 }],
    measure: 'average_order_value',
  },
  {
    id: 'small_basket',
    class: 'value',
    concept: 'basket',
    adjective: { en: 'Small-Basket', fr: 'à petit panier' },
    noun: { en: 'Small-Basket Shoppers', fr: 'Acheteurs à petit panier' },
    backing: [{ kind: 'ratio', figure: 'averageOrderValue', atMost: 0.8 }],
    measure: 'average_order_value',
  },
  {
    // A big spender spends much more per customer AND does not do it with smaller baskets than everyone.
    id: 'high_value',
    class: 'value',
    concept: 'spend',
    adjective: { en: 'High-Value', fr: 'à forte valeur' },
    noun: { en: 'Big Spenders', fr: 'Gros acheteurs' },
    backing: [
      { kind: 'ratio', figure: 'revenuePerCustomer', atLeast: 1.5 },
      { kind: 'ratio', figure: 'averageOrderValue', atLeast: 1 },
    ],
    measure: 'monetary_total',
  },
  {
    id: 'low_value',
    class: 'value',
    concept: 'spend',
    adjective: { en: 'Light-Spending', fr: 'à petit budget' },
    noun: { en: 'Light Spenders', fr: 'Petits acheteurs' },
    backing: [{ kind: 'ratio', figure: 'revenuePerCustomer', atMost: 0.67 }],
    measure: 'monetary_total',
  },
  {
    id: 'frequent',
    class: 'frequency',
    concept: 'frequency',
    adjective: { en: 'Frequent', fr: 'fréquents' },
    noun: { en: 'Regulars', fr: 'Habitués' },
    backing: [
      { kind: 'ratio', figure: 'ordersPerCustomer', atLeast: 1.5 },
      { kind: 'share', figure: 'repeatShare', atLeast: 0.5, timesBase: 1 },
    ],
    measure: 'orders_count',
  },
  {
    id: 'repeat',
    class: 'frequency',
    concept: 'frequency',
    adjective: { en: 'Repeat', fr: 'ayant racheté' },
    noun: { en: 'Repeat Buyers', fr: 'Clients récurrents' },
    backing: [{ kind: 'share', figure: 'repeatShare', atLeast: 0.8, timesBase: 1.25 }],
    measure: 'orders_count',
  },
  {
    id: 'one_time',
    class: 'frequency',
    concept: 'frequency',
    adjective: { en: 'One-Time', fr: 'd’un seul achat' },
    noun: { en: 'One-Time Buyers', fr: 'Clients d’un seul achat' },
    backing: [{ kind: 'share', figure: 'oneOrderShare', atLeast: 0.7, timesBase: 1.25 }],
    measure: 'orders_count',
  },
  {
    id: 'occasional',
    class: 'frequency',
    concept: 'frequency',
    adjective: { en: 'Occasional', fr: 'occasionnels' },
    noun: { en: 'Occasional Buyers', fr: 'Acheteurs occasionnels' },
    backing: [{ kind: 'ratio', figure: 'ordersPerCustomer', atMost: 0.67 }],
    measure: 'orders_count',
  },
  {
    id: 'active',
    class: 'activity',
    concept: 'activity',
    adjective: { en: 'Active', fr: 'actifs' },
    backing: [{ kind: 'lifecycle', segments: ACTIVE_SEGMENTS, atLeast: 0.6, timesBase: 1.2 }],
  },
  {
    id: 'lapsing',
    class: 'activity',
    concept: 'activity',
    adjective: { en: 'Lapsing', fr: 'en perte de vitesse' },
    backing: [{ kind: 'lifecycle', segments: ['at_risk'], atLeast: 0.4, timesBase: 1.5 }],
  },
  {
    id: 'lapsed',
    class: 'activity',
    concept: 'activity',
    adjective: { en: 'Lapsed', fr: 'inactifs' },
    noun: { en: 'Sleepers', fr: 'Dormants' },
    backing: [{ kind: 'lifecycle', segments: LAPSED_SEGMENTS, atLeast: 0.6, timesBase: 1.2 }],
  },
  {
    id: 'prospects',
    class: 'activity',
    concept: 'activity',
    noun: { en: 'Prospects', fr: 'Prospects' },
    backing: [{ kind: 'lifecycle', segments: ['prospect'], atLeast: 0.5, timesBase: 2 }],
  },
  {
    id: 'new',
    class: 'activity',
    concept: 'tenure',
    adjective: { en: 'New', fr: 'nouveaux' },
    noun: { en: 'New Customers', fr: 'Nouveaux clients' },
    backing: [{ kind: 'lifecycle', segments: ['new'], atLeast: 0.3, timesBase: 2 }],
  },
  {
    id: 'recent',
    class: 'tenure',
    concept: 'tenure',
    adjective: { en: 'Recent', fr: 'récents' },
    noun: { en: 'Newcomers', fr: 'Nouveaux venus' },
    backing: [{ kind: 'ratio', figure: 'tenureDays', atMost: 0.5 }],
    measure: TENURE,
  },
  {
    id: 'long_standing',
    class: 'tenure',
    concept: 'tenure',
    adjective: { en: 'Long-Standing', fr: 'de longue date' },
    backing: [{ kind: 'ratio', figure: 'tenureDays', atLeast: 1.5 }],
    measure: TENURE,
  },
  {
    id: 'holiday',
    class: 'season',
    concept: 'season',
    adjective: { en: 'Holiday', fr: 'des fêtes' },
    noun: { en: 'Holiday Shoppers', fr: 'Acheteurs des fêtes' },
    // November and December are 2/12 of the year: 40% of spend there is more than twice an even year's share.
    // A season shows only over a whole year: customers who joined in October have most of their spend in
    // November–December without being holiday shoppers.
    backing: [
      { kind: 'share', figure: 'novDecSpendShare', atLeast: 0.4, timesBase: 1.5 },
      { kind: 'level', figure: 'tenureDays', atLeast: 365 },
    ],
    measure: SEASON_FEATURE,
  },
];

/** The season word's rule: the playbook times a persona to the season exactly when its name may say so. */
export const SEASONAL_WORD = NAME_WORDS.find((w) => w.id === 'holiday') as NameWord;

function lifecycleShare(lifecycle: Readonly<Record<string, number>>, segments: readonly string[]): number {
  return segments.reduce((sum, s) => sum + (lifecycle[s] ?? 0), 0);
}

/**
 * Whether the persona's figures back the word, and how strongly: the margin of the first condition on an
 * effect-size scale (Cohen's h for shares, 1.5 × |ln ratio| for ratios); null when any condition fails or a
 * figure is missing.
 */
export function backingStrength(word: NameWord, persona: NamingFigures, base: NamingFigures): number | null {
  let strength: number | null = null;
  for (const b of word.backing) {
    let s: number | null;
    if (b.kind === 'ratio') {
      const p = persona.value[b.figure];
      const q = base.value[b.figure];
      if (p === null || q === null || !(q > 0)) return null;
      const ratio = p / q;
      if ((b.atLeast !== undefined && !(ratio >= b.atLeast)) || (b.atMost !== undefined && !(ratio <= b.atMost))) return null;
      s = 1.5 * Math.abs(Math.log(Math.max(ratio, 1e-9)));
    } else if (b.kind === 'share') {
      const p = persona.value[b.figure];
      const q = base.value[b.figure];
      if (p === null || q === null || !(p >= b.atLeast) || !(p >= b.timesBase * q)) return null;
      s = Math.abs(cohenH(p, q));
    } else if (b.kind === 'level') {
      const p = persona.value[b.figure];
      if (p === null || !(p >= b.atLeast)) return null;
      s = 0;
    } else {
      if (!persona.lifecycle || !base.lifecycle) return null;
      const p = lifecycleShare(persona.lifecycle, b.segments);
      const q = lifecycleShare(base.lifecycle, b.segments);
      if (!(p >= b.atLeast) || !(p >= b.timesBase * q)) return null;
      s = Math.abs(cohenH(p, q));
    }
    strength ??= s;
  }
  return strength;
}

// ───────────────────────────── words from distinguishing traits ─────────────────────────────

interface Descriptor {
  readonly adjective?: Localized;
  readonly noun?: Localized;
  readonly concept?: string;
}

/** Roles whose words come from NAME_WORDS (backed by figures), never from a trait. */
const FIGURE_ROLES: ReadonlySet<FeatureRole> = new Set(['frequency', 'monetary', 'aov', 'recency', 'tenure', 'season']);

/** Roles that say the same thing in a name. */
const CONCEPTS: Partial<Record<FeatureRole, string>> = { discount: 'deals', priceSensitivity: 'deals', shoppingGoal: 'goal' };

type Lexicon = Partial<Record<FeatureRole, { higher?: Descriptor; lower?: Descriptor }>>;

const LEXICON: Lexicon = {
  discount: {
    higher: { adjective: { en: 'Deal-Seeking', fr: 'friands de promos' }, noun: { en: 'Bargain Hunters', fr: 'Chasseurs de promos' } },
    lower: { adjective: { en: 'Full-Price', fr: 'plein tarif' } },
  },
  cart: {
    higher: { adjective: { en: 'Hesitant', fr: 'hésitants' }, noun: { en: 'Cart Abandoners', fr: 'Abandonnistes de panier' } },
  },
  returns: { higher: { adjective: { en: 'Return-Prone', fr: 'adeptes du retour' } } },
  emailEngagement: { higher: { adjective: { en: 'Email-Engaged', fr: 'réceptifs aux e-mails' } }, lower: { adjective: { en: 'Inbox-Shy', fr: 'peu réceptifs aux e-mails' } } },
  smsEngagement: { higher: { adjective: { en: 'SMS-Responsive', fr: 'réceptifs aux SMS' } } },
  sessions: { higher: { adjective: { en: 'Browsing', fr: 'grands visiteurs' }, noun: { en: 'Browsers', fr: 'Flâneurs' } } },
  app: { higher: { adjective: { en: 'App-First', fr: "adeptes de l'appli" } } },
  store: { higher: { adjective: { en: 'In-Store', fr: 'en magasin' } } },
  age: { higher: { adjective: { en: 'Seasoned', fr: 'expérimentés' } }, lower: { adjective: { en: 'Young', fr: 'jeunes' } } },
};

function capitalise(text: string): string {
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** A data value in words: the vocabulary's (French "jouets" for "toys"), else the value with spaces for _ and -. */
function levelWords(level: string, lang: Lang): string {
  const word = valueWord(level, lang);
  return word === level ? level.replace(/[_-]+/g, ' ').trim() : word;
}

/** The contract's declared shopping goals (zero_party question "shopping_goal"). */
const SHOPPING_GOALS: Readonly<Record<string, Descriptor>> = {
  gifts: { noun: { en: 'Gift Buyers', fr: 'Acheteurs de cadeaux' }, adjective: { en: 'Gift-Giving', fr: 'qui offrent' } },
  deals: { noun: { en: 'Deal Seekers', fr: 'Chercheurs de bonnes affaires' }, adjective: { en: 'Deal-Seeking', fr: 'friands de promos' } },
  treat_myself: { noun: { en: 'Self-Treaters', fr: 'Adeptes du plaisir' }, adjective: { en: 'Self-Treating', fr: 'qui se font plaisir' } },
  new_arrivals: { noun: { en: 'Trend Followers', fr: 'Suiveurs de tendances' }, adjective: { en: 'Trend-Led', fr: 'à l’affût des nouveautés' } },
  essentials: { noun: { en: 'Essentials Shoppers', fr: 'Acheteurs de l’essentiel' }, adjective: { en: 'Practical', fr: 'pratiques' } },
  inspiration: { noun: { en: 'Inspiration Seekers', fr: 'Chercheurs d’inspiration' }, adjective: { en: 'Curious', fr: 'curieux' } },
};

/** Words for a category or interest the persona over-indexes on. */
function levelDescriptor(level: string): Descriptor {
  const en = capitalise(levelWords(level, 'en'));
  const fr = levelWords(level, 'fr');
  return { noun: { en: `${en} Lovers`, fr: `Amateurs de ${fr}` }, adjective: { en: `${en}-Minded`, fr: `friands de ${fr}` } };
}

/** The naming words a distinguishing trait contributes, or null when it says nothing nameable. */
export function describeTrait(trait: Trait): Descriptor | null {
  const descriptor = describeTraitWords(trait);
  if (descriptor === null) return null;
  const role = featureRole(trait.feature);
  const concept = trait.level === 'deals' ? 'deals' : role === null ? trait.feature : (CONCEPTS[role] ?? role);
  return { ...descriptor, concept: descriptor.concept ?? concept };
}

function describeTraitWords(trait: Trait): Descriptor | null {
  const role = featureRole(trait.feature);
  if (trait.level !== null && trait.kind === 'categorical') {
    if (trait.direction !== 'higher') return null;
    const level = trait.level;
    if (role === 'priceSensitivity') {
      if (/high|very/.test(trait.level)) return { adjective: { en: 'Price-Sensitive', fr: 'sensibles au prix' } };
      if (/low|none/.test(trait.level)) return { adjective: { en: 'Quality-First', fr: 'exigeants' } };
      return null;
    }
    if (role === 'interest' || role === 'category') return levelDescriptor(level);
    if (role === 'shoppingGoal') return SHOPPING_GOALS[trait.level] ?? levelDescriptor(level);
    if (role === 'style') return { adjective: { en: capitalise(levelWords(level, 'en')), fr: `au style ${levelWords(level, 'fr')}` } };
    if (role === 'preferredChannel') return { adjective: { en: `${capitalise(levelWords(level, 'en'))}-Preferring`, fr: `adeptes du canal ${levelWords(level, 'fr')}` } };
    return null;
  }
  if (role === null || FIGURE_ROLES.has(role)) return null;
  const perLevel = levelOfFeatureName(trait.feature);
  if ((role === 'interest' || role === 'category') && perLevel !== null) {
    if (trait.direction !== 'higher') return null;
    return levelDescriptor(perLevel);
  }
  return LEXICON[role]?.[trait.direction] ?? null;
}

// ───────────────────────────── choosing the words ─────────────────────────────

/** A word a persona's figures or traits back, with how strongly. */
interface Candidate {
  readonly key: string;
  readonly concept: string;
  readonly adjective?: Localized;
  readonly noun?: Localized;
  readonly strength: number;
}

export interface NamingPersona {
  readonly id: string;
  readonly figures: NamingFigures;
  /** The persona's distinguishing traits, strongest first. */
  readonly topTraits: readonly Trait[];
  /** Every trait of the persona (numeric ones measure how strongly a figure word applies). */
  readonly traits?: readonly Trait[];
  readonly previousName?: Localized;
}

function candidatesOf(persona: NamingPersona, base: NamingFigures, tenureFeature: string | null): Candidate[] {
  const out: Candidate[] = [];
  for (const word of NAME_WORDS) {
    const margin = backingStrength(word, persona.figures, base);
    if (margin === null) continue;
    const measure = word.measure === TENURE ? tenureFeature : (word.measure ?? null);
    const trait = measure === null ? undefined : persona.traits?.find((t) => t.feature === measure && t.level === null);
    const strength = trait ? Math.abs(trait.effect) : margin;
    out.push({ key: word.id, concept: word.concept, ...(word.adjective ? { adjective: word.adjective } : {}), ...(word.noun ? { noun: word.noun } : {}), strength });
  }
  for (const trait of persona.topTraits) {
    const d = describeTrait(trait);
    if (d === null) continue;
    out.push({ key: `${trait.feature}|${trait.level ?? ''}|${trait.direction}`, concept: d.concept ?? trait.feature, ...(d.adjective ? { adjective: d.adjective } : {}), ...(d.noun ? { noun: d.noun } : {}), strength: Math.abs(trait.effect) });
  }
  return out;
}

/** NAME_WORDS whose adjective or noun appears in the name (either language), as whole words. */
export function nameWordsIn(name: Localized): NameWord[] {
  const has = (text: string, phrase: string): boolean => {
    const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\-’'])${escaped}($|[^\\p{L}\\-’'])`, 'u').test(text);
  };
  return NAME_WORDS.filter((w) =>
    [w.adjective, w.noun].some((words) => words !== undefined && (has(name.en, words.en) || has(name.fr, words.fr))),
  );
}

const GENERIC_NOUN: Localized = { en: 'Shoppers', fr: 'Clients' };
const TYPICAL: Localized = { en: 'Typical Shoppers', fr: 'Clients types' };

function compose(adjectives: readonly Localized[], noun: Localized): Localized {
  if (adjectives.length === 0) return noun;
  const [a, b] = adjectives as [Localized, Localized | undefined];
  return {
    en: `${adjectives.map((x) => x.en).join(' ')} ${noun.en}`,
    fr: b ? `${noun.fr} ${a.fr} et ${b.fr}` : `${noun.fr} ${a.fr}`,
  };
}

/**
 * Names for every persona, unique across the document, each word backed (see NAME_WORDS and describeTrait).
 * A word shared by several personas tells them apart less: its weight is divided by the number of personas
 * it backs. Head nouns go, strongest claim first, to one persona each; the best remaining word of another
 * concept becomes the adjective, a second one only when needed to keep names apart. A persona that survived
 * a retrain keeps its previous name while every figure word in it is still backed.
 */
export function assignNames(personas: readonly NamingPersona[], base: NamingFigures, tenureFeature: string | null = null): { name: Localized; source: 'lineage' | 'traits' }[] {
  const candidates = personas.map((p) => candidatesOf(p, base, tenureFeature));
  const holders = new Map<string, number>();
  for (const list of candidates) for (const c of list) holders.set(c.key, (holders.get(c.key) ?? 0) + 1);
  const ranked = candidates.map((list) =>
    list
      .map((c) => ({ ...c, score: c.strength / (holders.get(c.key) ?? 1) }))
      .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  );
  const key = (name: Localized): string => name.en.toLowerCase();
  const taken = new Set<string>();
  const result = new Array<{ name: Localized; source: 'lineage' | 'traits' } | undefined>(personas.length);
  personas.forEach((p, i) => {
    const previous = p.previousName;
    if (!previous || taken.has(key(previous))) return;
    if (!nameWordsIn(previous).every((w) => backingStrength(w, p.figures, base) !== null)) return;
    taken.add(key(previous));
    result[i] = { name: previous, source: 'lineage' };
  });

  // Head nouns: one per persona, each noun to one persona, strongest (most distinctive) claims first.
  const nouns = new Array<(Candidate & { score: number }) | undefined>(personas.length);
  const usedNouns = new Set<string>();
  const claims = ranked
    .flatMap((list, i) => list.filter((c) => c.noun !== undefined && result[i] === undefined).map((c) => ({ c, i })))
    .sort((a, b) => b.c.score - a.c.score || a.i - b.i);
  for (const { c, i } of claims) {
    const noun = (c.noun as Localized).en;
    if (nouns[i] || usedNouns.has(noun)) continue;
    nouns[i] = c;
    usedNouns.add(noun);
  }

  personas.forEach((p, i) => {
    if (result[i]) return;
    const list = ranked[i] ?? [];
    const head = nouns[i];
    if (!head && list.length === 0) {
      const name = taken.has(key(TYPICAL)) ? { en: `${TYPICAL.en} (${p.id})`, fr: `${TYPICAL.fr} (${p.id})` } : TYPICAL;
      taken.add(key(name));
      result[i] = { name, source: 'traits' };
      return;
    }
    const noun = head?.noun ?? GENERIC_NOUN;
    const concepts = new Set(head ? [head.concept] : []);
    const adjectives: Localized[] = [];
    for (const c of list) {
      if (c.adjective === undefined || concepts.has(c.concept)) continue;
      concepts.add(c.concept);
      adjectives.push(c.adjective);
    }
    const options: Localized[] = [];
    if (adjectives.length > 0) options.push(compose(adjectives.slice(0, 1), noun));
    if (adjectives.length > 1) options.push(compose(adjectives.slice(0, 2), noun));
    if (head) options.push(noun);
    for (let a = 1; a < adjectives.length; a++) options.push(compose([adjectives[a] as Localized], noun));
    let chosen = options.find((o) => !taken.has(key(o)));
    if (!chosen) {
      const first = options[0] ?? noun;
      chosen = { en: `${first.en} (${p.id})`, fr: `${first.fr} (${p.id})` };
    }
    taken.add(key(chosen));
    result[i] = { name: chosen, source: 'traits' };
  });
  return result as { name: Localized; source: 'lineage' | 'traits' }[];
}
