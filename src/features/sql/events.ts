import { DUCKDB, type SqlDialect } from '../../engine/dialect.js';
import type { FeaturePlan } from '../plan.js';
import { column, type FamilyQuery, type FeatureColumn } from '../spec.js';
import { asOfSql, daysBefore, withinLastDays, type AsOfSql } from './as-of.js';
import { moneySum } from './exact.js';
import { knownOrdersSql } from './orders.js';
import { purchaseSql } from './purchase-days.js';

/** Event types that show the customer paying attention (sent messages and unsubscribes do not). */
export const ENGAGEMENT_TYPES = [
  'session_start',
  'page_view',
  'product_view',
  'add_to_cart',
  'checkout_start',
  'email_open',
  'email_click',
  'sms_click',
] as const;

export const ABANDONED_CART_FOLLOW_UP_HOURS = 24;

/**
 * Add-to-cart events after `since` (a TIMESTAMP expression) not followed by a purchase within 24 hours
 * (and by the as-of date): one row per abandoned cart event with customer_id, occurred_at, d and value.
 * An ASOF join finds each cart's next purchase without a range join.
 */
export function abandonedCartsSql(plan: FeaturePlan, at: AsOfSql, since: string, d: SqlDialect = DUCKDB): string {
  const carts = `SELECT customer_id, occurred_at, CAST(occurred_at AS DATE) AS d, ${d.ifNull('value', '0')} AS value
    FROM events WHERE ${cartsInWindow(at, since)}`;
  if (!plan.orders) return carts;
  // Only purchases after the window start can follow a cart of the window: an anti-join on customer_id
  // with the 24-hour range as a residual predicate stays small.
  return `SELECT c.customer_id, c.occurred_at, c.d, c.value FROM (${carts}) c
    WHERE NOT EXISTS (SELECT 1 FROM (${knownOrdersSql(plan, at, [], d)}) AS p
      WHERE p.is_purchase AND p.ordered_at >= ${since} AND p.customer_id = c.customer_id
        AND p.ordered_at >= c.occurred_at AND p.ordered_at <= c.occurred_at + ${d.hours(ABANDONED_CART_FOLLOW_UP_HOURS)})`;
}

function cartsInWindow(at: AsOfSql, since: string, alias = ''): string {
  return `${alias}type = 'add_to_cart' AND ${alias}occurred_at <= ${at.end} AND ${alias}occurred_at > ${since}`;
}

/**
 * The abandoned-cart sums per customer in one aggregate that a postgres_fdw coordinator sends whole to the
 * shards (PostgreSQL 15 sends neither the anti-join of abandonedCartsSql nor an aggregate over it): each cart
 * LEFT JOINed to the purchases that follow it within 24 hours. A cart without one comes out once, with no
 * purchase, and is summed; a cart with k of them comes out k times, each with a purchase, and is not. The
 * carts and orders of a customer are on the same shard (both tables hash-partitioned on customer_id), so with
 * enable_partitionwise_join each shard joins and sums its own customers.
 */
function shardableCartSums(plan: FeaturePlan, at: AsOfSql, since: string, d: SqlDialect, sums: (value: string, day: string) => string[]): string {
  const value = `CASE WHEN p.customer_id IS NULL THEN ${d.ifNull('c.value', '0')} END`;
  const from = plan.orders
    ? `events AS c LEFT JOIN orders AS p ON p.customer_id = c.customer_id AND ${purchaseSql(plan.orders.details.has('status'), d, 'p.')}
      AND p.ordered_at <= ${at.end} AND p.ordered_at >= ${since}
      AND p.ordered_at >= c.occurred_at AND p.ordered_at <= c.occurred_at + ${d.hours(ABANDONED_CART_FOLLOW_UP_HOURS)}`
    : 'events AS c';
  return `SELECT c.customer_id, ${sums(plan.orders ? value : d.ifNull('c.value', '0'), 'CAST(c.occurred_at AS DATE)').join(', ')}
  FROM ${from}
  WHERE ${cartsInWindow(at, since, 'c.')}
  GROUP BY c.customer_id${d.everyGroup}`;
}

const WINDOWS = [7, 30, 90] as const;
const RATE_WINDOW = 90;
const ENGAGEMENT = 'engagement' as const;

const COUNTED = [
  { type: 'session_start', name: 'sessions', en: 'Sessions (visits)', fr: 'Sessions (visites)', labelEn: 'sessions', labelFr: 'sessions' },
  { type: 'product_view', name: 'product_views', en: 'Product pages viewed', fr: 'Fiches produit vues', labelEn: 'product views', labelFr: 'produits vus' },
  { type: 'add_to_cart', name: 'add_to_carts', en: 'Products added to the cart', fr: 'Produits ajoutés au panier', labelEn: 'add-to-carts', labelFr: 'ajouts au panier' },
] as const;

/** Engagement family: site/app activity windows, abandoned carts, email/SMS rates, recency, unsubscribes. */
export function engagementFamily(plan: FeaturePlan, d: SqlDialect = DUCKDB): FamilyQuery[] {
  if (!plan.events) return [];
  const at = asOfSql(plan.asOf);
  const aggregates: string[] = [];
  for (const c of COUNTED) {
    for (const w of WINDOWS) aggregates.push(`count(CASE WHEN type = '${c.type}' AND ${withinLastDays(at, 'd', w)} THEN 1 END) AS ${c.name}_${w}`);
  }
  for (const t of ['email_sent', 'email_open', 'email_click', 'sms_sent', 'sms_click']) {
    aggregates.push(`count(CASE WHEN type = '${t}' AND ${withinLastDays(at, 'd', RATE_WINDOW)} THEN 1 END) AS ${t}`);
  }
  aggregates.push(`max(CASE WHEN type IN (${ENGAGEMENT_TYPES.map((t) => `'${t}'`).join(', ')}) THEN d END) AS last_engaged_d`);
  aggregates.push(`count(CASE WHEN type = 'unsubscribe' THEN 1 END) AS unsubscribes`);
  const ev = {
    name: 'ev',
    sql: `SELECT customer_id, ${aggregates.join(',\n    ')}
  FROM (SELECT customer_id, type, CAST(occurred_at AS DATE) AS d FROM events WHERE occurred_at <= ${at.end}) AS known_events
  GROUP BY customer_id${d.everyGroup}`,
    joined: true,
  };
  const longest = Math.max(...WINDOWS);
  const since = `CAST(${at.day} - ${longest} AS TIMESTAMP)`;
  const cartSums = (value: string, day: string): string[] =>
    WINDOWS.map((w) => `${moneySum(`CASE WHEN ${withinLastDays(at, day, w)} THEN ${value} END`, d)} AS cart_${w}`);
  const ac = {
    name: 'ac',
    sql: d.shardable
      ? shardableCartSums(plan, at, since, d, cartSums)
      : `SELECT customer_id, ${cartSums('value', 'd').join(', ')}
  FROM (${abandonedCartsSql(plan, at, since, d)}) AS carts
  GROUP BY customer_id`,
    joined: true,
  };

  const columns: FeatureColumn[] = [];
  for (const c of COUNTED) {
    for (const w of WINDOWS) {
      columns.push(
        column(`${c.name}_${w}d`, `CAST(coalesce(ev.${c.name}_${w}, 0) AS INTEGER)`, {
          family: ENGAGEMENT,
          unit: 'count',
          transform: 'log1p+winsorize',
          clustering: w === 30,
          description: {
            en: `${c.en} in the last ${w} days (the as-of day included).`,
            fr: `${c.fr} sur les ${w} derniers jours (jour d'analyse inclus).`,
          },
          label: { en: `${c.labelEn}, ${w} days`, fr: `${c.labelFr}, ${w} jours` },
        }),
      );
    }
  }
  for (const w of WINDOWS) {
    columns.push(
      column(`abandoned_cart_value_${w}d`, `CAST(coalesce(ac.cart_${w}, 0) AS ${d.double})`, {
        family: ENGAGEMENT,
        unit: 'currency',
        transform: 'log1p+winsorize',
        clustering: w === 30,
        description: {
          en: `Value of add-to-cart events in the last ${w} days not followed by a purchase within ${ABANDONED_CART_FOLLOW_UP_HOURS} hours (nor by the as-of date).`,
          fr: `Valeur des ajouts au panier des ${w} derniers jours non suivis d'un achat dans les ${ABANDONED_CART_FOLLOW_UP_HOURS} heures (ni avant la date d'analyse).`,
        },
        label: { en: `abandoned carts, ${w} days`, fr: `paniers abandonnés, ${w} jours` },
      }),
    );
  }
  const rate = (num: string, den: string): string => `CASE WHEN ev.${den} > 0 THEN least(1.0, ${d.divide(`ev.${num}`, `ev.${den}`)}) END`;
  const rates = [
    { name: 'email_open_rate', num: 'email_open', den: 'email_sent', en: 'Email opens per email sent', fr: "Ouvertures d'e-mails par e-mail envoyé", le: 'email open rate', lf: "taux d'ouverture e-mail" },
    { name: 'email_click_rate', num: 'email_click', den: 'email_sent', en: 'Email clicks per email sent', fr: "Clics d'e-mails par e-mail envoyé", le: 'email click rate', lf: 'taux de clic e-mail' },
    { name: 'sms_click_rate', num: 'sms_click', den: 'sms_sent', en: 'SMS clicks per SMS sent', fr: 'Clics SMS par SMS envoyé', le: 'SMS click rate', lf: 'taux de clic SMS' },
  ];
  for (const r of rates) {
    columns.push(
      column(r.name, rate(r.num, r.den), {
        family: ENGAGEMENT,
        unit: 'rate',
        transform: 'none',
        description: {
          en: `${r.en} in the last ${RATE_WINDOW} days, capped at 1; empty when nothing was sent (no open event exists for SMS).`,
          fr: `${r.fr} sur les ${RATE_WINDOW} derniers jours, plafonné à 1 ; vide si rien n'a été envoyé (pas d'événement d'ouverture pour les SMS).`,
        },
        label: { en: r.le, fr: r.lf },
      }),
    );
  }
  columns.push(
    column('days_since_engagement', `CAST(${daysBefore(at, 'ev.last_engaged_d')} AS ${d.double})`, {
      family: ENGAGEMENT,
      unit: 'days',
      missing: 'median',
      description: {
        en: 'Days since the last visit, product view, cart, checkout, email open/click or SMS click; empty without any.',
        fr: "Jours depuis la dernière visite, vue produit, mise au panier, commande commencée, ouverture/clic d'e-mail ou clic SMS ; vide sinon.",
      },
      label: { en: 'days since last engagement', fr: 'jours depuis le dernier engagement' },
    }),
    column('unsubscribes', 'CAST(coalesce(ev.unsubscribes, 0) AS INTEGER)', {
      family: ENGAGEMENT,
      unit: 'count',
      transform: 'none',
      clustering: false,
      description: {
        en: 'Unsubscribe events up to the as-of date (consent to contact is enforced separately, from the consent table).',
        fr: "Désinscriptions jusqu'à la date d'analyse (le consentement de contact est appliqué à part, depuis la table consent).",
      },
      label: { en: 'unsubscribes', fr: 'désinscriptions' },
    }),
  );
  return [{ family: ENGAGEMENT, ctes: [ev, ac], columns }];
}
