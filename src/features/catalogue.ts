import type { FeaturePlan } from './plan.js';
import type { Level } from './spec.js';
import { buildFeaturesSql, FAMILY_ORDER } from './sql/assemble.js';
import type { FeatureFamily, FeatureSpec } from './types.js';

const placeholder = (name: string): Level[] => [{ value: `<${name}>`, slug: `<${name}>` }];

/**
 * The catalogue of every feature the pipeline can produce, for documentation (`personae features --list`):
 * all tables and columns present, data-driven columns shown once with a placeholder (`share_category_<category>`).
 * A run's own catalogue (from computeFeatures) lists the columns its data actually produced.
 */
export function referenceCatalogue(): FeatureSpec[] {
  const plan: FeaturePlan = {
    asOf: new Date(Date.UTC(2000, 0, 1)),
    population: 'eligible',
    orders: {
      details: new Set(['status', 'discount_amount', 'items', 'category', 'brand', 'channel']),
      topCategories: placeholder('category'),
      topBrands: placeholder('brand'),
      channels: placeholder('channel'),
    },
    customers: { details: new Set(['created_at', 'country', 'region', 'device']) },
    events: { details: new Set(['value', 'device']) },
    zeroParty: {
      questions: new Set(['interests', 'price_sensitivity', 'style', 'shopping_goal', 'preferred_channel', 'birth_year', 'gender']),
      interests: placeholder('interest'),
    },
  };
  return buildFeaturesSql(plan).catalogue;
}

export interface FamilyInfo {
  readonly family: FeatureFamily;
  readonly label: { readonly en: string; readonly fr: string };
  /** The table a family needs. */
  readonly requires: string;
}

export const FAMILIES: readonly FamilyInfo[] = [
  { family: 'value', label: { en: 'Value and RFM', fr: 'Valeur et RFM' }, requires: 'orders' },
  { family: 'timing', label: { en: 'Purchase timing', fr: "Rythme d'achat" }, requires: 'orders' },
  { family: 'mix', label: { en: 'Category, brand and channel mix', fr: 'Répartition catégories, marques et canaux' }, requires: 'orders' },
  { family: 'engagement', label: { en: 'Engagement', fr: 'Engagement' }, requires: 'events' },
  { family: 'declared', label: { en: 'Declared (zero-party)', fr: 'Déclaratif (données déclarées)' }, requires: 'zero_party' },
  { family: 'geography', label: { en: 'Geography', fr: 'Géographie' }, requires: 'customers' },
  { family: 'technographic', label: { en: 'Technographic', fr: 'Technographie' }, requires: 'customers or events' },
];

// Keep FAMILIES in catalogue order.
if (FAMILIES.map((f) => f.family).join() !== FAMILY_ORDER.join()) throw new Error('FAMILIES must follow FAMILY_ORDER');
