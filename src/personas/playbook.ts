import { addDays, parseIsoDate, toIsoDate } from '../core/time.js';
import { formatDays, formatNumber, formatShare } from './format.js';
import type { FeatureRole } from './roles.js';
import type { Action, Lang, Localized, Trait } from './types.js';

/** What the playbook looks at for one persona. Nulls mean "not measured in this run". */
export interface PlaybookFacts {
  readonly asOf: string;
  readonly ordersPerCustomer: number;
  readonly populationOrdersPerCustomer: number;
  readonly averageOrderValue: number | null;
  readonly populationAverageOrderValue: number | null;
  readonly meanPAlive: number | null;
  readonly medianNextPurchaseDays: number | null;
  /** Lifecycle segment → share of the persona. */
  readonly lifecycle: Readonly<Record<string, number>> | null;
  readonly vipShare: number | null;
  /** The persona's trait for each role that has a feature (the role's feature where the persona stands out most). */
  readonly roles: Partial<Record<FeatureRole, Trait>>;
  readonly emailConsentShare: number;
  readonly smsConsentShare: number;
  readonly emailEngagement: number | null;
  readonly smsEngagement: number | null;
  readonly bestChannel: 'email' | 'sms' | null;
}

type Outcome = { readonly missing: string } | Omit<Action, 'rule' | 'priority'> | null;

export interface PlaybookRule {
  readonly id: string;
  readonly priority: number;
  /** In words, for the report's method section. */
  readonly condition: Localized;
  readonly evaluate: (facts: PlaybookFacts) => Outcome;
}

const both = (make: (lang: Lang) => string): Localized => ({ en: make('en'), fr: make('fr') });
const n = formatNumber;
const pct = formatShare;

/** "<what> 0.61 vs 0.35 (effect 1.21)": a trait as the reason of a rule. */
function traitReason(what: Localized, trait: Trait, l: Lang): string {
  return l === 'fr'
    ? `${what.fr} ${n(trait.personaValue, l)} contre ${n(trait.populationValue, l)} (effet ${n(trait.effect, l, 2)})`
    : `${what.en} ${n(trait.personaValue, l)} vs ${n(trait.populationValue, l)} (effect ${n(trait.effect, l, 2)})`;
}

function dateIn(asOf: string, days: number): string {
  const date = parseIsoDate(asOf);
  return date ? toIsoDate(addDays(date, days)) : `+${days}`;
}

function shareOf(lifecycle: Readonly<Record<string, number>> | null, segments: readonly string[]): number {
  if (!lifecycle) return 0;
  return segments.reduce((sum, s) => sum + (lifecycle[s] ?? 0), 0);
}

/**
 * The playbook: transparent rules, each with the condition in words, firing with the numbers that made it
 * fire. Thresholds are the ones a CRM team would start from; they are data here so they can be read.
 */
export const PLAYBOOK: readonly PlaybookRule[] = [
  {
    id: 'loyal_exclusive_offers',
    priority: 1,
    condition: {
      en: 'orders per customer ≥ 1.5 × average and mean P(alive) ≥ 0.7 (when predicted), or ≥ 30% VIP',
      fr: 'commandes par client ≥ 1,5 × la moyenne et P(actif) moyenne ≥ 0,7 (si prédite), ou ≥ 30 % de VIP',
    },
    evaluate: (f) => {
      const ratio = f.ordersPerCustomer / Math.max(1e-9, f.populationOrdersPerCustomer);
      const loyal = ratio >= 1.5 && (f.meanPAlive === null || f.meanPAlive >= 0.7);
      const vip = f.vipShare !== null && f.vipShare >= 0.3;
      if (!loyal && !vip) return null;
      return {
        title: { en: 'Reward loyalty with exclusive offers (early access, loyalty tier, no blanket discounts)', fr: 'Récompenser la fidélité par des offres exclusives (avant-premières, palier fidélité, sans remise générale)' },
        reason: both((l) => {
          const parts = [
            l === 'fr'
              ? `${n(f.ordersPerCustomer, l)} commandes par client contre ${n(f.populationOrdersPerCustomer, l)} en moyenne (×${n(ratio, l, 1)})`
              : `${n(f.ordersPerCustomer, l)} orders per customer vs ${n(f.populationOrdersPerCustomer, l)} on average (×${n(ratio, l, 1)})`,
          ];
          if (f.meanPAlive !== null) parts.push(l === 'fr' ? `P(actif) moyenne ${n(f.meanPAlive, l, 2)}` : `mean P(alive) ${n(f.meanPAlive, l, 2)}`);
          if (f.vipShare !== null) parts.push(`${pct(f.vipShare, l)} VIP`);
          return parts.join(l === 'fr' ? ' ; ' : '; ');
        }),
        channel: f.bestChannel,
        sendInDays: null,
      };
    },
  },
  {
    id: 'onboarding_new',
    priority: 2,
    condition: { en: '≥ 30% in the "new" lifecycle segment, or tenure clearly shorter than average (d ≤ −0.5)', fr: '≥ 30 % dans le segment « nouveau », ou ancienneté nettement plus courte (d ≤ −0,5)' },
    evaluate: (f) => {
      const tenure = f.roles.tenure;
      if (!f.lifecycle && !tenure) return { missing: 'lifecycle segments or a tenure feature' };
      const newShare = shareOf(f.lifecycle, ['new']);
      const shortTenure = tenure !== undefined && tenure.significant && tenure.effect <= -0.5;
      if (newShare < 0.3 && !shortTenure) return null;
      return {
        title: { en: 'Onboarding journey: welcome, best-sellers, second-purchase incentive', fr: 'Parcours d’accueil : bienvenue, meilleures ventes, incitation au deuxième achat' },
        reason: both((l) =>
          newShare >= 0.3 || !tenure
            ? l === 'fr' ? `${pct(newShare, l)} de nouveaux clients` : `${pct(newShare, l)} are new customers`
            : traitReason({ en: 'tenure', fr: 'ancienneté' }, tenure, l),
        ),
        channel: f.bestChannel,
        sendInDays: 0,
      };
    },
  },
  {
    id: 'abandoned_cart_24h',
    priority: 3,
    condition: {
      en: 'abandoned carts above average (effect ≥ 0.3) with an average order value ≥ 1.1 × average, or far above average (effect ≥ 0.8)',
      fr: 'paniers abandonnés supérieurs à la moyenne (effet ≥ 0,3) avec un panier moyen ≥ 1,1 × la moyenne, ou très supérieurs (effet ≥ 0,8)',
    },
    evaluate: (f) => {
      const cart = f.roles.cart;
      if (!cart) return { missing: 'a cart-abandonment feature' };
      const valueRatio = f.averageOrderValue !== null && f.populationAverageOrderValue ? f.averageOrderValue / f.populationAverageOrderValue : 0;
      if (!(cart.significant && cart.effect >= 0.3 && (valueRatio >= 1.1 || cart.effect >= 0.8))) return null;
      return {
        title: { en: 'Abandoned-cart reminder within 24 hours', fr: 'Relance de panier abandonné sous 24 heures' },
        reason: both(
          (l) =>
            valueRatio > 0
              ? `${traitReason({ en: 'abandoned carts', fr: 'paniers abandonnés' }, cart, l)} ${l === 'fr' ? 'et panier moyen' : 'and average order value'} ×${n(valueRatio, l, 2)}`
              : traitReason({ en: 'abandoned carts', fr: 'paniers abandonnés' }, cart, l),
        ),
        channel: f.bestChannel,
        sendInDays: 1,
      };
    },
  },
  {
    id: 'win_back_before_due',
    priority: 2,
    condition: { en: '≥ 30% at risk or lapsed, or mean P(alive) < 0.5; send a week before the median predicted purchase, within 14 days', fr: '≥ 30 % à risque ou inactifs, ou P(actif) moyenne < 0,5 ; envoi une semaine avant l’achat prédit (médiane), sous 14 jours' },
    evaluate: (f) => {
      if (!f.lifecycle && f.meanPAlive === null) return { missing: 'lifecycle segments or timing predictions' };
      const lapsing = shareOf(f.lifecycle, ['at_risk', 'lapsed']);
      const lowAlive = f.meanPAlive !== null && f.meanPAlive < 0.5;
      if (lapsing < 0.3 && !lowAlive) return null;
      const due = f.medianNextPurchaseDays;
      // A week before the predicted purchase, but never later than two weeks out: lapsing customers cool fast.
      const sendInDays = due === null ? 0 : Math.min(14, Math.max(0, Math.round(due) - 7));
      return {
        title: both((l) => (l === 'fr' ? `Campagne de reconquête d’ici le ${dateIn(f.asOf, sendInDays)}` : `Win-back campaign by ${dateIn(f.asOf, sendInDays)}`)),
        reason: both((l) => {
          const parts: string[] = [];
          if (f.lifecycle) parts.push(l === 'fr' ? `${pct(lapsing, l)} à risque ou inactifs` : `${pct(lapsing, l)} at risk or lapsed`);
          if (f.meanPAlive !== null) parts.push(l === 'fr' ? `P(actif) moyenne ${n(f.meanPAlive, l, 2)}` : `mean P(alive) ${n(f.meanPAlive, l, 2)}`);
          if (due !== null) parts.push(l === 'fr' ? `prochain achat prédit (médiane) dans ${formatDays(due, l)}` : `median predicted next purchase in ${formatDays(due, l)}`);
          return parts.join(l === 'fr' ? ' ; ' : '; ');
        }),
        channel: f.bestChannel,
        sendInDays,
      };
    },
  },
  {
    id: 'price_sensitive_targeted_promotions',
    priority: 4,
    condition: { en: 'discount use clearly above average (effect ≥ 0.5)', fr: 'usage des remises nettement supérieur à la moyenne (effet ≥ 0,5)' },
    evaluate: (f) => {
      const discount = f.roles.discount;
      if (!discount) return { missing: 'a discount feature' };
      if (!(discount.significant && discount.effect >= 0.5)) return null;
      return {
        title: { en: 'Targeted promotions on their favourite categories rather than site-wide discounts', fr: 'Promotions ciblées sur leurs catégories préférées plutôt que des remises générales' },
        reason: both((l) => traitReason({ en: 'discounts', fr: 'remises' }, discount, l)),
        channel: f.bestChannel,
        sendInDays: null,
      };
    },
  },
  {
    id: 'channel_by_consent_engagement',
    priority: 5,
    condition: { en: 'the channel with the highest consent share × engagement rate, when ≥ 5% can be reached', fr: 'le canal au plus fort taux de consentement × engagement, si ≥ 5 % sont joignables' },
    evaluate: (f) => {
      if (f.bestChannel === null) return null;
      const best = f.bestChannel;
      const describe = (l: Lang, channel: 'email' | 'sms'): string => {
        const consent = channel === 'email' ? f.emailConsentShare : f.smsConsentShare;
        const engagement = channel === 'email' ? f.emailEngagement : f.smsEngagement;
        const name = channel === 'email' ? (l === 'fr' ? 'e-mail' : 'email') : 'SMS';
        const eng = engagement === null ? '' : l === 'fr' ? `, engagement ${pct(engagement, l)}` : `, engagement ${pct(engagement, l)}`;
        return l === 'fr' ? `${name}\u00a0: consentement ${pct(consent, l)}${eng}` : `${name}: consent ${pct(consent, l)}${eng}`;
      };
      return {
        title: both((l) => (l === 'fr' ? `Canal principal : ${best === 'email' ? 'e-mail' : 'SMS'}` : `Lead channel: ${best === 'email' ? 'email' : 'SMS'}`)),
        reason: both((l) => `${describe(l, best)} (${describe(l, best === 'email' ? 'sms' : 'email')})`),
        channel: best,
        sendInDays: null,
      };
    },
  },
  {
    id: 'time_by_next_purchase',
    priority: 6,
    condition: { en: 'median predicted next purchase within 90 days: message 3 days before it', fr: 'prochain achat prédit (médiane) sous 90 jours : message 3 jours avant' },
    evaluate: (f) => {
      const due = f.medianNextPurchaseDays;
      if (due === null) return { missing: 'timing predictions' };
      if (due > 90) return null;
      const sendInDays = Math.max(0, Math.round(due) - 3);
      return {
        title: both((l) => (l === 'fr' ? `Programmer le prochain message vers le ${dateIn(f.asOf, sendInDays)}` : `Schedule the next message around ${dateIn(f.asOf, sendInDays)}`)),
        reason: both((l) => (l === 'fr' ? `prochain achat prédit (médiane) dans ${formatDays(due, l)}` : `median predicted next purchase in ${formatDays(due, l)}`)),
        channel: f.bestChannel,
        sendInDays,
      };
    },
  },
  {
    id: 'grow_consent',
    priority: 7,
    condition: { en: 'fewer than 40% reachable by email or SMS', fr: 'moins de 40 % joignables par e-mail ou SMS' },
    evaluate: (f) => {
      const reachable = Math.max(f.emailConsentShare, f.smsConsentShare);
      if (reachable >= 0.4) return null;
      return {
        title: { en: 'Grow opt-ins (account, checkout, in-store) before investing in campaigns', fr: 'Développer les consentements (compte, paiement, magasin) avant d’investir en campagnes' },
        reason: both((l) => (l === 'fr' ? `consentement e-mail ${pct(f.emailConsentShare, l)}, SMS ${pct(f.smsConsentShare, l)}` : `email consent ${pct(f.emailConsentShare, l)}, SMS ${pct(f.smsConsentShare, l)}`)),
        channel: null,
        sendInDays: null,
      };
    },
  },
];

/** Runs the playbook: the actions that fired (by priority) and the rules that lacked data. */
export function runPlaybook(facts: PlaybookFacts, rules: readonly PlaybookRule[] = PLAYBOOK): { actions: Action[]; missing: { rule: string; missing: string }[] } {
  const actions: Action[] = [];
  const missing: { rule: string; missing: string }[] = [];
  for (const rule of rules) {
    const outcome = rule.evaluate(facts);
    if (outcome === null) continue;
    if ('missing' in outcome) {
      missing.push({ rule: rule.id, missing: outcome.missing });
      continue;
    }
    actions.push({ rule: rule.id, priority: rule.priority, ...outcome });
  }
  actions.sort((a, b) => a.priority - b.priority || (a.rule < b.rule ? -1 : 1));
  return { actions, missing };
}
