import { featureRole, levelOfFeatureName, type FeatureRole } from './roles.js';
import type { Localized, Trait } from './types.js';

/** Words a trait lends to a persona name: an adjective, a noun, or both (French nouns are masculine plural). */
interface Descriptor {
  readonly adjective?: Localized;
  readonly noun?: Localized;
  /** What it speaks of; a name never says the same thing twice ("New Newcomers", "Deal-Seeking Bargain Hunters"). */
  readonly concept?: string;
}

/** Roles that say the same thing in a name. */
const CONCEPTS: Partial<Record<FeatureRole, string>> = { monetary: 'value', aov: 'value', discount: 'deals', priceSensitivity: 'deals', shoppingGoal: 'goal' };

type Lexicon = Partial<Record<FeatureRole, { higher?: Descriptor; lower?: Descriptor }>>;

const LEXICON: Lexicon = {
  frequency: {
    higher: { adjective: { en: 'Frequent', fr: 'fréquents' }, noun: { en: 'Regulars', fr: 'Habitués' } },
    lower: { adjective: { en: 'Occasional', fr: 'occasionnels' } },
  },
  monetary: {
    higher: { adjective: { en: 'High-Value', fr: 'à forte valeur' }, noun: { en: 'Big Spenders', fr: 'Gros acheteurs' } },
    lower: { adjective: { en: 'Light-Spending', fr: 'à petit budget' } },
  },
  aov: {
    higher: { adjective: { en: 'Premium', fr: 'premium' }, noun: { en: 'Premium Shoppers', fr: 'Acheteurs premium' } },
    lower: { adjective: { en: 'Small-Basket', fr: 'à petit panier' } },
  },
  recency: {
    higher: { adjective: { en: 'Lapsing', fr: 'en perte de vitesse' }, noun: { en: 'Sleepers', fr: 'Dormants' } },
    lower: { adjective: { en: 'Active', fr: 'actifs' } },
  },
  tenure: {
    higher: { adjective: { en: 'Long-Standing', fr: 'de longue date' }, noun: { en: 'Loyalists', fr: 'Fidèles' } },
    lower: { adjective: { en: 'New', fr: 'nouveaux' }, noun: { en: 'Newcomers', fr: 'Nouveaux venus' } },
  },
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

function levelWords(level: string): string {
  return level.replace(/[_-]+/g, ' ').trim();
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
  return { noun: { en: `${capitalise(level)} Lovers`, fr: `Amateurs de ${level}` }, adjective: { en: `${capitalise(level)}-Minded`, fr: `tournés vers ${level}` } };
}

/** The naming words a trait contributes, or null when it says nothing nameable. */
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
    const level = levelWords(trait.level);
    if (role === 'priceSensitivity') {
      if (/high|very/.test(trait.level)) return { adjective: { en: 'Price-Sensitive', fr: 'sensibles au prix' } };
      if (/low|none/.test(trait.level)) return { adjective: { en: 'Quality-First', fr: 'exigeants' } };
      return null;
    }
    if (role === 'interest' || role === 'category') return levelDescriptor(level);
    if (role === 'shoppingGoal') return SHOPPING_GOALS[trait.level] ?? levelDescriptor(level);
    if (role === 'style') return { adjective: { en: capitalise(level), fr: `au style ${level}` } };
    if (role === 'preferredChannel') return { adjective: { en: `${capitalise(level)}-Preferring`, fr: `adeptes de ${level}` } };
    return null;
  }
  if (role === null) return null;
  const perLevel = levelOfFeatureName(trait.feature);
  if ((role === 'interest' || role === 'category') && perLevel !== null) {
    if (trait.direction !== 'higher') return null;
    return levelDescriptor(levelWords(perLevel));
  }
  return LEXICON[role]?.[trait.direction] ?? null;
}

/**
 * A human name from the top traits: "<adjective> <noun>" in English, "<Nom> <adjectif>" in French.
 * Candidates are tried in order until one is not taken; the persona id is the last resort.
 */
export function nameCandidates(topTraits: readonly Trait[]): Localized[] {
  const descriptors = topTraits.map(describeTrait).filter((d): d is Descriptor => d !== null);
  const nounIndex = descriptors.findIndex((d) => d.noun !== undefined);
  const noun = nounIndex >= 0 ? (descriptors[nounIndex]?.noun as Localized) : { en: 'Shoppers', fr: 'Clients' };
  const used = new Set(nounIndex >= 0 ? [descriptors[nounIndex]?.concept] : []);
  const adjectives: Localized[] = [];
  descriptors.forEach((d, i) => {
    if (i === nounIndex || d.adjective === undefined || used.has(d.concept)) return;
    used.add(d.concept);
    adjectives.push(d.adjective);
  });
  const candidates: Localized[] = adjectives.map((adj) => ({ en: `${adj.en} ${noun.en}`, fr: `${noun.fr} ${adj.fr}` }));
  if (adjectives.length >= 2) {
    const [a, b] = adjectives as [Localized, Localized];
    candidates.push({ en: `${a.en}, ${b.en} ${noun.en}`, fr: `${noun.fr} ${a.fr} et ${b.fr}` });
  }
  if (nounIndex >= 0) candidates.push(noun);
  if (candidates.length === 0) candidates.push({ en: 'Typical Shoppers', fr: 'Clients types' });
  return candidates;
}

/**
 * Names for every persona, unique across the document. A persona that survived a retrain keeps its
 * previous name (lineage) unless another persona claimed it first.
 */
export function assignNames(
  personas: readonly { readonly id: string; readonly previousName?: Localized; readonly topTraits: readonly Trait[] }[],
): { name: Localized; source: 'lineage' | 'traits' }[] {
  const taken = new Set<string>();
  const key = (name: Localized): string => name.en.toLowerCase();
  const result = new Array<{ name: Localized; source: 'lineage' | 'traits' }>(personas.length);
  personas.forEach((p, i) => {
    if (p.previousName && !taken.has(key(p.previousName))) {
      taken.add(key(p.previousName));
      result[i] = { name: p.previousName, source: 'lineage' };
    }
  });
  personas.forEach((p, i) => {
    if (result[i]) return;
    const candidates = nameCandidates(p.topTraits);
    let chosen = candidates.find((c) => !taken.has(key(c)));
    if (!chosen) {
      const base = candidates[0] as Localized;
      chosen = { en: `${base.en} (${p.id})`, fr: `${base.fr} (${p.id})` };
    }
    taken.add(key(chosen));
    result[i] = { name: chosen, source: 'traits' };
  });
  return result;
}
