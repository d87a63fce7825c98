import type { FeatureSpec } from '../features/types.js';
import { addDays, daysBetween, parseIsoDate, toIsoDate } from '../core/time.js';
import { formatDate, formatDays, formatMoney, formatNumber, formatShare, formatValue } from './format.js';
import type { FeatureRole } from './roles.js';
import type { Action, Lang, Localized, TimingFigures, Trait, ValueFigures } from './types.js';

/** Who can be reached where, when the data says (null: no consent records). */
export interface PlaybookReach {
  readonly emailConsentShare: number;
  readonly smsConsentShare: number;
  readonly emailEngagement: number | null;
  readonly smsEngagement: number | null;
  readonly bestChannel: 'email' | 'sms' | null;
}

/** What the playbook looks at for one persona. Nulls mean "not measured in this run". */
export interface PlaybookFacts {
  readonly asOf: string;
  /** The persona's figures and the whole base's (the same definitions: figures.ts). */
  readonly value: ValueFigures;
  readonly population: ValueFigures;
  readonly timing: TimingFigures | null;
  /** Lifecycle segment → share of the persona. */
  readonly lifecycle: Readonly<Record<string, number>> | null;
  readonly vipShare: number | null;
  /** The persona's season is November–December: the name's season word backs it (naming.ts SEASONAL_WORD). */
  readonly seasonal: boolean;
  /** The persona's trait for each role that has a feature (the role's feature where the persona stands out most). */
  readonly roles: Partial<Record<FeatureRole, Trait>>;
  readonly reach: PlaybookReach | null;
  readonly currency?: string;
  /** Units of the features, to write trait values as the traits table does. */
  readonly units?: Readonly<Record<string, FeatureSpec['unit']>>;
}

/** An action before the playbook adds its rule id and priority (a rule may lower its own priority for a persona). */
type Fired = Omit<Action, 'rule' | 'priority'> & { readonly priority?: number };
type Outcome = { readonly missing: string } | Fired | null;

export interface PlaybookRule {
  readonly id: string;
  readonly priority: number;
  /** In words, for the report's method section. */
  readonly condition: Localized;
  readonly evaluate: (facts: PlaybookFacts) => Outcome;
}

/**
 * When the November–December season is worked: campaigns open on 1 November; until 15 December there is
 * still time to act within the season, after that the next one is a year away.
 */
/** A win-back for the at-risk and lapsed part of a persona that mostly still buys: after its growth actions. */
const WIN_BACK_PART_PRIORITY = 4;

export const SEASON = { opens: { month: 11, day: 1 }, lastCall: { month: 12, day: 15 } } as const;

/** Days from the as-of date to the season's next opening, or 1 when the season is on (≥ 1 either way). */
export function daysToSeason(asOf: string): number {
  const at = parseIsoDate(asOf);
  if (!at) return 1;
  const year = at.getUTCFullYear();
  const opens = (y: number): Date => new Date(Date.UTC(y, SEASON.opens.month - 1, SEASON.opens.day));
  const lastCall = new Date(Date.UTC(year, SEASON.lastCall.month - 1, SEASON.lastCall.day));
  if (at >= opens(year) && at < lastCall) return 1;
  const next = at < opens(year) ? opens(year) : opens(year + 1);
  return Math.max(1, Math.round(daysBetween(at, next)));
}

const both = (make: (lang: Lang) => string): Localized => ({ en: make('en'), fr: make('fr') });
const n = formatNumber;
const pct = formatShare;
const sep = (l: Lang): string => (l === 'fr' ? ' ; ' : '; ');

/** "<what> 35% vs 10% (effect 1.78)": a trait as the reason of a rule, in its unit as in the traits table. */
function traitReason(what: Localized, trait: Trait, f: PlaybookFacts, l: Lang): string {
  const unit = f.units?.[trait.feature];
  const a = formatValue(trait.personaValue, unit, l, f.currency);
  const b = formatValue(trait.populationValue, unit, l, f.currency);
  return l === 'fr' ? `${what.fr} ${a} contre ${b} (effet ${n(trait.effect, l, 2)})` : `${what.en} ${a} vs ${b} (effect ${n(trait.effect, l, 2)})`;
}

function channelWords(channel: 'email' | 'sms' | null, l: Lang): string {
  if (channel === null) return '';
  if (channel === 'sms') return l === 'fr' ? ' par SMS' : ' by SMS';
  return l === 'fr' ? ' par e-mail' : ' by email';
}

/**
 * The action of a rule: "<verb phrase><by channel> on <date>", dated `days` after the as-of date (never
 * earlier than the next day).
 */
function act(f: PlaybookFacts, days: number, what: Localized, reason: Localized, options: { readonly from?: boolean; readonly anyChannel?: boolean } = {}): Fired {
  const sendInDays = Math.max(1, Math.round(days));
  const at = parseIsoDate(f.asOf);
  const date = at ? toIsoDate(addDays(at, sendInDays)) : f.asOf;
  const channel = options.anyChannel ? null : (f.reach?.bestChannel ?? null);
  const when = (l: Lang): string =>
    options.from
      ? l === 'fr' ? `à partir du ${formatDate(date, l)}` : `from ${formatDate(date, l)}`
      : l === 'fr' ? `le ${formatDate(date, l)}` : `on ${formatDate(date, l)}`;
  return {
    title: both((l) => `${what[l]}${channelWords(channel, l)} ${when(l)}`),
    reason,
    channel,
    sendInDays,
    date,
  };
}

/** Lifecycle segments of customers buying now (as the name word "Active", naming.ts). */
const ACTIVE = ['new', 'active', 'due', 'reactivated'] as const;

function shareOf(lifecycle: Readonly<Record<string, number>> | null, segments: readonly string[]): number {
  if (!lifecycle) return 0;
  return segments.reduce((sum, s) => sum + (lifecycle[s] ?? 0), 0);
}

/** Days until the persona's next purchase (median), when predicted. */
function dueIn(f: PlaybookFacts): number | null {
  return f.timing?.medianNextPurchaseDays ?? null;
}

/** When to send a campaign: in the season for a seasonal persona, else a few days before the predicted purchase. */
function campaignDay(f: PlaybookFacts, lead: number, fallback: number): number {
  if (f.seasonal) return daysToSeason(f.asOf);
  const due = dueIn(f);
  return due !== null && due <= 90 ? due - lead : fallback;
}

function seasonReason(f: PlaybookFacts, l: Lang): string {
  const p = f.value.novDecSpendShare ?? 0;
  const q = f.population.novDecSpendShare ?? 0;
  return l === 'fr'
    ? `en moyenne ${pct(p, l)} de leur dépense en novembre–décembre (${pct(q, l)} pour l’ensemble des clients)`
    : `on average ${pct(p, l)} of their spend in November–December (${pct(q, l)} for all customers)`;
}

function money(x: number | null, f: PlaybookFacts, l: Lang): string {
  return x === null ? '–' : formatMoney(x, l, f.currency);
}

/** The value tier of a lapsing persona decides how much a win-back may cost. */
function valueTier(f: PlaybookFacts): 'high' | 'low' | 'mid' {
  const aov = f.value.averageOrderValue;
  const baseAov = f.population.averageOrderValue;
  const rpc = f.value.revenuePerCustomer / Math.max(1e-9, f.population.revenuePerCustomer);
  const basket = aov !== null && baseAov !== null && baseAov > 0 ? aov / baseAov : null;
  if (rpc >= 1.5 || (basket !== null && basket >= 1.25)) return 'high';
  // "Their past spend is small" must hold per order too: a persona with bigger baskets than everyone's is not.
  if (rpc <= 0.67 && (basket === null || basket <= 1)) return 'low';
  return 'mid';
}

/**
 * The playbook: transparent rules, each with the condition in words, firing with the numbers that made it
 * fire. Every action is a verb with a date after the as-of date; a seasonal persona's campaigns are dated in
 * its season. Thresholds are the ones a CRM team would start from; they are data here so they can be read.
 */
export const PLAYBOOK: readonly PlaybookRule[] = [
  {
    id: 'loyal_exclusive_offers',
    priority: 1,
    condition: {
      en: 'orders per customer ≥ 1.5 × everyone’s and mean P(alive) ≥ 0.7 (when predicted), or ≥ 30% VIP; a week before the predicted purchase (in the season for a seasonal persona)',
      fr: 'commandes par client ≥ 1,5 × celles de l’ensemble et P(actif) moyenne ≥ 0,7 (si prédite), ou ≥ 30 % de VIP ; une semaine avant l’achat prédit (dans la saison pour un persona saisonnier)',
    },
    evaluate: (f) => {
      const ratio = f.value.ordersPerCustomer / Math.max(1e-9, f.population.ordersPerCustomer);
      const pAlive = f.timing?.meanPAlive ?? null;
      const loyal = ratio >= 1.5 && (pAlive === null || pAlive >= 0.7);
      const vip = f.vipShare !== null && f.vipShare >= 0.3;
      if (!loyal && !vip) return null;
      return act(
        f,
        campaignDay(f, 7, 7),
        { en: 'Invite them to an exclusive offer (early access, loyalty tier, no blanket discount)', fr: 'Les inviter à une offre exclusive (avant-première, palier fidélité, sans remise générale)' },
        both((l) => {
          const parts = [
            l === 'fr'
              ? `${n(f.value.ordersPerCustomer, l)} commandes par client contre ${n(f.population.ordersPerCustomer, l)} pour l’ensemble (×${n(ratio, l, 1)})`
              : `${n(f.value.ordersPerCustomer, l)} orders per customer vs ${n(f.population.ordersPerCustomer, l)} for everyone (×${n(ratio, l, 1)})`,
          ];
          if (pAlive !== null) parts.push(l === 'fr' ? `P(actif) moyenne ${n(pAlive, l, 2)}` : `mean P(alive) ${n(pAlive, l, 2)}`);
          if (f.vipShare !== null) parts.push(`${pct(f.vipShare, l)} VIP`);
          if (f.seasonal) parts.push(seasonReason(f, l));
          return parts.join(sep(l));
        }),
      );
    },
  },
  {
    id: 'onboarding_new',
    priority: 2,
    condition: { en: '≥ 30% in the "new" lifecycle segment, or tenure clearly shorter than average (d ≤ −0.5); from the next day', fr: '≥ 30 % dans le segment « nouveau », ou ancienneté nettement plus courte (d ≤ −0,5) ; dès le lendemain' },
    evaluate: (f) => {
      const tenure = f.roles.tenure;
      if (!f.lifecycle && !tenure) return { missing: 'lifecycle segments or a tenure feature' };
      const newShare = shareOf(f.lifecycle, ['new']);
      const shortTenure = tenure !== undefined && tenure.significant && tenure.effect <= -0.5;
      if (newShare < 0.3 && !shortTenure) return null;
      return act(
        f,
        1,
        { en: 'Start the onboarding journey (welcome, best-sellers, second-purchase incentive)', fr: 'Lancer le parcours d’accueil (bienvenue, meilleures ventes, incitation au deuxième achat)' },
        both((l) =>
          newShare >= 0.3 || !tenure
            ? l === 'fr' ? `${pct(newShare, l)} de nouveaux clients` : `${pct(newShare, l)} are new customers`
            : traitReason({ en: 'tenure', fr: 'ancienneté' }, tenure, f, l),
        ),
        { from: true },
      );
    },
  },
  {
    id: 'abandoned_cart_24h',
    priority: 3,
    condition: {
      en: 'abandoned carts above average (effect ≥ 0.3) with an average order value ≥ 1.1 × everyone’s, or far above average (effect ≥ 0.8); from the next day',
      fr: 'paniers abandonnés supérieurs à la moyenne (effet ≥ 0,3) avec un panier moyen ≥ 1,1 × celui de l’ensemble, ou très supérieurs (effet ≥ 0,8) ; dès le lendemain',
    },
    evaluate: (f) => {
      const cart = f.roles.cart;
      if (!cart) return { missing: 'a cart-abandonment feature' };
      const aov = f.value.averageOrderValue;
      const baseAov = f.population.averageOrderValue;
      const valueRatio = aov !== null && baseAov ? aov / baseAov : 0;
      if (!(cart.significant && cart.effect >= 0.3 && (valueRatio >= 1.1 || cart.effect >= 0.8))) return null;
      const what = { en: 'abandoned carts', fr: 'paniers abandonnés' };
      return act(
        f,
        1,
        { en: 'Switch on a reminder within 24 hours of each abandoned cart', fr: 'Activer une relance sous 24 heures après chaque panier abandonné' },
        both((l) =>
          valueRatio > 0
            ? `${traitReason(what, cart, f, l)}${sep(l)}${l === 'fr' ? `panier moyen ${money(aov, f, l)} contre ${money(baseAov, f, l)}` : `average order value ${money(aov, f, l)} vs ${money(baseAov, f, l)}`}`
            : traitReason(what, cart, f, l),
        ),
        { from: true },
      );
    },
  },
  {
    id: 'win_back_before_due',
    priority: 2,
    condition: {
      en: '≥ 30% at risk or lapsed, or mean P(alive) < 0.5; a week before the median predicted purchase, between 1 and 14 days out (in the season for a seasonal persona); the offer follows the persona’s value (revenue per customer ≥ 1.5 × or order value ≥ 1.25 × everyone’s: personal offer; revenue per customer ≤ 0.67 × and order value ≤ everyone’s: low-cost message); when fewer than half are at risk or lapsed (and mean P(alive) ≥ 0.5), it goes to those customers only and comes after the persona’s growth actions',
      fr: '≥ 30 % à risque ou inactifs, ou P(actif) moyenne < 0,5 ; une semaine avant l’achat prédit (médiane), entre 1 et 14 jours (dans la saison pour un persona saisonnier) ; l’offre suit la valeur du persona (CA par client ≥ 1,5 × ou panier ≥ 1,25 × ceux de l’ensemble : offre personnalisée ; CA par client ≤ 0,67 × et panier ≤ celui de l’ensemble : message peu coûteux) ; quand moins de la moitié sont à risque ou inactifs (et P(actif) moyenne ≥ 0,5), elle ne vise que ces clients et vient après les actions de croissance du persona',
    },
    evaluate: (f) => {
      const pAlive = f.timing?.meanPAlive ?? null;
      if (!f.lifecycle && pAlive === null) return { missing: 'lifecycle segments or timing predictions' };
      const lapsing = shareOf(f.lifecycle, ['at_risk', 'lapsed', 'win_back']);
      const lowAlive = pAlive !== null && pAlive < 0.5;
      if (lapsing < 0.3 && !lowAlive) return null;
      const due = dueIn(f);
      // A week before the predicted purchase, but never later than two weeks out: lapsing customers cool fast.
      const days = f.seasonal ? daysToSeason(f.asOf) : due === null ? 7 : Math.min(14, Math.max(1, Math.round(due) - 7));
      const tier = valueTier(f);
      const offer: Localized =
        tier === 'high'
          ? { en: 'Send a personal win-back offer (high-value customers: worth a real incentive)', fr: 'Envoyer une offre de reconquête personnalisée (clients à forte valeur : une vraie incitation se justifie)' }
          : tier === 'low'
            ? { en: 'Send a low-cost win-back message (no discount: their past spend is small)', fr: 'Envoyer un message de reconquête peu coûteux (sans remise : leur dépense passée est faible)' }
            : { en: 'Send a win-back offer', fr: 'Envoyer une offre de reconquête' };
      // Most of the persona still buys: the win-back is for its at-risk and lapsed part, after growing the rest.
      const partOnly = f.lifecycle !== null && lapsing < 0.5 && !lowAlive;
      const what: Localized = partOnly
        ? {
            en: `${offer.en.replace(/^Send (a|an) /, 'Send its at-risk and lapsed customers a ')}`,
            fr: `${offer.fr.replace(/^Envoyer (une|un) /, 'Envoyer à ses clients à risque ou inactifs $1 ')}`,
          }
        : offer;
      const action = act(
        f,
        days,
        what,
        both((l) => {
          const parts: string[] = [];
          if (f.lifecycle) parts.push(l === 'fr' ? `${pct(lapsing, l)} à risque ou inactifs` : `${pct(lapsing, l)} at risk or lapsed`);
          if (pAlive !== null) parts.push(l === 'fr' ? `P(actif) moyenne ${n(pAlive, l, 2)}` : `mean P(alive) ${n(pAlive, l, 2)}`);
          if (tier !== 'mid')
            parts.push(
              l === 'fr'
                ? `${money(f.value.revenuePerCustomer, f, l)} de CA par client contre ${money(f.population.revenuePerCustomer, f, l)}, panier moyen ${money(f.value.averageOrderValue, f, l)} contre ${money(f.population.averageOrderValue, f, l)}`
                : `revenue per customer ${money(f.value.revenuePerCustomer, f, l)} vs ${money(f.population.revenuePerCustomer, f, l)}, average order value ${money(f.value.averageOrderValue, f, l)} vs ${money(f.population.averageOrderValue, f, l)}`,
            );
          if (f.seasonal) parts.push(seasonReason(f, l));
          else if (due !== null) parts.push(l === 'fr' ? `prochain achat prédit (médiane) dans ${formatDays(due, l)}` : `median predicted next purchase in ${formatDays(due, l)}`);
          return parts.join(sep(l));
        }),
      );
      return partOnly ? { ...action, priority: WIN_BACK_PART_PRIORITY } : action;
    },
  },
  {
    id: 'grow_basket',
    priority: 3,
    condition: {
      en: 'regular buyers with small baskets: average order value ≤ 0.8 × everyone’s, ≥ 50% bought more than once and ≥ 50% active; a few days before the predicted purchase (in the season for a seasonal persona), else in a week',
      fr: 'acheteurs réguliers à petit panier : panier moyen ≤ 0,8 × celui de l’ensemble, ≥ 50 % ont acheté plus d’une fois et ≥ 50 % actifs ; quelques jours avant l’achat prédit (dans la saison pour un persona saisonnier), sinon sous une semaine',
    },
    evaluate: (f) => {
      if (!f.lifecycle) return { missing: 'lifecycle segments' };
      const aov = f.value.averageOrderValue;
      const baseAov = f.population.averageOrderValue;
      const active = shareOf(f.lifecycle, ACTIVE);
      if (aov === null || baseAov === null || !(aov <= 0.8 * baseAov) || f.value.repeatShare < 0.5 || active < 0.5) return null;
      return act(
        f,
        campaignDay(f, 3, 7),
        { en: 'Send a basket-building offer (bundles, free delivery just above their usual basket)', fr: 'Envoyer une offre pour agrandir le panier (lots, livraison offerte juste au-dessus de leur panier habituel)' },
        both((l) =>
          l === 'fr'
            ? `panier moyen ${money(aov, f, l)} contre ${money(baseAov, f, l)} ; ${pct(f.value.repeatShare, l)} ont acheté plus d’une fois ; ${pct(active, l)} actifs`
            : `average order value ${money(aov, f, l)} vs ${money(baseAov, f, l)}; ${pct(f.value.repeatShare, l)} bought more than once; ${pct(active, l)} active`,
        ),
      );
    },
  },
  {
    id: 'seasonal_campaign',
    priority: 2,
    condition: {
      en: 'a seasonal persona (its November–December spend share backs the name’s season word: ≥ 40% and ≥ 1.5 × everyone’s, over a mean history of a year or more): when the season opens on 1 November, or the next day while it is on (until 15 December)',
      fr: 'un persona saisonnier (sa part de dépense en novembre–décembre justifie le mot de saison du nom : ≥ 40 % et ≥ 1,5 × celle de l’ensemble, sur un historique moyen d’au moins un an) : à l’ouverture de la saison le 1er novembre, ou dès le lendemain pendant la saison (jusqu’au 15 décembre)',
    },
    evaluate: (f) => {
      if (f.value.novDecSpendShare === null) return { missing: 'a November–December spend feature' };
      if (!f.seasonal) return null;
      return act(
        f,
        daysToSeason(f.asOf),
        { en: 'Start their holiday-season campaign (gift ideas, delivery dates)', fr: 'Lancer leur campagne des fêtes (idées cadeaux, dates de livraison)' },
        both((l) => seasonReason(f, l)),
      );
    },
  },
  {
    id: 'price_sensitive_targeted_promotions',
    priority: 4,
    condition: {
      en: 'discount use clearly above average (effect ≥ 0.5); a few days before the predicted purchase (in the season for a seasonal persona), else in a week',
      fr: 'usage des remises nettement supérieur à la moyenne (effet ≥ 0,5) ; quelques jours avant l’achat prédit (dans la saison pour un persona saisonnier), sinon sous une semaine',
    },
    evaluate: (f) => {
      const discount = f.roles.discount;
      if (!discount) return { missing: 'a discount feature' };
      if (!(discount.significant && discount.effect >= 0.5)) return null;
      return act(
        f,
        campaignDay(f, 3, 7),
        { en: 'Send promotions on their favourite categories (not site-wide discounts)', fr: 'Envoyer des promotions sur leurs catégories préférées (pas de remise générale)' },
        both((l) => traitReason({ en: 'discounts', fr: 'remises' }, discount, f, l)),
      );
    },
  },
  {
    id: 'time_by_next_purchase',
    priority: 6,
    condition: {
      en: 'median predicted next purchase within 90 days, for a persona that is not seasonal: 3 days before it',
      fr: 'prochain achat prédit (médiane) sous 90 jours, pour un persona non saisonnier : 3 jours avant',
    },
    evaluate: (f) => {
      const due = dueIn(f);
      if (!f.timing) return { missing: 'timing predictions' };
      if (due === null || due > 90 || f.seasonal) return null;
      return act(
        f,
        due - 3,
        { en: 'Send the next message', fr: 'Envoyer le prochain message' },
        both((l) => (l === 'fr' ? `prochain achat prédit (médiane) dans ${formatDays(due, l)}` : `median predicted next purchase in ${formatDays(due, l)}`)),
      );
    },
  },
  {
    id: 'grow_consent',
    priority: 7,
    condition: {
      en: 'consent records show fewer than 40% reachable by email or SMS; from the next day',
      fr: 'les consentements montrent moins de 40 % de clients joignables par e-mail ou SMS ; dès le lendemain',
    },
    evaluate: (f) => {
      if (!f.reach) return { missing: 'consent records (who may be contacted)' };
      const reachable = Math.max(f.reach.emailConsentShare, f.reach.smsConsentShare);
      if (reachable >= 0.4) return null;
      const reach = f.reach;
      return act(
        f,
        1,
        { en: 'Ask for email and SMS opt-ins (account, checkout, in-store)', fr: 'Demander les consentements e-mail et SMS (compte, paiement, magasin)' },
        both((l) => (l === 'fr' ? `consentement e-mail ${pct(reach.emailConsentShare, l)}, SMS ${pct(reach.smsConsentShare, l)}` : `email consent ${pct(reach.emailConsentShare, l)}, SMS ${pct(reach.smsConsentShare, l)}`)),
        { from: true, anyChannel: true },
      );
    },
  },
];

/** Runs the playbook: the actions that fired (by priority, then date) and the rules that lacked data. */
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
    actions.push({ ...outcome, rule: rule.id, priority: outcome.priority ?? rule.priority });
  }
  actions.sort((a, b) => a.priority - b.priority || a.sendInDays - b.sendInDays || (a.rule < b.rule ? -1 : 1));
  return { actions, missing };
}
