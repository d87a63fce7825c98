import type { FeatureSpec } from '../features/types.js';
import { Rng } from '../core/rng.js';
import { buildPersonas } from './build-personas.js';
import type { FeatureColumn, KSelection, PersonaInput, TimingPrediction, TransitionMatrix } from './types.js';

type Spec = Omit<FeatureSpec, 'consentPurpose' | 'missing' | 'clustering'> & Partial<Pick<FeatureSpec, 'missing' | 'clustering'>>;

function spec(s: Spec): FeatureSpec {
  return { consentPurpose: 'profiling', missing: s.kind === 'categorical' ? 'category' : 'median', clustering: true, ...s };
}

const CATEGORIES = ['fashion', 'home', 'beauty', 'sport', 'kids'] as const;
const PRICE = ['low', 'medium', 'high'] as const;
const CHANNELS = ['email', 'sms', 'app', 'none'] as const;
const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
const DEVICES = ['desktop', 'mobile', 'tablet'] as const;

const share = (name: string, family: FeatureSpec['family'], en: string, fr: string): FeatureSpec =>
  spec({ name, family, kind: 'numeric', unit: 'share', source: 'first-party', transform: 'none', label: { en, fr }, description: { en: `Share of purchase spend: ${en}.`, fr: `Part de la dépense : ${fr}.` } });

/** The demo feature catalogue: names, kinds and labels as the pipeline's feature catalogue has them. */
export const DEMO_FEATURES: readonly FeatureSpec[] = [
  spec({ name: 'recency_days', family: 'value', kind: 'numeric', unit: 'days', source: 'first-party', transform: 'winsorize', label: { en: 'days since last order', fr: 'jours depuis la dernière commande' }, description: { en: 'Days from the last purchase to the as-of date.', fr: 'Jours entre le dernier achat et la date d’analyse.' } }),
  spec({ name: 'orders_count', family: 'value', kind: 'numeric', unit: 'count', source: 'first-party', transform: 'log1p+winsorize', label: { en: 'orders', fr: 'commandes' }, description: { en: 'Purchases up to the as-of date.', fr: 'Achats jusqu’à la date d’analyse.' } }),
  spec({ name: 'monetary_total', family: 'value', kind: 'numeric', unit: 'currency', source: 'first-party', transform: 'log1p+winsorize', label: { en: 'total spend', fr: 'dépense totale' }, description: { en: 'Total amount of all purchases.', fr: 'Montant total de tous les achats.' } }),
  spec({ name: 'average_order_value', family: 'value', kind: 'numeric', unit: 'currency', source: 'first-party', transform: 'log1p+winsorize', label: { en: 'average order value', fr: 'panier moyen' }, description: { en: 'Average amount per purchase.', fr: 'Montant moyen par achat.' } }),
  spec({ name: 'discount_share', family: 'value', kind: 'numeric', unit: 'share', source: 'first-party', transform: 'none', label: { en: 'discount share', fr: 'part de remise' }, description: { en: 'Discounts received / value before discount.', fr: 'Remises obtenues / valeur avant remise.' } }),
  spec({ name: 'tenure_first_purchase_days', family: 'value', kind: 'numeric', unit: 'days', source: 'first-party', transform: 'winsorize', label: { en: 'days since first order', fr: 'jours depuis la première commande' }, description: { en: 'Days since the first purchase.', fr: 'Jours depuis le premier achat.' } }),
  ...CATEGORIES.map((c) => share(`share_category_${c}`, 'mix', `category share: ${c}`, `part catégorie : ${c}`)),
  share('share_channel_app', 'mix', 'channel share: app', 'part canal : app'),
  spec({ name: 'sessions_90d', family: 'engagement', kind: 'numeric', unit: 'count', source: 'first-party', transform: 'log1p+winsorize', label: { en: 'sessions, 90 days', fr: 'sessions, 90 jours' }, description: { en: 'Sessions in the last 90 days.', fr: 'Sessions des 90 derniers jours.' } }),
  spec({ name: 'abandoned_cart_value_30d', family: 'engagement', kind: 'numeric', unit: 'currency', source: 'first-party', transform: 'log1p+winsorize', label: { en: 'abandoned carts, 30 days', fr: 'paniers abandonnés, 30 jours' }, description: { en: 'Value of carts not followed by a purchase within 24 hours, last 30 days.', fr: 'Valeur des paniers sans achat sous 24 heures, 30 derniers jours.' } }),
  spec({ name: 'email_click_rate', family: 'engagement', kind: 'numeric', unit: 'rate', source: 'first-party', transform: 'none', label: { en: 'email click rate', fr: 'taux de clic e-mail' }, description: { en: 'Email clicks per email sent, last 90 days.', fr: 'Clics par e-mail envoyé, 90 derniers jours.' } }),
  spec({ name: 'sms_click_rate', family: 'engagement', kind: 'numeric', unit: 'rate', source: 'first-party', transform: 'none', label: { en: 'SMS click rate', fr: 'taux de clic SMS' }, description: { en: 'SMS clicks per SMS sent, last 90 days.', fr: 'Clics par SMS envoyé, 90 derniers jours.' } }),
  ...CATEGORIES.map((c) => spec({ name: `interest_${c}`, family: 'declared', kind: 'boolean', source: 'zero-party', transform: 'none', label: { en: `interested in ${c}`, fr: `intéressé par ${c}` }, description: { en: `Declared interest in "${c}".`, fr: `Intérêt déclaré pour « ${c} ».` } })),
  spec({ name: 'declared_price_sensitivity', family: 'declared', kind: 'categorical', source: 'zero-party', transform: 'onehot', label: { en: 'price sensitivity', fr: 'sensibilité au prix' }, description: { en: 'Declared price sensitivity (latest answer).', fr: 'Sensibilité au prix déclarée (dernière réponse).' } }),
  spec({ name: 'declared_preferred_channel', family: 'declared', kind: 'categorical', source: 'zero-party', transform: 'onehot', label: { en: 'preferred channel', fr: 'canal préféré' }, description: { en: 'Declared preferred channel (latest answer).', fr: 'Canal préféré déclaré (dernière réponse).' } }),
  spec({ name: 'age_band', family: 'declared', kind: 'categorical', source: 'zero-party', transform: 'onehot', label: { en: 'age band', fr: 'tranche d’âge' }, description: { en: 'Age band from the declared birth year.', fr: 'Tranche d’âge d’après l’année de naissance déclarée.' } }),
  spec({ name: 'device', family: 'technographic', kind: 'categorical', source: 'first-party', transform: 'onehot', label: { en: 'device', fr: 'appareil' }, description: { en: 'Main device.', fr: 'Appareil principal.' } }),
];

/** A planted persona of the demo: the generating parameters. */
interface Archetype {
  readonly key: string;
  readonly weight: number;
  readonly recency: number;
  readonly orders: number;
  readonly aov: number;
  readonly tenure: number;
  readonly discount: number;
  readonly category: readonly number[];
  readonly app: number;
  readonly sessions: number;
  readonly cart: number;
  readonly emailClick: number;
  readonly smsClick: number;
  readonly price: readonly number[];
  readonly channel: readonly number[];
  readonly age: number;
  readonly mobile: number;
  readonly pAlive: number;
  readonly cycle: number;
  readonly email: number;
  readonly sms: number;
  readonly center: readonly [number, number];
}

/** Planted personas; the last one is deliberately smaller than the default minimum size. */
export const DEMO_ARCHETYPES: readonly Archetype[] = [
  { key: 'loyal_premium', weight: 0.16, recency: 14, orders: 9, aov: 120, tenure: 900, discount: 0.08, category: [6, 1, 2, 1, 0.5], app: 0.5, sessions: 30, cart: 0.25, emailClick: 0.09, smsClick: 0.02, price: [6, 3, 1], channel: [7, 1, 1, 2], age: 46, mobile: 0.4, pAlive: 0.95, cycle: 35, email: 0.85, sms: 0.3, center: [2.4, 1.2] },
  { key: 'bargain_hunters', weight: 0.26, recency: 40, orders: 4, aov: 38, tenure: 600, discount: 0.62, category: [1, 5, 1, 1, 2], app: 0.3, sessions: 14, cart: 0.35, emailClick: 0.02, smsClick: 0.08, price: [1, 3, 7], channel: [2, 6, 1, 2], age: 38, mobile: 0.7, pAlive: 0.8, cycle: 60, email: 0.6, sms: 0.7, center: [-0.6, 1.8] },
  { key: 'newcomers', weight: 0.2, recency: 20, orders: 1, aov: 60, tenure: 30, discount: 0.25, category: [1, 1, 5, 1, 1], app: 0.2, sessions: 8, cart: 0.4, emailClick: 0.05, smsClick: 0.03, price: [3, 4, 3], channel: [5, 2, 1, 3], age: 29, mobile: 0.75, pAlive: 0.7, cycle: 70, email: 0.75, sms: 0.35, center: [0.2, -1.6] },
  { key: 'lapsing', weight: 0.22, recency: 260, orders: 1.2, aov: 55, tenure: 800, discount: 0.3, category: [2, 2, 1, 3, 2], app: 0.1, sessions: 1, cart: 0.3, emailClick: 0.005, smsClick: 0.005, price: [3, 4, 3], channel: [3, 1, 1, 6], age: 44, mobile: 0.5, pAlive: 0.25, cycle: 150, email: 0.5, sms: 0.15, center: [-2.2, -0.6] },
  { key: 'cart_browsers', weight: 0.155, recency: 50, orders: 2.5, aov: 140, tenure: 400, discount: 0.15, category: [3, 2, 1, 4, 1], app: 0.75, sessions: 45, cart: 0.8, emailClick: 0.04, smsClick: 0.06, price: [1, 3, 6], channel: [3, 4, 1, 3], age: 33, mobile: 0.85, pAlive: 0.75, cycle: 45, email: 0.65, sms: 0.55, center: [1.4, -0.4] },
  { key: 'tiny_collectors', weight: 0.005, recency: 90, orders: 3, aov: 300, tenure: 1200, discount: 0.05, category: [1, 1, 1, 1, 6], app: 0.1, sessions: 5, cart: 0.2, emailClick: 0.03, smsClick: 0.01, price: [7, 2, 1], channel: [4, 1, 1, 5], age: 58, mobile: 0.2, pAlive: 0.6, cycle: 120, email: 0.6, sms: 0.1, center: [3, -2.5] },
];

export interface DemoOptions {
  readonly seed?: number;
  readonly customers?: number;
  readonly asOf?: string;
  /** Also build a previous run (another seed, 90 days earlier) with a migration matrix. */
  readonly withPrevious?: boolean;
  /** Cluster index each planted archetype is given (default: identity); lets tests split or fuse personas. */
  readonly clusterOfArchetype?: readonly number[];
}

export interface DemoPersonaInput extends PersonaInput {
  /** The planted archetype of each customer (for tests: a persona must be recognisable by its traits). */
  readonly planted: Int32Array;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function kSelectionFor(k: number): KSelection {
  const scores = [2, 3, 4, 5, 6, 7, 8].map((kk) => {
    const peak = -0.02 * (kk - k) ** 2;
    return { k: kk, inertia: 1e5 / kk ** 0.8, silhouette: 0.34 + peak, daviesBouldin: 1.1 - peak * 2, calinskiHarabasz: 4200 + peak * 9000 };
  });
  return { scores, chosenK: k, rule: 'highest silhouette among k whose smallest cluster holds at least 1% of customers' };
}

/**
 * A realistic, seeded persona input with planted personas (no PII): what the pipeline hands to
 * buildPersonas after features, clustering, timing and lifecycle. For tests, demos and the notebook.
 */
export function buildDemoPersonaInput(options: DemoOptions = {}): DemoPersonaInput {
  const seed = options.seed ?? 7;
  const n = options.customers ?? 4000;
  const asOf = options.asOf ?? '2026-11-01';
  const rng = Rng.derive(seed, 'demo-personas');
  const clusterOf = options.clusterOfArchetype ?? DEMO_ARCHETYPES.map((_, i) => i);
  const k = Math.max(...clusterOf) + 1;
  const planted = new Int32Array(n);
  const labels = new Int32Array(n);
  const num = (): Float64Array => new Float64Array(n);
  const numeric: Record<string, Float64Array> = Object.fromEntries(
    DEMO_FEATURES.filter((f) => f.kind !== 'categorical').map((f) => [f.name, num()]),
  );
  const set = (name: string, i: number, value: number): void => {
    (numeric[name] as Float64Array)[i] = value;
  };
  const price: (string | null)[] = [];
  const channel: (string | null)[] = [];
  const ageBand: (string | null)[] = [];
  const device: (string | null)[] = [];
  const revenue = num();
  const orders = num();
  const emailConsent = new Uint8Array(n);
  const smsConsent = new Uint8Array(n);
  const predictions: TimingPrediction[] = [];
  const segment: (string | null)[] = [];
  const vip = new Uint8Array(n);
  const points: { x: number; y: number; label: number }[] = [];
  const customerIds: string[] = [];
  const weights = DEMO_ARCHETYPES.map((a) => a.weight);
  for (let i = 0; i < n; i++) {
    const a = rng.weightedIndex(weights);
    const t = DEMO_ARCHETYPES[a] as Archetype;
    planted[i] = a;
    labels[i] = clusterOf[a] as number;
    customerIds.push(`C${String(i + 1).padStart(6, '0')}`);
    const ordersCount = Math.max(1, rng.poisson(t.orders));
    const aov = Math.max(5, t.aov * Math.exp(rng.normal(0, 0.35)));
    const recency = Math.max(0, Math.round(t.recency * rng.gamma(2, 2)));
    const tenure = Math.max(recency, Math.round(t.tenure * rng.gamma(4, 4)));
    set('recency_days', i, recency);
    set('orders_count', i, ordersCount);
    set('average_order_value', i, aov);
    set('monetary_total', i, ordersCount * aov);
    set('tenure_first_purchase_days', i, tenure);
    set('discount_share', i, clamp01(rng.beta(1 + 8 * t.discount, 1 + 8 * (1 - t.discount))));
    // Spend shares across categories: a Dirichlet draw around the archetype's category weights.
    const draws = t.category.map((w) => rng.gamma(w * 1.5, 1));
    const total = draws.reduce((x, y) => x + y, 0);
    CATEGORIES.forEach((c, j) => set(`share_category_${c}`, i, (draws[j] as number) / total));
    set('share_channel_app', i, clamp01(rng.beta(1 + 6 * t.app, 1 + 6 * (1 - t.app))));
    set('sessions_90d', i, rng.poisson(t.sessions));
    set('abandoned_cart_value_30d', i, rng.bernoulli(t.cart) ? aov * rng.gamma(2, 1) : 0);
    emailConsent[i] = rng.bernoulli(t.email) ? 1 : 0;
    smsConsent[i] = rng.bernoulli(t.sms) ? 1 : 0;
    set('email_click_rate', i, emailConsent[i] ? clamp01(rng.beta(1 + 60 * t.emailClick, 60 * (1 - t.emailClick))) : NaN);
    set('sms_click_rate', i, smsConsent[i] ? clamp01(rng.beta(1 + 60 * t.smsClick, 60 * (1 - t.smsClick))) : NaN);
    const answered = rng.bernoulli(0.6);
    const favourite = rng.weightedIndex(t.category);
    CATEGORIES.forEach((c, j) => set(`interest_${c}`, i, answered ? (j === favourite || rng.bernoulli(0.12) ? 1 : 0) : NaN));
    price.push(answered ? (PRICE[rng.weightedIndex(t.price)] as string) : null);
    channel.push(answered ? (CHANNELS[rng.weightedIndex(t.channel)] as string) : null);
    const age = rng.normal(t.age, 9);
    ageBand.push(answered ? (AGE_BANDS[Math.max(0, Math.min(5, age < 25 ? 0 : Math.floor((age - 15) / 10)))] as string) : null);
    device.push(rng.bernoulli(t.mobile) ? 'mobile' : (DEVICES[rng.bernoulli(0.8) ? 0 : 2] as string));
    revenue[i] = ordersCount * aov;
    orders[i] = ordersCount;
    const pAlive = clamp01(t.pAlive + rng.normal(0, 0.08));
    const rate = 1 / t.cycle;
    const pBuy30 = clamp01(pAlive * (1 - Math.exp(-30 * rate * Math.exp(rng.normal(0, 0.3)))));
    const nextDays = pAlive > 0.15 ? Math.round((t.cycle * rng.gamma(3, 3)) / pAlive) : null;
    predictions.push({ customerId: customerIds[i] as string, pAlive, pBuy30, nextPurchaseDays: nextDays, clv: pAlive * aov * t.orders * 1.5 * Math.exp(rng.normal(0, 0.2)) });
    const isNew = tenure <= 60;
    segment.push(isNew ? 'new' : recency > 365 ? 'lapsed' : pAlive < 0.4 ? 'at_risk' : recency > t.cycle * 1.5 ? 'due' : 'active');
    vip[i] = ordersCount >= 10 || ordersCount * aov > 1500 ? 1 : 0;
    if (i % 2 === 0) points.push({ x: t.center[0] + rng.normal(0, 0.6), y: t.center[1] + rng.normal(0, 0.6), label: labels[i] as number });
  }
  const columns: Record<string, FeatureColumn> = {
    ...numeric,
    declared_price_sensitivity: price,
    declared_preferred_channel: channel,
    age_band: ageBand,
    device,
  };
  const clusters = Array.from({ length: k }, (_, c) => ({ personaId: `P${c + 1}`, stability: 0.7 + 0.05 * ((c * 7) % 5) }));
  const base: DemoPersonaInput = {
    customerIds,
    features: DEMO_FEATURES,
    columns,
    labels,
    clusters,
    revenue,
    orders,
    reachability: { emailConsent, smsConsent, emailEngagement: numeric['email_click_rate'] as Float64Array, smsEngagement: numeric['sms_click_rate'] as Float64Array },
    predictions,
    lifecycle: { segment, vip },
    pca: { points, explainedVariance: [0.31, 0.18] },
    kSelection: kSelectionFor(k),
    run: {
      asOf,
      runId: `demo-${seed}-${asOf}`,
      consentBasis: 'consent',
      featureFamilies: ['value', 'timing', 'mix', 'engagement', 'declared', 'technographic'],
      warnings: [],
      currency: 'EUR',
    },
    planted,
  };
  if (!options.withPrevious) return base;
  const previousInput = buildDemoPersonaInput({ seed: seed + 1000, customers: Math.round(n * 0.9), asOf: shiftIso(asOf, -91), clusterOfArchetype: clusterOf });
  const previous = buildPersonas(previousInput);
  const ids = clusters.map((c) => c.personaId);
  const migrationRng = Rng.derive(seed, 'demo-migration');
  const counts: number[][] = ids.map(() => ids.map(() => 0));
  // Customers in both runs: most stay, lapsing ones come from every persona, newcomers grow up.
  for (let i = 0; i < Math.min(n, previousInput.customerIds.length); i++) {
    const now = labels[i] as number;
    const stay = migrationRng.bernoulli(0.82);
    const before = stay ? now : migrationRng.int(k);
    (counts[before] as number[])[now] = ((counts[before] as number[])[now] as number) + 1;
  }
  const migration: TransitionMatrix = { from: ids, to: ids, counts };
  const states = ['new', 'active', 'due', 'at_risk', 'lapsed'];
  const lifecycleTransitions: TransitionMatrix = {
    from: states,
    to: states,
    counts: states.map((_, r) => states.map((__, c) => Math.round((r === c ? 400 : 60) * (0.5 + migrationRng.next())))),
  };
  return { ...base, previous: { document: previous, migration, lifecycleTransitions } };
}

function shiftIso(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
