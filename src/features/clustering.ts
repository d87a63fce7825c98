import type { FeatureSpec } from './types.js';

/**
 * Which features DEFINE personas (enter clustering by default) and which only DESCRIBE them afterwards.
 *
 * Personas are behavioural: how much, how often, when, where and how a customer buys and engages, what they
 * buy (the category mix — gifts, beauty, sports — is what marketers target, and it tells apart customers whose
 * value and activity look alike, such as a lapsed gift buyer and a lapsed everyday buyer), and what they say
 * they shop for. Every column that enters k-means weighs as much as any other, so a column that varies for
 * reasons unrelated to behaviour (where someone lives, which of the top brands their one order was) adds a
 * direction along which k-means splits customers into meaningless groups and hides the real ones. The
 * features below stay in features.parquet and in the persona profiles (a persona is still described by its
 * countries, brands, interests and age bands); they just do not shape it. A configuration can still cluster
 * on any list of features (preprocessing `features`).
 */
export interface DescriptiveFeature {
  /** Matches catalogue names (data-driven columns by prefix). */
  readonly pattern: RegExp;
  readonly reason: string;
}

export const DESCRIPTIVE_ONLY: readonly DescriptiveFeature[] = [
  {
    pattern: /^(country|region)$/,
    reason: 'Geography says where a customer lives, not how they shop; it is a targeting filter and a persona descriptor.',
  },
  {
    pattern: /^share_brand_/,
    reason:
      'Shares of individual top brands are brand identity, not behaviour, and are 0 or 1 for customers with one or two orders; the value tier a brand stands for shows in order value and discounts. They describe personas.',
  },
  {
    pattern: /^(interest_|declared_style$|declared_preferred_channel$)/,
    reason:
      'Declared tastes (interests, style) and contact preference are answered by a minority and are used to describe and activate personas; price sensitivity and shopping goal, which are about buying behaviour, do cluster.',
  },
  {
    pattern: /^(declared_gender|age_band)$/,
    reason: 'Demographics describe personas; segmenting on them would build personas on protected attributes rather than behaviour.',
  },
  {
    pattern: /^(returns_share|sms_click_rate)$/,
    reason: 'Rare events (returns, SMS clicks among SMS-consented customers): zero for most customers, so mostly noise for distances.',
  },
  {
    pattern: /^(spend_trend|days_overdue|interpurchase_cv|days_since_engagement)$/,
    reason:
      'Short-term dynamics used by the churn and timing scores; undefined or imputed with fewer than two or three purchases, and largely redundant with recency, spend in the last 90 days and activity in the last 30 days.',
  },
  {
    pattern: /^(tenure_first_purchase_days|items_total)$/,
    reason: 'Redundant: tenure since signup and orders × order value carry the same information.',
  },
];

/** Why a feature only describes personas, or undefined when it may shape them. */
export function descriptiveReason(name: string): string | undefined {
  return DESCRIPTIVE_ONLY.find((d) => d.pattern.test(name))?.reason;
}

/** The catalogue entry with the default clustering policy applied (a feature already excluded stays out). */
export function withClusteringPolicy(spec: FeatureSpec): FeatureSpec {
  return spec.clustering && descriptiveReason(spec.name) !== undefined ? { ...spec, clustering: false } : spec;
}

