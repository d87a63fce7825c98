import { describe, expect, it } from 'vitest';
import { exec, withConnection } from '../../../src/io/duckdb.js';
import { purchaseLedgerOf, purchaseRows } from '../../../src/runner/stages/purchases.js';
import { purchaseLedger } from '../../../src/timing/rfm-summary.js';

describe('purchaseLedgerOf', () => {
  it('streams the ledger purchaseLedger builds from purchaseRows, past several DuckDB chunks, value for value', async () => {
    await withConnection(async (connection) => {
      // 3,000 customers with 0-4 orders each over ~20 days, some on the same day, some cancelled or refunds.
      await exec(
        connection,
        `CREATE TABLE orders AS
         SELECT 'c' || lpad(CAST(i % 3000 AS VARCHAR), 4, '0') AS customer_id,
                TIMESTAMP '2024-01-01' + INTERVAL (hash(i, 1) % 20) DAY + INTERVAL (hash(i, 2) % 86400) SECOND AS ordered_at,
                round(CAST(hash(i, 3) % 100000 AS DOUBLE) / 7 - 1000, 2) AS amount,
                CASE WHEN hash(i, 4) % 10 = 0 THEN 'cancelled' ELSE 'completed' END AS status
         FROM range(9000) t(i) WHERE hash(i, 5) % 5 <> 0`,
      );
      const ledger = await purchaseLedgerOf(connection);
      const reference = purchaseLedger(await purchaseRows(connection));
      expect(ledger.rows).toBeGreaterThan(2048 * 2);
      expect(ledger.customerIds).toEqual(reference.customerIds);
      expect(ledger.rows).toBe(reference.rows);
      expect(ledger.days.length).toBeLessThan(ledger.rows); // same-day orders were merged
      expect(Array.from(ledger.offsets)).toEqual(Array.from(reference.offsets));
      expect(Array.from(ledger.days)).toEqual(Array.from(reference.days));
      expect(Buffer.from(ledger.amounts.buffer).equals(Buffer.from(reference.amounts.buffer))).toBe(true);
    });
  });
});
