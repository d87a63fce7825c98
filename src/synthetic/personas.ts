/**
 * The planted personas: each is a known generative process (who they are, what they declare, how and when
 * they buy), so that clustering and purchase-timing models can be checked against the truth.
 *
 * Purchase timing follows BG/NBD with seasonality: a customer's yearly purchase rate λ ~ Gamma(shape, rate),
 * purchases arrive as a Poisson process with intensity λ·season(month), and after every purchase except
 * the first the customer drops out for good with probability p ~ Beta(a, b).
 */
import type { ORDER_CHANNELS, DEVICES } from '../contract/schema.js';
import type {
  AcquisitionChannel,
  BrandTier,
  Category,
  GENDERS,
  PREFERRED_CHANNELS,
  PRICE_SENSITIVITIES,
  SHOPPING_GOALS,
  STYLES,
} from './catalog.js';

export type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

export type ConsentProfile =
  | 'never_asked'
  | 'profiling_only'
  | 'email_only'
  | 'sms_only'
  | 'email_and_sms'
  | 'profiling_withdrawn_later'
  | 'profiling_declined'
  | 'regranted';

export const CONSENT_PROFILES: readonly ConsentProfile[] = [
  'never_asked',
  'profiling_only',
  'email_only',
  'sms_only',
  'email_and_sms',
  'profiling_withdrawn_later',
  'profiling_declined',
  'regranted',
];

/** The mix used unless a persona overrides it. */
export const DEFAULT_CONSENT_MIX: Weights<ConsentProfile> = {
  never_asked: 0.07,
  profiling_only: 0.1,
  email_only: 0.27,
  sms_only: 0.08,
  email_and_sms: 0.34,
  profiling_withdrawn_later: 0.08,
  profiling_declined: 0.03,
  regranted: 0.03,
};

export interface PersonaSpec {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  /** Share of the customer base. */
  readonly share: number;
  /** Signup time as fractions of the history window [from, to]; skew < 1 favours recent signups. */
  readonly signup:
    { readonly from: number; readonly to: number; readonly skew: number } | { readonly recentDays: number };
  /** λ (purchases per year) ~ Gamma(shape, rate): mean shape / rate. */
  readonly purchaseRate: { readonly shape: number; readonly rate: number };
  /** Dropout probability after each repeat purchase p ~ Beta(a, b): mean a / (a + b). */
  readonly dropout: { readonly a: number; readonly b: number };
  /** Probability of an acquisition order right at signup, and its delay (days, exponential mean). */
  readonly firstOrder: { readonly probability: number; readonly meanDelayDays: number };
  /** Relative purchase intensity per calendar month (Jan..Dec), mean 1. */
  readonly seasonality: readonly number[];
  readonly basket: {
    readonly medianAmount: number;
    readonly sigma: number;
    readonly extraItems: number;
    readonly discountProbability: number;
    readonly discountShare: readonly [number, number];
  };
  readonly brandTiers: Weights<BrandTier>;
  readonly categories: Weights<Category>;
  readonly channels: Weights<(typeof ORDER_CHANNELS)[number]>;
  readonly devices: Weights<(typeof DEVICES)[number]>;
  readonly acquisition: Weights<AcquisitionChannel>;
  readonly status: { readonly cancelled: number; readonly returned: number; readonly refunded: number };
  readonly engagement: {
    /** Browsing sessions per month while alive, unrelated to an order. */
    readonly browseSessionsPerMonth: number;
    /** Share of browsing sessions with an add_to_cart that is never checked out. */
    readonly abandonCartProbability: number;
    /** Extra sessions (Poisson mean) in the 3 days before an order, beyond the checkout session. */
    readonly journeyExtraSessions: number;
    readonly productViewsPerSession: number;
    readonly emailOpen: number;
    readonly emailClickGivenOpen: number;
    readonly smsClick: number;
    /** Share of online orders whose journey starts from a recent email click. */
    readonly emailDrivenShare: number;
  };
  readonly declared: {
    /** Probability of answering the preference survey at all. */
    readonly answerProbability: number;
    readonly priceSensitivity: Weights<(typeof PRICE_SENSITIVITIES)[number]>;
    readonly style: Weights<(typeof STYLES)[number]>;
    readonly goal: Weights<(typeof SHOPPING_GOALS)[number]>;
    readonly preferredChannel: Weights<(typeof PREFERRED_CHANNELS)[number]>;
    readonly gender: Weights<(typeof GENDERS)[number]>;
    /** Age at the end date: normal(mean, sd), clamped to 18..90. */
    readonly age: { readonly mean: number; readonly sd: number };
  };
  readonly consentMix?: Weights<ConsentProfile>;
}

const RETAIL_SEASON = [0.85, 0.75, 0.85, 0.9, 0.95, 0.95, 0.95, 0.85, 0.95, 1.0, 1.35, 1.65];
const FLAT_SEASON = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

export const PERSONAS: readonly PersonaSpec[] = [
  {
    key: 'loyal_premium',
    label: 'Loyal premium',
    description: 'Long-standing, frequent, high-basket customers of premium brands; rarely need a discount.',
    share: 0.14,
    signup: { from: 0, to: 0.8, skew: 1.2 },
    purchaseRate: { shape: 8, rate: 1 },
    dropout: { a: 1, b: 150 },
    firstOrder: { probability: 0.95, meanDelayDays: 0.3 },
    seasonality: RETAIL_SEASON,
    basket: {
      medianAmount: 210,
      sigma: 0.3,
      extraItems: 1.2,
      discountProbability: 0.05,
      discountShare: [0.05, 0.1],
    },
    brandTiers: { premium: 0.9, core: 0.1 },
    categories: { apparel: 0.35, shoes: 0.2, accessories: 0.2, beauty: 0.15, home: 0.1 },
    channels: { web: 0.4, app: 0.05, store: 0.55 },
    devices: { desktop: 0.55, mobile: 0.3, tablet: 0.15 },
    acquisition: { organic_search: 0.3, referral: 0.25, store: 0.3, email: 0.15 },
    status: { cancelled: 0.02, returned: 0.06, refunded: 0.01 },
    engagement: {
      browseSessionsPerMonth: 0.6,
      abandonCartProbability: 0.1,
      journeyExtraSessions: 0.4,
      productViewsPerSession: 1.5,
      emailOpen: 0.45,
      emailClickGivenOpen: 0.2,
      smsClick: 0.05,
      emailDrivenShare: 0.25,
    },
    declared: {
      answerProbability: 0.85,
      priceSensitivity: { low: 0.75, medium: 0.22, high: 0.03 },
      style: { classic: 0.5, minimal: 0.35, trendy: 0.15 },
      goal: { treat_myself: 0.5, new_arrivals: 0.4, essentials: 0.1 },
      preferredChannel: { email: 0.6, app: 0.2, sms: 0.1, none: 0.1 },
      gender: { female: 0.62, male: 0.33, non_binary: 0.02, prefer_not_to_say: 0.03 },
      age: { mean: 47, sd: 9 },
    },
  },
  {
    key: 'bargain_hunter',
    label: 'Bargain hunters',
    description:
      'Buy small discounted baskets of value brands, in the sales (January, July) and on Black Friday.',
    share: 0.2,
    signup: { from: 0, to: 1, skew: 0.9 },
    purchaseRate: { shape: 2.5, rate: 0.6 },
    dropout: { a: 1, b: 60 },
    firstOrder: { probability: 0.85, meanDelayDays: 2 },
    seasonality: [2.1, 0.7, 0.55, 0.55, 0.6, 1.2, 2.0, 0.55, 0.5, 0.55, 2.1, 0.6],
    basket: {
      medianAmount: 28,
      sigma: 0.35,
      extraItems: 1.5,
      discountProbability: 0.92,
      discountShare: [0.25, 0.5],
    },
    brandTiers: { value: 0.85, core: 0.15 },
    categories: { apparel: 0.3, shoes: 0.15, home: 0.2, electronics: 0.15, beauty: 0.1, sports: 0.1 },
    channels: { web: 0.35, app: 0.1, marketplace: 0.55 },
    devices: { desktop: 0.45, mobile: 0.5, tablet: 0.05 },
    acquisition: { affiliate: 0.3, paid_search: 0.3, marketplace: 0.2, email: 0.2 },
    status: { cancelled: 0.04, returned: 0.09, refunded: 0.02 },
    engagement: {
      browseSessionsPerMonth: 0.9,
      abandonCartProbability: 0.25,
      journeyExtraSessions: 0.8,
      productViewsPerSession: 2,
      emailOpen: 0.4,
      emailClickGivenOpen: 0.3,
      smsClick: 0.12,
      emailDrivenShare: 0.45,
    },
    declared: {
      answerProbability: 0.7,
      priceSensitivity: { high: 0.8, medium: 0.18, low: 0.02 },
      style: { practical: 0.5, trendy: 0.3, sporty: 0.2 },
      goal: { deals: 0.75, essentials: 0.25 },
      preferredChannel: { email: 0.5, sms: 0.3, app: 0.15, none: 0.05 },
      gender: { female: 0.55, male: 0.4, non_binary: 0.02, prefer_not_to_say: 0.03 },
      age: { mean: 38, sd: 11 },
    },
  },
  {
    key: 'seasonal_gifter',
    label: 'Seasonal gifters',
    description: 'Buy gifts (toys, beauty, books) almost only in November and December.',
    share: 0.15,
    signup: { from: 0, to: 0.9, skew: 1 },
    purchaseRate: { shape: 9, rate: 3 },
    dropout: { a: 1, b: 100 },
    firstOrder: { probability: 0.6, meanDelayDays: 1 },
    seasonality: [0.15, 0.1, 0.1, 0.15, 0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 4.2, 6.4],
    basket: {
      medianAmount: 95,
      sigma: 0.35,
      extraItems: 1.8,
      discountProbability: 0.25,
      discountShare: [0.1, 0.2],
    },
    brandTiers: { core: 0.6, premium: 0.25, value: 0.15 },
    categories: { toys: 0.35, beauty: 0.25, books: 0.2, accessories: 0.1, home: 0.1 },
    channels: { web: 0.7, store: 0.2, app: 0.1 },
    devices: { desktop: 0.6, mobile: 0.3, tablet: 0.1 },
    acquisition: { paid_search: 0.35, organic_search: 0.25, paid_social: 0.2, referral: 0.2 },
    status: { cancelled: 0.02, returned: 0.04, refunded: 0.01 },
    engagement: {
      browseSessionsPerMonth: 0.2,
      abandonCartProbability: 0.05,
      journeyExtraSessions: 1,
      productViewsPerSession: 2,
      emailOpen: 0.2,
      emailClickGivenOpen: 0.15,
      smsClick: 0.04,
      emailDrivenShare: 0.2,
    },
    declared: {
      answerProbability: 0.75,
      priceSensitivity: { medium: 0.6, low: 0.25, high: 0.15 },
      style: { classic: 0.5, practical: 0.3, bohemian: 0.2 },
      goal: { gifts: 0.9, essentials: 0.05, inspiration: 0.05 },
      preferredChannel: { email: 0.6, none: 0.3, sms: 0.1 },
      gender: { female: 0.58, male: 0.38, non_binary: 0.01, prefer_not_to_say: 0.03 },
      age: { mean: 44, sd: 12 },
    },
  },
  {
    key: 'new_app_first',
    label: 'New app-first',
    description: 'Young customers who signed up recently through the app and buy on their phone.',
    share: 0.13,
    signup: { recentDays: 200 },
    purchaseRate: { shape: 4, rate: 0.8 },
    dropout: { a: 1, b: 40 },
    firstOrder: { probability: 0.95, meanDelayDays: 1 },
    seasonality: RETAIL_SEASON,
    basket: {
      medianAmount: 48,
      sigma: 0.4,
      extraItems: 0.8,
      discountProbability: 0.35,
      discountShare: [0.1, 0.2],
    },
    brandTiers: { core: 0.7, value: 0.2, premium: 0.1 },
    categories: { apparel: 0.35, shoes: 0.2, beauty: 0.2, sports: 0.15, electronics: 0.1 },
    channels: { app: 0.94, web: 0.05, store: 0.01 },
    devices: { mobile: 0.92, tablet: 0.05, desktop: 0.03 },
    acquisition: { app_store: 0.45, social: 0.3, paid_social: 0.25 },
    status: { cancelled: 0.03, returned: 0.08, refunded: 0.01 },
    engagement: {
      browseSessionsPerMonth: 2,
      abandonCartProbability: 0.2,
      journeyExtraSessions: 1.2,
      productViewsPerSession: 1.5,
      emailOpen: 0.15,
      emailClickGivenOpen: 0.15,
      smsClick: 0.15,
      emailDrivenShare: 0.1,
    },
    declared: {
      answerProbability: 0.75,
      priceSensitivity: { medium: 0.55, high: 0.3, low: 0.15 },
      style: { trendy: 0.55, sporty: 0.3, minimal: 0.15 },
      goal: { new_arrivals: 0.5, inspiration: 0.3, treat_myself: 0.2 },
      preferredChannel: { app: 0.7, sms: 0.2, email: 0.1 },
      gender: { female: 0.55, male: 0.38, non_binary: 0.05, prefer_not_to_say: 0.02 },
      age: { mean: 24, sd: 4 },
    },
    consentMix: {
      never_asked: 0.04,
      profiling_only: 0.1,
      email_only: 0.1,
      sms_only: 0.3,
      email_and_sms: 0.34,
      profiling_withdrawn_later: 0.06,
      profiling_declined: 0.03,
      regranted: 0.03,
    },
  },
  {
    key: 'window_shopper',
    label: 'Window shoppers',
    description: 'Browse often and fill carts they abandon; few orders.',
    share: 0.18,
    signup: { from: 0, to: 1, skew: 0.9 },
    purchaseRate: { shape: 2, rate: 4 },
    dropout: { a: 1, b: 40 },
    firstOrder: { probability: 0.92, meanDelayDays: 5 },
    seasonality: RETAIL_SEASON,
    basket: {
      medianAmount: 60,
      sigma: 0.45,
      extraItems: 0.5,
      discountProbability: 0.4,
      discountShare: [0.1, 0.3],
    },
    brandTiers: { core: 0.5, premium: 0.3, value: 0.2 },
    categories: { apparel: 0.3, home: 0.25, electronics: 0.2, accessories: 0.15, shoes: 0.1 },
    channels: { web: 0.85, app: 0.15 },
    devices: { mobile: 0.6, desktop: 0.3, tablet: 0.1 },
    acquisition: { paid_social: 0.35, social: 0.3, organic_search: 0.2, paid_search: 0.15 },
    status: { cancelled: 0.05, returned: 0.07, refunded: 0.02 },
    engagement: {
      browseSessionsPerMonth: 5,
      abandonCartProbability: 0.65,
      journeyExtraSessions: 2,
      productViewsPerSession: 2,
      emailOpen: 0.3,
      emailClickGivenOpen: 0.25,
      smsClick: 0.06,
      emailDrivenShare: 0.2,
    },
    declared: {
      answerProbability: 0.55,
      priceSensitivity: { medium: 0.5, high: 0.35, low: 0.15 },
      style: { trendy: 0.35, bohemian: 0.35, minimal: 0.3 },
      goal: { inspiration: 0.7, new_arrivals: 0.2, deals: 0.1 },
      preferredChannel: { email: 0.4, app: 0.3, none: 0.3 },
      gender: { female: 0.6, male: 0.34, non_binary: 0.03, prefer_not_to_say: 0.03 },
      age: { mean: 31, sd: 8 },
    },
  },
  {
    key: 'lapsing',
    label: 'Lapsing',
    description: 'Early customers who bought regularly for a while and then dropped out.',
    share: 0.2,
    signup: { from: 0, to: 0.3, skew: 1 },
    purchaseRate: { shape: 10, rate: 2 },
    dropout: { a: 12, b: 4 },
    firstOrder: { probability: 0.9, meanDelayDays: 1 },
    seasonality: FLAT_SEASON,
    basket: {
      medianAmount: 70,
      sigma: 0.4,
      extraItems: 1,
      discountProbability: 0.3,
      discountShare: [0.1, 0.25],
    },
    brandTiers: { core: 0.6, value: 0.25, premium: 0.15 },
    categories: { apparel: 0.3, home: 0.2, sports: 0.2, shoes: 0.15, books: 0.15 },
    channels: { web: 0.8, store: 0.15, app: 0.05 },
    devices: { desktop: 0.6, mobile: 0.35, tablet: 0.05 },
    acquisition: { organic_search: 0.35, paid_search: 0.3, email: 0.15, store: 0.2 },
    status: { cancelled: 0.03, returned: 0.06, refunded: 0.02 },
    engagement: {
      browseSessionsPerMonth: 0.6,
      abandonCartProbability: 0.15,
      journeyExtraSessions: 0.6,
      productViewsPerSession: 1.5,
      emailOpen: 0.3,
      emailClickGivenOpen: 0.2,
      smsClick: 0.05,
      emailDrivenShare: 0.25,
    },
    declared: {
      answerProbability: 0.6,
      priceSensitivity: { medium: 0.6, high: 0.25, low: 0.15 },
      style: { classic: 0.35, practical: 0.35, sporty: 0.3 },
      goal: { essentials: 0.6, deals: 0.2, treat_myself: 0.2 },
      preferredChannel: { email: 0.55, none: 0.3, sms: 0.15 },
      gender: { female: 0.5, male: 0.45, non_binary: 0.02, prefer_not_to_say: 0.03 },
      age: { mean: 42, sd: 12 },
    },
  },
];

export const PERSONA_KEYS = PERSONAS.map((p) => p.key);
