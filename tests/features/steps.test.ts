import { describe, expect, it } from 'vitest';
import { computeFeatures, type FeatureOptions } from '../../src/features/compute.js';
import { buildFeaturesSql } from '../../src/features/sql/assemble.js';
import { exec, queryRows, queryValue, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';
import { AS_OF, loadTinyFixture } from './tiny-fixture.js';

async function tableNames(connection: DuckDBConnection): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(connection, 'SELECT table_name FROM information_schema.tables ORDER BY table_name');
  return rows.map((r) => r.table_name);
}

/** Rows of `a` missing from `b` and of `b` missing from `a`, duplicates counted. */
async function differingRows(connection: DuckDBConnection, a: string, b: string): Promise<number> {
  return Number(
    await queryValue(
      connection,
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))`,
    ),
  );
}

/** computeFeatures (DuckDB: in steps) and the one statement of the same plan, on the tiny fixture. */
async function stepsAndOneStatement(options: FeatureOptions, prepare = ''): Promise<{ before: string[]; after: string[]; differing: number; rows: number; oneRows: number; ordersOfB: number }> {
  return withConnection(async (c) => {
    await loadTinyFixture(c);
    if (prepare) await exec(c, prepare);
    const before = await tableNames(c);
    const result = await computeFeatures(c, options);
    const after = await tableNames(c);
    const target = options.target ?? 'features';
    const one = buildFeaturesSql(result.plan, 'one_statement', undefined, {
      populationRowsOnly: options.populationRowsOnly ?? false,
      ...(options.sourceRows ? { sourceRows: options.sourceRows } : {}),
    });
    await exec(c, one.sql);
    return {
      before,
      after,
      differing: await differingRows(c, target, 'one_statement'),
      rows: result.rowCount,
      oneRows: Number(await queryValue(c, 'SELECT count(*) FROM one_statement')),
      ordersOfB: Number(await queryValue(c, `SELECT coalesce(max(orders_count), 0) FROM ${target} WHERE customer_id = 'B'`)),
    };
  });
}

describe('the features table built in steps (DuckDB)', () => {
  it('holds exactly the rows of the one statement, and leaves only the target behind', async () => {
    const r = await stepsAndOneStatement({ asOf: AS_OF, topCategories: 2, topBrands: 2 });
    expect(r.rows).toBe(4);
    expect(r.oneRows).toBe(4);
    expect(r.differing).toBe(0);
    expect(r.after).toEqual([...r.before, 'features'].sort());
  });

  it('reads the population rows of a source table given for it, as the one statement does (the timing stage)', async () => {
    // A population of two of the four customers, whose orders and events are read from tables of their rows:
    // the shadowing CTEs named as the source tables must hide them in every step. sample_orders leaves out B's
    // orders on purpose: a step that read the orders table itself would give B orders the one statement does not.
    const r = await stepsAndOneStatement(
      {
        asOf: AS_OF,
        topCategories: 2,
        topBrands: 2,
        population: 'sample',
        populationRowsOnly: true,
        sourceRows: { orders: 'sample_orders', events: 'sample_events' },
        target: 'sample_features',
      },
      `CREATE TABLE sample AS SELECT * FROM (VALUES ('A'), ('B')) AS t(customer_id);
       CREATE TABLE sample_orders AS SELECT * FROM orders WHERE customer_id = 'A';
       CREATE TABLE sample_events AS SELECT * FROM events WHERE customer_id IN ('A', 'B')`,
    );
    expect(r.rows).toBe(2);
    expect(r.ordersOfB).toBe(0);
    expect(r.differing).toBe(0);
    expect(r.after).toEqual([...r.before, 'sample_features'].sort());
  });

  it('drops the tables of the steps done when a later step fails, and reports that step\'s error', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      // A view named as the target: every part's table is made, then the final CREATE OR REPLACE TABLE fails.
      await exec(c, 'CREATE VIEW blocked AS SELECT 1 AS x');
      const before = await tableNames(c);
      const error = await computeFeatures(c, { asOf: AS_OF, target: 'blocked' }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/blocked/);
      expect(await tableNames(c)).toEqual(before);
    });
  });
});
