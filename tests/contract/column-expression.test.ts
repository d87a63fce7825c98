import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { tempDir, writeDataDir } from '../helpers/data-dir.js';
import { rejectedWith } from '../helpers/errors.js';

const asOf = parseIsoDate('2025-06-30') as Date;
const orders = ['order_id,customer_id,ordered_at,UnitPrice,Quantity', 'o1,c1,2025-01-10,2.5,4', 'o2,c2,2025-01-11,10,1'];

async function amounts(sql: string): Promise<number[]> {
  const engine = await openEngine();
  try {
    const config = parseConfig({ tables: { orders: { columns: { amount: { sql } } } } });
    await ingest(engine.connection, { dataDir: writeDataDir({ 'orders.csv': orders }), config, asOf });
    return (await queryRows<{ amount: number }>(engine.connection, 'SELECT amount FROM orders ORDER BY order_id')).map((r) => r.amount);
  } finally {
    engine.close();
  }
}

describe('a column expression of the config', () => {
  it('runs when it is one expression over the columns of the file (comments and all)', async () => {
    expect(await amounts('TRY_CAST(UnitPrice AS DOUBLE) * TRY_CAST("quantity" AS DOUBLE) -- line total')).toEqual([10, 10]);
    expect(await amounts(`CASE WHEN Quantity = '1' THEN 0 ELSE round(TRY_CAST(UnitPrice AS DOUBLE), 0) END`)).toEqual([3, 0]);
  });

  const pwned = join(tempDir('personae-pwned-'), 'pwned.csv');
  const refused: ReadonlyArray<[string, RegExp]> = [
    // the attack: close the statement, copy a file out, open a new one
    [
      `UnitPrice) AS VARCHAR) AS x FROM raw_orders) SELECT 1; COPY (SELECT * FROM read_text('/etc/passwd')) TO '${pwned}'; CREATE OR REPLACE TABLE checked_orders AS WITH src AS (SELECT _line, CAST((UnitPrice`,
      /does not parse|several statements/,
    ],
    [`UnitPrice; COPY (SELECT 1) TO '${pwned}'`, /does not parse|several statements/],
    ['UnitPrice AS amount', /does not parse/],
    [`(SELECT string_agg(content, '') FROM read_text('/etc/passwd'))`, /subquery/],
    [`read_text('/etc/passwd')`, /function "read_text"/],
    [`query('SELECT 1')`, /function "query"/],
    ['getenv(\'HOME\')', /function "getenv"/],
    [`current_setting('home_directory')`, /function "current_setting"/],
    ['random()', /function "random"/],
    ['now()', /function "now"/],
    ['sum(TRY_CAST(UnitPrice AS DOUBLE))', /function "sum"/],
    ['row_number() OVER ()', /window function/],
    ['list_transform([1], x -> x + 1)', /function "list_transform"|lambda/],
    ['*', /\* or COLUMNS/],
    ['$1', /parameter/],
    ['UnitPrice FROM raw_orders', /does not parse/],
    ['DISTINCT UnitPrice', /does not parse/],
    ['UnitPrice), (Quantity', /not one expression/],
    ['Secret * 2', /column "Secret" is not a column of the file/],
    ['UnitPrice * Quantity', /Binder Error|No function matches/], // CSV columns are text: it does not bind
  ];

  it.each(refused)('refuses %s with a message naming the setting', async (sql, why) => {
    const error = await rejectedWith(amounts(sql));
    expect(error.code).toBe('column_expression');
    expect(error.message).toContain('config tables.orders.columns.amount');
    expect(error.message).toMatch(why);
    expect(error.hint).toContain('UnitPrice, Quantity');
    expect(existsSync(pwned)).toBe(false);
  });

  it('makes personae validate exit 2 with the message, having written nothing', async () => {
    const config = join(tempDir('personae-conf-'), 'inject.yaml');
    writeFileSync(
      config,
      `tables:\n  orders:\n    columns:\n      amount: {sql: "(SELECT content FROM read_text('/etc/passwd'))"}\n`,
    );
    const out = tempDir();
    const data = writeDataDir({ 'orders.csv': orders });
    expect(await main(['validate', '--data', data, '--out', out, '--config', config, '--json'])).toBe(2);
    expect(existsSync(join(out, 'validation', 'orders.quarantine.csv'))).toBe(false);
  });
});
