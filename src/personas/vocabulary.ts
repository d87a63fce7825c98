import type { FeatureSpec } from '../features/types.js';
import { levelOfFeatureName } from './roles.js';
import type { Lang, Localized } from './types.js';

/**
 * The catalogue's known data values (the values the data contract documents and the generator writes:
 * categories, order channels, declared answers, devices, acquisition channels) in marketers' words. A value
 * the vocabulary does not know is shown exactly as the data holds it: it may be a brand or a category of the
 * brand's own, and a guessed translation would be wrong.
 */
const VALUE_WORDS: Readonly<Record<string, Localized>> = {
  // product categories
  apparel: { en: 'apparel', fr: 'vêtements' },
  shoes: { en: 'shoes', fr: 'chaussures' },
  accessories: { en: 'accessories', fr: 'accessoires' },
  beauty: { en: 'beauty', fr: 'beauté' },
  home: { en: 'home', fr: 'maison' },
  electronics: { en: 'electronics', fr: 'électronique' },
  sports: { en: 'sports', fr: 'sport' },
  toys: { en: 'toys', fr: 'jouets' },
  books: { en: 'books', fr: 'livres' },
  // order channels and preferred contact channels
  web: { en: 'web', fr: 'site web' },
  app: { en: 'app', fr: 'appli' },
  store: { en: 'store', fr: 'magasin' },
  marketplace: { en: 'marketplace', fr: 'place de marché' },
  email: { en: 'email', fr: 'e-mail' },
  sms: { en: 'SMS', fr: 'SMS' },
  none: { en: 'none', fr: 'aucun' },
  // acquisition channels
  organic_search: { en: 'organic search', fr: 'recherche naturelle' },
  paid_search: { en: 'paid search', fr: 'recherche payante' },
  paid_social: { en: 'paid social', fr: 'réseaux sociaux payants' },
  social: { en: 'social', fr: 'réseaux sociaux' },
  referral: { en: 'referral', fr: 'recommandation' },
  affiliate: { en: 'affiliate', fr: 'affiliation' },
  app_store: { en: 'app store', fr: 'magasin d’applications' },
  // declared price sensitivity
  low: { en: 'low', fr: 'faible' },
  medium: { en: 'medium', fr: 'moyenne' },
  high: { en: 'high', fr: 'élevée' },
  // declared style
  classic: { en: 'classic', fr: 'classique' },
  minimal: { en: 'minimal', fr: 'minimaliste' },
  trendy: { en: 'trendy', fr: 'tendance' },
  sporty: { en: 'sporty', fr: 'sportif' },
  bohemian: { en: 'bohemian', fr: 'bohème' },
  practical: { en: 'practical', fr: 'pratique' },
  // declared shopping goal
  treat_myself: { en: 'treat myself', fr: 'se faire plaisir' },
  new_arrivals: { en: 'new arrivals', fr: 'nouveautés' },
  deals: { en: 'deals', fr: 'bonnes affaires' },
  gifts: { en: 'gifts', fr: 'cadeaux' },
  essentials: { en: 'essentials', fr: 'essentiels' },
  inspiration: { en: 'inspiration', fr: 'inspiration' },
  // declared gender
  female: { en: 'female', fr: 'femme' },
  male: { en: 'male', fr: 'homme' },
  non_binary: { en: 'non-binary', fr: 'non binaire' },
  prefer_not_to_say: { en: 'prefer not to say', fr: 'ne se prononce pas' },
  // devices
  desktop: { en: 'desktop', fr: 'ordinateur' },
  mobile: { en: 'mobile', fr: 'mobile' },
  tablet: { en: 'tablet', fr: 'tablette' },
  // the columns preprocessing adds to a categorical feature
  __other: { en: 'other', fr: 'autre' },
  __missing: { en: 'not given', fr: 'non renseigné' },
};

/** A data value in the language: the vocabulary's word when the value is a known one, else the value itself. */
export function valueWord(value: string, lang: Lang): string {
  return VALUE_WORDS[value.toLowerCase()]?.[lang] ?? value;
}

/** Whether the vocabulary knows the value (tests: every catalogue value is translated). */
export function isKnownValue(value: string): boolean {
  return value.toLowerCase() in VALUE_WORDS;
}

/** The level of a per-level feature (share_category_toys, interest_toys, share_channel_app), or null. */
function levelOf(name: string): string | null {
  return levelOfFeatureName(name) ?? /^share_channel_(.+)$/.exec(name)?.[1] ?? null;
}

function replaceWord(text: string, word: string, by: string): string {
  if (word === by) return text;
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}(?=$|[^\\p{L}\\p{N}_])`, 'gu'), (_, before: string) => `${before}${by}`);
}

/**
 * The feature with the known data value its French label and description name translated
 * ("part catégorie : toys" → "part catégorie : jouets"); English and unknown values unchanged.
 */
export function localizeFeature(spec: FeatureSpec): FeatureSpec {
  const level = levelOf(spec.name);
  if (level === null || !isKnownValue(level)) return spec;
  const fr = valueWord(level, 'fr');
  return {
    ...spec,
    label: { en: spec.label.en, fr: replaceWord(spec.label.fr, level, fr) },
    description: { en: spec.description.en, fr: replaceWord(spec.description.fr, level, fr) },
  };
}
