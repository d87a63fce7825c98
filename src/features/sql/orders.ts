import { DUCKDB, type SqlDialect } from '../../engine/dialect.js';
import type { FeaturePlan } from '../plan.js';
import { column, type FamilyCte, type FamilyQuery, type FeatureColumn, type Level } from '../spec.js';
import { asOfSql, daysBefore, withinLastDays, type AsOfSql } from './as-of.js';
import { exactMoney } from './exact.js';
import { purchaseGapSumsSql } from './purchase-days.js';

/** Statuses whose positive amount was given back to the customer. */
const RETURN_STATUSES = "('refunded', 'returned')";

/**
 * Orders that count at the as-of date, with the flags every order feature uses.
 * Choices: a cancelled order never happened; a purchase is a non-cancelled order with a positive amount
 * (refunded and returned orders were purchases, and their amount is also returned value); a negative
 * amount is a return line.
 */
export function knownOrdersSql(
  plan: FeaturePlan,
  at: AsOfSql,
  extra: readonly string[] = [],
  d: SqlDialect = DUCKDB,
): string {
  const hasStatus = plan.orders?.details.has('status') ?? false;
  const notCancelled = hasStatus ? `${d.ifNull('status', "'completed'")} <> 'cancelled'` : 'TRUE';
  const returned = hasStatus
    ? `CASE WHEN amount < 0 THEN -amount WHEN status IN ${RETURN_STATUSES} THEN amount ELSE 0 END`
    : `CASE WHEN amount < 0 THEN -amount ELSE 0 END`;
  return `SELECT *, CASE WHEN is_purchase THEN amount END AS purchase, CASE WHEN is_purchase THEN d END AS purchase_d FROM (
    SELECT customer_id, amount, ordered_at, CAST(ordered_at AS DATE) AS d, amount > 0 AS is_purchase,
    ${returned} AS returned${extra.map((e) => `, ${e}`).join('')}
    FROM orders WHERE ordered_at <= ${at.end} AND ${notCancelled} AND amount IS NOT NULL) AS known_orders`;
}

/** Position of `expr` in a small list of levels (NULL when absent): one lookup per row, integer tests after. */
function levelIndex(d: SqlDialect, expr: string, levels: readonly Level[]): string {
  return d.position(
    levels.map((l) => l.value),
    expr,
  );
}

/** Sums of money columns are exact (DECIMAL, see exact.ts) and become a double once, after the sum. */
function moneyTotal(d: SqlDialect, expr: string, name: string): string {
  return `CAST(sum(${expr}) AS ${d.double}) AS ${name}`;
}

function mixSums(d: SqlDialect, prefix: string, index: string, levels: readonly Level[]): string[] {
  return levels.map((_level, i) => moneyTotal(d, `CASE WHEN ${index} = ${i + 1} THEN xp END`, `${prefix}_${i + 1}`));
}

const VALUE = 'value' as const;
const TIMING = 'timing' as const;
const MIX = 'mix' as const;

/** The value/RFM, timing and mix families, all from one aggregate pass over orders plus one window. */
export function orderFamilies(plan: FeaturePlan, d: SqlDialect = DUCKDB): FamilyQuery[] {
  const orders = plan.orders;
  if (!orders) return [];
  const at = asOfSql(plan.asOf);
  const has = (d: Parameters<typeof orders.details.has>[0]): boolean => orders.details.has(d);
  const extra: string[] = [];
  if (has('discount_amount')) extra.push('discount_amount');
  if (has('items')) extra.push('items');
  if (orders.topCategories.length > 0) extra.push(`${levelIndex(d, 'category', orders.topCategories)} AS cat_ix`);
  if (orders.topBrands.length > 0) extra.push(`${levelIndex(d, 'brand', orders.topBrands)} AS brand_ix`);
  if (orders.channels.length > 0) extra.push(`${levelIndex(d, 'channel', orders.channels)} AS channel_ix`);

  // Plain aggregates over CASE expressions: DuckDB runs FILTER clauses far slower than this. xp and xr are
  // the purchase and returned amounts as exact decimals, converted once per order.
  const aggregates = [
    'count(purchase) AS n_orders',
    moneyTotal(d, 'xp', 'gross'),
    'max(purchase_d) AS last_d',
    'min(purchase_d) AS first_d',
    moneyTotal(d, 'xr', 'returned'),
    moneyTotal(d, `CASE WHEN ${withinLastDays(at, 'd', 90)} THEN xp END`, 'spend_90'),
    moneyTotal(d, `CASE WHEN ${withinLastDays(at, 'd', 180)} AND NOT ${withinLastDays(at, 'd', 90)} THEN xp END`, 'spend_prev_90'),
    moneyTotal(d, `CASE WHEN ${d.month('d')} >= 11 THEN xp END`, 'spend_nov_dec'),
  ];
  if (has('discount_amount')) aggregates.push(moneyTotal(d, `CASE WHEN is_purchase THEN ${exactMoney(d.ifNull('discount_amount', '0'))} END`, 'discount'));
  if (has('items')) aggregates.push('sum(CASE WHEN is_purchase THEN items END) AS items');
  aggregates.push(...mixSums(d, 'cat', 'cat_ix', orders.topCategories));
  aggregates.push(...mixSums(d, 'brand', 'brand_ix', orders.topBrands));
  aggregates.push(...mixSums(d, 'chan', 'channel_ix', orders.channels));

  // Each CTE scans orders itself: a CTE read twice would be materialised, which costs more than a scan.
  // With distinct hashes (see customerHashesDistinct) the aggregate groups and joins on the 64-bit hash:
  // integer keys instead of strings in the widest aggregate and its join.
  const key = orders.customerHashesDistinct ? `${d.hash('CAST(customer_id AS VARCHAR)')} AS customer_hash` : 'customer_id';
  const aggregate: FamilyCte = {
    name: 'ov',
    sql: `SELECT ${key}, ${aggregates.join(',\n    ')}
  FROM (SELECT *, ${exactMoney('purchase')} AS xp, ${exactMoney('returned')} AS xr FROM (${knownOrdersSql(plan, at, extra, d)}) AS known) AS amounts
  GROUP BY 1${d.everyGroup}`,
    joined: true,
    ...(orders.customerHashesDistinct ? { key: 'customer_hash' as const } : {}),
  };
  // Same-day orders give a gap of 0; dropping those leaves exactly the gaps between distinct purchase days.
  const purchaseDays = `SELECT customer_id, ${d.hash('CAST(customer_id AS VARCHAR)')} AS h, d AS day
    FROM (${knownOrdersSql(plan, at, [], d)}) AS known WHERE is_purchase`;
  // Mean and population standard deviation from exact integer sums of the gaps (days): DuckDB's avg and
  // stddev_pop of doubles depend on the order its threads combine partial results, these do not.
  const gapSums = 'count(gap) AS n_gaps, sum(gap) AS gap_sum, sum(gap * gap) AS gap_squares';
  const gapStats = (key: string): string => `${key}, n_gaps, CAST(gap_sum AS ${d.double}) / n_gaps AS gap_mean,
    sqrt(CAST(n_gaps * gap_squares - gap_sum * gap_sum AS ${d.double})) / n_gaps AS gap_sd`;
  // When every customer of the orders has a hash of their own (checked by the plan), the window partitions
  // on the 64-bit hash and sorts purchase days alone: integer keys only, no string in the sort or the
  // aggregate, which takes about a third off the family. Otherwise it orders by the id inside each hash
  // partition, so a hash collision cannot mix two customers' purchase days.
  // A coordinator sends no window function to its shards: with the loader's purchase days (the gap to the
  // previous purchase day computed beside the orders, see purchase-days.ts) the gaps are a plain aggregate.
  const gaps: FamilyCte = d.shardable && orders.purchaseDays
    ? {
        name: 'ot',
        sql: `SELECT ${gapStats('customer_id')} FROM (${purchaseGapSumsSql(at, gapSums, d)}) AS sums`,
        joined: true,
      }
    : orders.customerHashesDistinct
    ? {
        name: 'ot',
        sql: `SELECT ${gapStats('customer_hash')} FROM (SELECT h AS customer_hash, ${gapSums}
  FROM (SELECT h, nullif(day - lag(day) OVER w, 0) AS gap
    FROM (${purchaseDays}) AS days WINDOW w AS (PARTITION BY h ORDER BY day)) AS gaps
  GROUP BY h) AS sums`,
        joined: true,
        key: 'customer_hash',
      }
    : {
        name: 'ot',
        sql: `SELECT ${gapStats('customer_id')} FROM (SELECT customer_id, ${gapSums}
  FROM (SELECT customer_id, CASE WHEN lag(customer_id) OVER w = customer_id THEN nullif(day - lag(day) OVER w, 0) END AS gap
    FROM (${purchaseDays}) AS days WINDOW w AS (PARTITION BY h ORDER BY customer_id, day)) AS gaps
  GROUP BY customer_id) AS sums`,
        joined: true,
      };

  const share = (numerator: string): string => `CASE WHEN ov.gross > 0 THEN ${numerator} / ov.gross END`;
  const recency = daysBefore(at, 'ov.last_d');
  const value: FeatureColumn[] = [
    column('recency_days', `CAST(${recency} AS ${d.double})`, {
      family: VALUE,
      unit: 'days',
      missing: 'median',
      description: {
        en: 'Days from the last purchase to the as-of date (0 = bought that day); empty when the customer never bought.',
        fr: "Jours entre le dernier achat et la date d'analyse (0 = achat le jour même) ; vide si le client n'a jamais acheté.",
      },
      label: { en: 'days since last order', fr: 'jours depuis la dernière commande' },
    }),
    column('orders_count', 'CAST(coalesce(ov.n_orders, 0) AS INTEGER)', {
      family: VALUE,
      unit: 'count',
      transform: 'log1p+winsorize',
      description: {
        en: 'Purchases up to the as-of date: orders with a positive amount, cancelled orders excluded (refunded and returned orders count: the customer did buy).',
        fr: "Achats jusqu'à la date d'analyse : commandes de montant positif, hors commandes annulées (les commandes remboursées ou retournées comptent : le client a bien acheté).",
      },
      label: { en: 'orders', fr: 'commandes' },
    }),
    column('repeat_purchases', 'CAST(greatest(coalesce(ov.n_orders, 0) - 1, 0) AS INTEGER)', {
      family: VALUE,
      unit: 'count',
      transform: 'log1p+winsorize',
      clustering: false,
      description: { en: 'Purchases after the first one.', fr: 'Achats après le premier.' },
      label: { en: 'repeat purchases', fr: 'achats répétés' },
    }),
    column('monetary_total', `CAST(coalesce(ov.gross, 0) AS ${d.double})`, {
      family: VALUE,
      unit: 'currency',
      transform: 'log1p+winsorize',
      description: {
        en: 'Total amount of all purchases (gross, before returns).',
        fr: 'Montant total de tous les achats (brut, avant retours).',
      },
      label: { en: 'total spend', fr: 'dépense totale' },
    }),
    column('average_order_value', 'CASE WHEN ov.n_orders > 0 THEN ov.gross / ov.n_orders END', {
      family: VALUE,
      unit: 'currency',
      transform: 'log1p+winsorize',
      missing: 'median',
      description: {
        en: 'Average amount per purchase; empty without purchases.',
        fr: 'Montant moyen par achat ; vide sans achat.',
      },
      label: { en: 'average order value', fr: 'panier moyen' },
    }),
    column('returns_share', share('least(coalesce(ov.returned, 0), ov.gross)'), {
      family: VALUE,
      unit: 'share',
      transform: 'none',
      description: {
        en: 'Returned or refunded value divided by gross spend, capped at 1: amounts of refunded/returned orders plus negative (return) lines.',
        fr: 'Valeur retournée ou remboursée divisée par la dépense brute, plafonnée à 1 : montants des commandes remboursées/retournées plus lignes négatives (retours).',
      },
      label: { en: 'returns share', fr: 'part des retours' },
    }),
  ];
  if (has('discount_amount')) {
    value.push(
      column('discount_share', 'CASE WHEN ov.gross + ov.discount > 0 THEN ov.discount / (ov.gross + ov.discount) END', {
        family: VALUE,
        unit: 'share',
        transform: 'none',
        description: {
          en: 'Discounts received divided by the value before discount (amount + discount) of all purchases.',
          fr: 'Remises obtenues divisées par la valeur avant remise (montant + remise) de tous les achats.',
        },
        label: { en: 'discount share', fr: 'part de remise' },
      }),
    );
  }
  if (has('items')) {
    value.push(
      column('items_total', `CAST(coalesce(ov.items, 0) AS ${d.double})`, {
        family: VALUE,
        unit: 'count',
        transform: 'log1p+winsorize',
        description: { en: 'Items bought over all purchases.', fr: 'Articles achetés sur tous les achats.' },
        label: { en: 'items bought', fr: 'articles achetés' },
      }),
    );
  }
  value.push(
    column('spend_90d', `CAST(coalesce(ov.spend_90, 0) AS ${d.double})`, {
      family: VALUE,
      unit: 'currency',
      transform: 'log1p+winsorize',
      description: {
        en: 'Purchase amount in the last 90 days (the as-of day included).',
        fr: "Montant des achats des 90 derniers jours (jour d'analyse inclus).",
      },
      label: { en: 'spend, last 90 days', fr: 'dépense, 90 derniers jours' },
    }),
    column('spend_prev_90d', `CAST(coalesce(ov.spend_prev_90, 0) AS ${d.double})`, {
      family: VALUE,
      unit: 'currency',
      transform: 'log1p+winsorize',
      clustering: false,
      description: {
        en: 'Purchase amount in the 90 days before the last 90 days (days 90–179 before the as-of date).',
        fr: "Montant des achats des 90 jours précédant les 90 derniers jours (jours 90 à 179 avant la date d'analyse).",
      },
      label: { en: 'spend, previous 90 days', fr: 'dépense, 90 jours précédents' },
    }),
    column(
      'spend_trend',
      `CASE WHEN coalesce(ov.spend_90, 0) + coalesce(ov.spend_prev_90, 0) > 0
        THEN (coalesce(ov.spend_90, 0) - coalesce(ov.spend_prev_90, 0)) / (coalesce(ov.spend_90, 0) + coalesce(ov.spend_prev_90, 0)) ELSE 0 END`,
      {
        family: VALUE,
        unit: 'rate',
        signed: true,
        transform: 'none',
        description: {
          en: 'Spend trend from −1 to +1: (last 90 days − previous 90) / (last 90 + previous 90); 0 without spend in either period.',
          fr: 'Tendance de dépense de −1 à +1 : (90 derniers jours − 90 précédents) / (somme des deux) ; 0 sans dépense sur les deux périodes.',
        },
        label: { en: 'spend trend', fr: 'tendance de dépense' },
      },
    ),
    column('tenure_first_purchase_days', `CAST(${daysBefore(at, 'ov.first_d')} AS ${d.double})`, {
      family: VALUE,
      unit: 'days',
      missing: 'zero',
      description: {
        en: 'Days since the first purchase; empty when the customer never bought.',
        fr: "Jours depuis le premier achat ; vide si le client n'a jamais acheté.",
      },
      label: { en: 'days since first order', fr: 'jours depuis la première commande' },
    }),
  );

  const timing: FeatureColumn[] = [
    column('interpurchase_mean_days', 'ot.gap_mean', {
      family: TIMING,
      unit: 'days',
      missing: 'median',
      transform: 'log1p+winsorize',
      description: {
        en: 'Mean number of days between consecutive purchase days (orders on the same day form one purchase day); empty with fewer than 2 purchase days.',
        fr: "Nombre moyen de jours entre deux jours d'achat consécutifs (les commandes d'un même jour comptent pour un) ; vide avec moins de 2 jours d'achat.",
      },
      label: { en: 'days between orders', fr: 'jours entre commandes' },
    }),
    column('interpurchase_cv', 'CASE WHEN ot.n_gaps >= 2 AND ot.gap_mean > 0 THEN ot.gap_sd / ot.gap_mean END', {
      family: TIMING,
      unit: 'rate',
      missing: 'median',
      description: {
        en: 'Coefficient of variation (population standard deviation / mean) of the intervals between purchase days: 0 = perfectly regular; empty with fewer than 2 intervals.',
        fr: "Coefficient de variation (écart-type / moyenne) des intervalles entre jours d'achat : 0 = parfaitement régulier ; vide avec moins de 2 intervalles.",
      },
      label: { en: 'irregularity of orders', fr: 'irrégularité des commandes' },
    }),
    column('days_overdue', `CASE WHEN ot.gap_mean IS NOT NULL THEN ${recency} - ot.gap_mean END`, {
      family: TIMING,
      unit: 'days',
      signed: true,
      missing: 'zero',
      description: {
        en: "Days since the last purchase minus the customer's own mean interval: positive = later than usual; empty with fewer than 2 purchase days.",
        fr: "Jours depuis le dernier achat moins l'intervalle moyen du client : positif = en retard sur son rythme ; vide avec moins de 2 jours d'achat.",
      },
      label: { en: 'days overdue', fr: 'jours de retard' },
    }),
    // Over the whole history rather than a trailing year: a holiday buyer who has not bought this year is
    // still a holiday buyer, and every full year weighs November–December at 2/12 of the calendar.
    column('share_spend_nov_dec', share('coalesce(ov.spend_nov_dec, 0)'), {
      family: TIMING,
      unit: 'share',
      transform: 'none',
      description: {
        en: 'Share of purchase spend (up to the as-of date) made in November or December: gift and holiday seasonality; about 0.17–0.25 for a customer who buys all year round; empty without purchases.',
        fr: "Part de la dépense d'achat (jusqu'à la date d'analyse) réalisée en novembre ou décembre : saisonnalité cadeaux et fêtes ; environ 0,17–0,25 pour un client qui achète toute l'année ; vide sans achat.",
      },
      label: { en: 'November–December spend share', fr: 'part de dépense en novembre–décembre' },
    }),
  ];

  // A customer who bought but never in this level has a share of 0; only a customer without purchase spend
  // has no share (empty). The per-level sums are NULL when no purchase matched, hence the coalesce.
  const mixColumn = (kind: 'category' | 'brand' | 'channel', prefix: string) => (level: Level, i: number) =>
    column(`share_${kind}_${level.slug}`, share(`coalesce(ov.${prefix}_${i + 1}, 0)`), {
      family: MIX,
      unit: 'share',
      transform: 'none',
      description: {
        en: `Share of purchase spend in ${kind === 'channel' ? 'the channel' : `the ${kind}`} "${level.value}"${kind === 'channel' ? '' : ` (one of the top ${kind === 'category' ? 'categories' : 'brands'} by spend in the data)`}: 0 when the customer bought, but never there; empty without purchases.`,
        fr: `Part de la dépense ${kind === 'channel' ? 'sur le canal' : kind === 'category' ? 'dans la catégorie' : 'pour la marque'} « ${level.value} »${kind === 'channel' ? '' : ` (parmi les ${kind === 'category' ? 'catégories' : 'marques'} les plus vendues)`} : 0 si le client a acheté, mais jamais là ; vide sans achat.`,
      },
      label: {
        en: `${kind} share: ${level.value}`,
        fr: `part ${kind === 'category' ? 'catégorie' : kind === 'brand' ? 'marque' : 'canal'} : ${level.value}`,
      },
    });
  const mix = [
    ...orders.topCategories.map(mixColumn('category', 'cat')),
    ...orders.topBrands.map(mixColumn('brand', 'brand')),
    ...orders.channels.map(mixColumn('channel', 'chan')),
  ];

  return [
    { family: VALUE, ctes: [aggregate], columns: value },
    { family: TIMING, ctes: [gaps], columns: timing },
    { family: MIX, ctes: [], columns: mix },
  ];
}
