import type { Config } from '../../config/schema.js';
import { queryRows, type DuckDBConnection } from '../../io/duckdb.js';
import type { PredictionSettings } from '../../timing/btyd-predictions.js';
import type { TransactionRow } from '../../timing/rfm-summary.js';

/**
 * Purchases as the features define them (src/features/sql/orders.ts): not cancelled, amount > 0, by UTC day.
 * In a fixed order: sums over them (and a fit on a flat likelihood) must not depend on DuckDB's scan order.
 */
export async function purchaseRows(connection: DuckDBConnection): Promise<TransactionRow[]> {
  return queryRows<TransactionRow>(
    connection,
    `SELECT customer_id AS "customerId", CAST(floor(epoch(ordered_at) / 86400) AS INTEGER) AS day, amount
     FROM orders WHERE status <> 'cancelled' AND amount > 0
     ORDER BY customer_id, day, amount`,
  );
}

/** CLV horizon in months and the monthly discount rate equivalent to the configured annual one. */
export function clvSettings(
  timing: Config['timing'],
): Pick<PredictionSettings, 'clvMonths' | 'monthlyDiscountRate'> {
  return {
    clvMonths: Math.max(1, Math.round(timing.clv_horizon_days / 30)),
    monthlyDiscountRate: Math.pow(1 + timing.discount_rate, 1 / 12) - 1,
  };
}
