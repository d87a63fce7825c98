import { POSTGRESQL, type SqlDialect } from '../../engine/dialect.js';
import { quoteIdent as q } from '../../io/sql.js';
import type { AsOfSql } from './as-of.js';

/**
 * That an order (its columns prefixed by `prefix`) is a purchase, whatever its date: the rows knownOrdersSql
 * marks is_purchase. `hasStatus`: whether the orders have a status column.
 */
export function purchaseSql(hasStatus: boolean, d: SqlDialect, prefix = ''): string {
  const notCancelled = hasStatus ? ` AND ${d.ifNull(`${prefix}status`, "'completed'")} <> 'cancelled'` : '';
  return `${prefix}amount > 0${notCancelled}`;
}

/**
 * The relation, beside `orders`, of each customer's purchase days with the gap in days to the customer's
 * previous purchase day. A loader creates it (a view on a server, or on each shard with a coordinator's
 * partitioned foreign table over them): postgres_fdw of PostgreSQL 15 sends no window function to a shard, so
 * the gaps are computed where the orders are and a feature query only sums them, an aggregate a coordinator
 * sends to the shards.
 *
 * It answers for any as-of date: the previous purchase day of a day is earlier, so it is known whenever the
 * day is, and a day is known at the as-of date when its first purchase is (`first_at`).
 */
export const PURCHASE_DAYS = 'orders_purchase_days';

/** Its columns, with the DuckDB types of the orders' `customer_id` and `ordered_at` (the loader's types). */
export function purchaseDaysColumns(customerIdType: string, orderedAtType: string): { name: string; type: string }[] {
  return [
    { name: 'customer_id', type: customerIdType },
    { name: 'first_at', type: orderedAtType },
    { name: 'gap', type: 'INTEGER' },
  ];
}

/**
 * The view's query over `orders` (a qualified table name): purchases as the features count them (knownOrdersSql:
 * a positive amount, not cancelled when the orders have a status column), one row per customer and day.
 */
export function purchaseDaysSql(orders: string, hasStatus: boolean, d: SqlDialect = POSTGRESQL): string {
  return `SELECT customer_id, first_at, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
FROM (SELECT customer_id, CAST(ordered_at AS DATE) AS day, min(ordered_at) AS first_at
  FROM ${orders} WHERE ordered_at IS NOT NULL AND ${purchaseSql(hasStatus, d)}
  GROUP BY customer_id, CAST(ordered_at AS DATE)) AS days`;
}

/** Per customer: the number of gaps between purchase days known at the as-of date, their sum and sum of squares. */
export function purchaseGapSumsSql(at: AsOfSql, sums: string, d: SqlDialect = POSTGRESQL): string {
  return `SELECT customer_id, ${sums}
  FROM ${q(PURCHASE_DAYS)} WHERE first_at <= ${at.end}
  GROUP BY customer_id${d.everyGroup}`;
}
