import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { TABLE_NAMES } from '../../src/contract/schema.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { tempDir } from '../helpers/data-dir.js';

const asOf = parseIsoDate('2025-06-30') as Date;
const config = parseConfig({ consent: { basis: 'legitimate_interest' } });

async function withEngine<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const engine = await openEngine();
  try {
    return await work(engine.connection);
  } finally {
    engine.close();
  }
}

/** Writes `select` (a query of typed values) as `<table>.parquet` in `dir`. */
async function writeParquet(c: DuckDBConnection, dir: string, table: string, select: string): Promise<void> {
  await c.run(`COPY (${select}) TO '${join(dir, `${table}.parquet`)}' (FORMAT parquet)`);
}

const json = (rows: unknown): unknown => JSON.parse(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));

describe('ingest of typed Parquet columns', () => {
  it('reads timestamps and numbers as they are, and still quarantines each bad row with its row number and reason', async () => {
    await withEngine(async (c) => {
      const dir = tempDir('personae-typed-');
      await writeParquet(
        c,
        dir,
        'customers',
        `SELECT * FROM (VALUES ('c1', TIMESTAMPTZ '2024-01-01 00:00:00+00'), ('c2', NULL)) t(customer_id, created_at)`,
      );
      // amount DOUBLE (NaN and 2e6 are absurd), discount DECIMAL, items DOUBLE (2.5 is not whole).
      await writeParquet(
        c,
        dir,
        'orders',
        `SELECT order_id, customer_id, CAST(ordered_at AS TIMESTAMPTZ) AS ordered_at, CAST(amount AS DOUBLE) AS amount,
           CAST(discount_amount AS DECIMAL(18,2)) AS discount_amount, CAST(items AS DOUBLE) AS items, status
         FROM (VALUES
           ('o1', 'c1', '2025-03-01 00:30:00+02', '50.5', '1.25', '2', 'completed'),
           ('o2', NULL, '2025-03-01 10:00:00+00', '10', NULL, NULL, 'completed'),
           ('o3', 'c1', '1970-01-01 00:00:00+00', '10', NULL, NULL, 'completed'),
           ('o4', 'c1', '2095-01-01 00:00:00+00', '10', NULL, NULL, 'completed'),
           ('o5', 'c1', '2025-03-01 10:00:00+00', 'NaN', NULL, NULL, 'completed'),
           ('o6', 'c1', '2025-03-01 10:00:00+00', '2000000', NULL, NULL, 'completed'),
           ('o7', 'c1', '2025-03-01 10:00:00+00', '10', NULL, '2.5', 'completed'),
           ('o8', 'c1', 'infinity', '10', NULL, NULL, 'completed'),
           ('o9', 'c1', '2025-03-01 10:00:00+00', '10', NULL, NULL, 'Shipped'),
           ('o1', 'c1', '2025-03-02 10:00:00+00', '10', NULL, NULL, 'completed'),
           ('o10', 'zz', '2025-03-02 10:00:00+00', '10', NULL, NULL, 'completed'),
           ('o11', 'c1', '2025-06-30 23:59:59+00', '-20', '0', '1', 'RETURNED'))
         t(order_id, customer_id, ordered_at, amount, discount_amount, items, status)`,
      );
      // A DATE where a timestamp is expected: midnight UTC, as the text 2024-06-01 reads.
      await writeParquet(
        c,
        dir,
        'zero_party',
        `SELECT 'c1' AS customer_id, DATE '2024-06-01' AS answered_at, 'birth_year' AS question, '1985' AS answer`,
      );
      const result = await ingest(c, { dataDir: dir, config, asOf });
      expect(result.warnings.filter((w) => w.includes('of type'))).toEqual([]);
      expect(result.tables.orders).toMatchObject({ rowsRead: 12, accepted: 2, quarantined: 10, lineNumbers: 'row' });
      const quarantine = await queryRows<{ line: number; reason: string; column_name: string }>(
        c,
        `SELECT line, reason, column_name FROM quarantine WHERE table_name = 'orders' ORDER BY line`,
      );
      expect(json(quarantine)).toEqual([
        { line: 2, reason: 'missing_key', column_name: 'customer_id' },
        { line: 3, reason: 'implausible_date', column_name: 'ordered_at' },
        { line: 4, reason: 'future_date', column_name: 'ordered_at' },
        { line: 5, reason: 'absurd_amount', column_name: 'amount' },
        { line: 6, reason: 'absurd_amount', column_name: 'amount' },
        { line: 7, reason: 'bad_number', column_name: 'items' },
        { line: 8, reason: 'bad_date', column_name: 'ordered_at' },
        { line: 9, reason: 'unknown_value', column_name: 'status' },
        { line: 10, reason: 'duplicate_id', column_name: 'order_id' },
        { line: 11, reason: 'unknown_customer', column_name: 'customer_id' },
      ]);
      const orders = await queryRows(
        c,
        `SELECT order_id, CAST(ordered_at AS VARCHAR) AS ordered_at, amount, discount_amount, items, status,
           typeof(ordered_at) AS t, typeof(amount) AS a, typeof(items) AS i FROM orders ORDER BY order_id`,
      );
      expect(json(orders)).toEqual([
        // +02:00 is applied: the instant's UTC time.
        { order_id: 'o1', ordered_at: '2025-02-28 22:30:00', amount: 50.5, discount_amount: 1.25, items: 2, status: 'completed', t: 'TIMESTAMP', a: 'DOUBLE', i: 'INTEGER' },
        { order_id: 'o11', ordered_at: '2025-06-30 23:59:59', amount: -20, discount_amount: 0, items: 1, status: 'returned', t: 'TIMESTAMP', a: 'DOUBLE', i: 'INTEGER' },
      ]);
      const answers = await queryRows(c, `SELECT CAST(answered_at AS VARCHAR) AS at FROM zero_party`);
      expect(json(answers)).toEqual([{ at: '2024-06-01 00:00:00' }]);
    });
  });

  it('says when a typed column does not fit its contract column, and reads it as text', async () => {
    await withEngine(async (c) => {
      const dir = tempDir('personae-typed-');
      await writeParquet(
        c,
        dir,
        'orders',
        `SELECT 'o1' AS order_id, 'c1' AS customer_id, 1735689600::BIGINT AS ordered_at, TRUE AS amount`,
      );
      const result = await ingest(c, { dataDir: dir, config, asOf });
      expect(result.warnings).toContain(
        'orders.parquet: orders.ordered_at: the file\'s column "ordered_at" is of type BIGINT, not a date or timestamp; its values are read as text, which is not a date. If they are Unix times, map the column as {sql: "to_timestamp(ordered_at)"} (seconds) or make_timestamp(…) (microseconds).',
      );
      expect(result.warnings).toContain(
        'orders.parquet: orders.amount: the file\'s column "amount" is of type BOOLEAN, not a number; its values are read as text, which is not a number. Map the column to the right one, or as {sql: …} to a number.',
      );
      expect(result.tables.orders).toMatchObject({ rowsRead: 1, accepted: 0, reasons: { bad_date: 1 } });
      // The fix it names works: epoch seconds mapped through to_timestamp are read as a typed instant.
      const mapped = parseConfig({
        consent: { basis: 'legitimate_interest' },
        tables: { orders: { columns: { ordered_at: { sql: 'to_timestamp(ordered_at)' }, amount: { sql: 'CAST(amount AS INTEGER)' } } } },
      });
      const fixed = await ingest(c, { dataDir: dir, config: mapped, asOf });
      expect(fixed.tables.orders).toMatchObject({ rowsRead: 1, accepted: 1 });
      const [row] = await queryRows(c, `SELECT CAST(ordered_at AS VARCHAR) AS at, amount FROM orders`);
      expect(json(row)).toEqual({ at: '2025-01-01 00:00:00', amount: 1 });
    });
  });

  it('checks the same rows of a generated data set in typed and in text Parquet: same tables, same quarantine', async () => {
    const [typed, text] = [tempDir('personae-typed-'), tempDir('personae-text-')];
    await writeDataset({ customers: 300, seed: 11, format: 'parquet' }, typed);
    await writeDataset({ customers: 300, seed: 11, format: 'parquet' }, text, { parquetColumns: 'text' });
    // As of mid-2025, the last half year of the history is future_date: the quarantine is not empty.
    const read = (dir: string): Promise<Record<string, unknown>> =>
      withEngine(async (c) => {
        const result = await ingest(c, { dataDir: dir, config: parseConfig({}), asOf });
        const out: Record<string, unknown> = { tables: result.tables, warnings: result.warnings, currency: result.currency };
        for (const table of TABLE_NAMES) {
          const rows = await queryRows(c, `SELECT * FROM ${table} ORDER BY ALL`);
          out[table] = json(rows);
        }
        out.quarantine = json(
          await queryRows(c, `SELECT table_name, line, reason, column_name, customer_id FROM quarantine ORDER BY ALL`),
        );
        return out;
      });
    const [fromTyped, fromText] = [await read(typed), await read(text)];
    expect((fromTyped.quarantine as unknown[]).length).toBeGreaterThan(100);
    for (const key of Object.keys(fromText)) expect(fromTyped[key], key).toEqual(fromText[key]);
  });
});
