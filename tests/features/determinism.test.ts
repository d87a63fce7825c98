import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/features/compute.js';
import { exec, openEngine, queryRows, quoteLiteral } from '../../src/io/duckdb.js';

// Generated data large enough for DuckDB to split every table into several row groups (122,880 rows),
// so two threads aggregate the same customers in parallel and combine partial results in whatever
// order they finish. Amounts carry many decimals (a double sum of them depends on the order of the
// additions) and customers have enough orders and events that every family has values.
const CUSTOMERS = 20_000;
const ORDERS = 400_000;
const EVENTS = 300_000;
const AS_OF = new Date(Date.UTC(2023, 11, 31));

const TABLES = [
  `CREATE TABLE orders AS SELECT 'o' || i AS order_id, 'c' || (hash(i, 1) % ${CUSTOMERS}) AS customer_id,
     TIMESTAMP '2022-01-15' + to_seconds(CAST(hash(i, 2) % 63072000 AS BIGINT)) AS ordered_at,
     CASE WHEN hash(i, 3) % 100 = 0 THEN -CAST(hash(i, 4) % 5000000 AS DOUBLE) / 9973
       ELSE CAST(hash(i, 4) % 20000000 AS DOUBLE) / 7919 + 0.01 END AS amount,
     CASE hash(i, 5) % 50 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'returned' ELSE 'completed' END AS status,
     'EUR' AS currency, ['web', 'app', 'store', 'marketplace'][1 + CAST(hash(i, 6) % 4 AS INTEGER)] AS channel,
     CAST(hash(i, 7) % 500000 AS DOUBLE) / 99991 AS discount_amount, CAST(1 + hash(i, 8) % 5 AS INTEGER) AS items,
     'category ' || (hash(i, 9) % 20) AS category, 'brand ' || (hash(i, 10) % 60) AS brand
   FROM range(${ORDERS}) r(i)`,
  `CREATE TABLE customers AS SELECT 'c' || i AS customer_id,
     TIMESTAMP '2021-01-01' + to_seconds(CAST(hash(i, 20) % 94608000 AS BIGINT)) AS created_at,
     ['FR', 'DE', 'ES', 'IT', 'GB'][1 + CAST(hash(i, 21) % 5 AS INTEGER)] AS country, 'region ' || (hash(i, 22) % 13) AS region,
     ['desktop', 'mobile', 'tablet'][1 + CAST(hash(i, 23) % 3 AS INTEGER)] AS device
   FROM range(${CUSTOMERS}) r(i)`,
  `CREATE TABLE events AS SELECT 'c' || (hash(i, 30) % ${CUSTOMERS}) AS customer_id,
     TIMESTAMP '2023-06-01' + to_seconds(CAST(hash(i, 31) % 18144000 AS BIGINT)) AS occurred_at,
     ['session_start', 'page_view', 'product_view', 'add_to_cart', 'checkout_start', 'email_sent', 'email_open',
      'email_click', 'sms_sent', 'sms_click', 'unsubscribe'][1 + CAST(hash(i, 32) % 11 AS INTEGER)] AS type,
     NULL::VARCHAR AS category, CAST(hash(i, 33) % 3000000 AS DOUBLE) / 9901 AS value,
     ['desktop', 'mobile'][1 + CAST(hash(i, 34) % 2 AS INTEGER)] AS device
   FROM range(${EVENTS}) r(i)`,
  `CREATE TABLE eligible AS SELECT 'c' || i AS customer_id FROM range(${CUSTOMERS}) r(i) WHERE hash(i, 11) % 10 <> 0`,
];

const dir = mkdtempSync(join(tmpdir(), 'personae-features-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Computes the features on a fresh engine with `threads` threads and writes them as the run does. */
async function featuresParquet(threads: number, name: string): Promise<{ path: string; doubles: string[] }> {
  const engine = await openEngine({ threads });
  try {
    const c = engine.connection;
    for (const sql of TABLES) await exec(c, sql);
    // As the pipeline hands them over: consent applied (rows of other customers deleted), so the features
    // take the path of integer customer keys.
    for (const table of ['orders', 'customers', 'events'])
      await exec(c, `DELETE FROM ${table} WHERE customer_id NOT IN (SELECT customer_id FROM eligible)`);
    const { plan } = await computeFeatures(c, { asOf: AS_OF, restrictedToPopulation: true });
    expect(plan.orders?.customerHashesDistinct).toBe(true);
    const path = join(dir, `${name}.parquet`);
    await exec(c, `COPY features TO ${quoteLiteral(path)} (FORMAT parquet)`);
    // The bit pattern of every double, in row order: a difference in the last bit of one value shows.
    const columns = await queryRows<{ column_name: string }>(
      c,
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'features' AND data_type = 'DOUBLE' ORDER BY ordinal_position`,
    );
    const bits = columns.map((col) => `CAST(hash(list(CAST("${col.column_name}" AS VARCHAR) ORDER BY customer_id)) AS VARCHAR)`);
    const [row] = await queryRows<Record<string, string>>(c, `SELECT ${bits.map((b, i) => `${b} AS h${i}`).join(', ')} FROM features`);
    return { path, doubles: Object.values(row ?? {}) };
  } finally {
    engine.close();
  }
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('features are byte-identical from run to run', () => {
  it('writes the same features.parquet twice on two threads and once on one thread', async () => {
    const first = await featuresParquet(2, 'first');
    const second = await featuresParquet(2, 'second');
    const single = await featuresParquet(1, 'single');
    expect(first.doubles.length).toBeGreaterThan(20);
    expect(second.doubles).toEqual(first.doubles);
    expect(single.doubles).toEqual(first.doubles);
    expect(sha(second.path)).toBe(sha(first.path));
    expect(sha(single.path)).toBe(sha(first.path));
  });
});
