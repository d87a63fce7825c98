import { DUCKDB, type SqlDialect } from '../../engine/dialect.js';

/**
 * Exact, order-independent sums. DuckDB adds doubles in whatever order its threads finish, so a plain
 * sum of DOUBLE amounts can differ in its last bits from one run to the next and features.parquet would
 * not be byte-identical. Amounts are therefore summed as DECIMAL at a fixed resolution (integer
 * arithmetic: exact whatever the order) and turned into a double once, after the sum.
 */

/** Decimal places amounts keep when summed: a ten-thousandth of the currency unit. */
export const MONEY_SCALE = 4;

/** `expr` (a DOUBLE amount) as a DECIMAL of MONEY_SCALE places, up to ±10^14 (standard SQL). */
export function exactMoney(expr: string): string {
  return `CAST(${expr} AS DECIMAL(18, ${MONEY_SCALE}))`;
}

/** The exact sum of `expr` (an amount) as a DOUBLE, NULL when no row has a value. */
export function moneySum(expr: string, dialect: SqlDialect = DUCKDB): string {
  return `CAST(sum(${exactMoney(expr)}) AS ${dialect.double})`;
}
