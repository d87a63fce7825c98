import type { Config } from '../../config/schema.js';
import { queryRows, type DuckDBConnection } from '../../io/duckdb.js';
import type { PredictionSettings } from '../../timing/btyd-predictions.js';
import { SortedLedgerBuilder, type PurchaseLedger, type TransactionRow } from '../../timing/rfm-summary.js';

/**
 * Purchases as the features define them (src/features/sql/orders.ts): not cancelled, amount > 0, by UTC day.
 * In a fixed order: sums over them (and a fit on a flat likelihood) must not depend on DuckDB's scan order.
 */
const PURCHASES_SQL = `SELECT customer_id AS "customerId", CAST(floor(epoch(ordered_at) / 86400) AS INTEGER) AS day, amount
     FROM orders WHERE status <> 'cancelled' AND amount > 0
     ORDER BY customer_id, day, amount`;

export async function purchaseRows(connection: DuckDBConnection): Promise<TransactionRow[]> {
  return queryRows<TransactionRow>(connection, PURCHASES_SQL);
}

/**
 * The same purchases as a ledger (purchaseLedger of purchaseRows, value for value), streamed from DuckDB a
 * chunk at a time into typed arrays: no JavaScript object per order, nor the whole result held at once.
 */
export async function purchaseLedgerOf(connection: DuckDBConnection): Promise<PurchaseLedger> {
  const result = await connection.stream(PURCHASES_SQL);
  const builder = new SortedLedgerBuilder();
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const ids = chunk.getColumnVector(0);
    const days = chunk.getColumnVector(1);
    const amounts = chunk.getColumnVector(2);
    for (let i = 0; i < chunk.rowCount; i++)
      builder.add(ids.getItem(i) as string, days.getItem(i) as number, Number(amounts.getItem(i)));
  }
  return builder.finish();
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
