import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { Row, SqlEngine } from '../../src/engine/engine.js';
import {
  CONTRACT_TABLES,
  HOW_TO_START,
  loadGenerated,
  testSchema,
  testServers,
  type LoadedData,
} from './servers.js';

const servers = testServers();
const schema = testSchema('copy');

/** Rows in a canonical order (JS, so that neither engine's collation decides it). */
async function sortedRows(engine: SqlEngine, sql: string): Promise<Row[]> {
  const rows = await engine.query(sql);
  const keyed = rows.map((row) => [JSON.stringify(row), row] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, row]) => row);
}

describe.skipIf(!servers)(servers ? 'copying the contract tables to PostgreSQL' : HOW_TO_START, () => {
  let data: LoadedData;

  beforeAll(async () => {
    data = await loadGenerated(servers!, {
      customers: 400,
      seed: 19,
      schema,
      tables: [...CONTRACT_TABLES, 'quarantine'],
    });
  });

  afterAll(async () => {
    await data?.dispose();
  });

  it('copies every row of every table, value for value, to a server and to a coordinator with shards', async () => {
    const source = duckdbEngine(data.duck.connection);
    for (const table of [...CONTRACT_TABLES, 'quarantine']) {
      const expected = await sortedRows(source, `SELECT * FROM "${table}"`);
      expect(data.copiedSingle[table], table).toBe(expected.length);
      expect(data.copiedSharded[table], table).toBe(expected.length);
      expect(await sortedRows(data.pg.single, `SELECT * FROM "${schema}"."${table}"`), table).toEqual(
        expected,
      );
      expect(await sortedRows(data.pg.coordinator, `SELECT * FROM "${schema}"."${table}"`), table).toEqual(
        expected,
      );
    }
    // The generated set is a real one: hundreds of orders, dirty rows quarantined, NULLs, all copied.
    expect(data.copiedSingle.orders).toBeGreaterThan(400);
    expect(data.copiedSingle.quarantine).toBeGreaterThan(0);
  });

  it('puts each customer on exactly one shard, with both shards holding a share', async () => {
    const perShard: Set<string>[] = [];
    for (const shard of data.pg.shards) {
      const rows = await shard.engine.query<{ customer_id: string }>(
        `SELECT DISTINCT customer_id FROM "${schema}".orders`,
      );
      perShard.push(new Set(rows.map((r) => r.customer_id)));
    }
    const [first, second] = perShard as [Set<string>, Set<string>];
    const all = await data.pg.single.query<{ n: number }>(
      `SELECT count(DISTINCT customer_id) AS n FROM "${schema}".orders`,
    );
    expect(first.size + second.size).toBe(all[0]?.n);
    expect([...first].filter((id) => second.has(id))).toEqual([]);
    // A hash split of ~400 customers in two: each side far from empty.
    expect(Math.min(first.size, second.size)).toBeGreaterThan((first.size + second.size) / 4);
  });

  it('streams the rows a query returns, in batches of at most the size asked, on each engine', async () => {
    const sql = `SELECT order_id, customer_id, amount, ordered_at FROM "${schema}".orders ORDER BY order_id`;
    for (const engine of [data.pg.single, data.pg.coordinator]) {
      const batches: Row[][] = [];
      for await (const batch of engine.stream(sql, 97)) batches.push(batch);
      expect(batches.every((b) => b.length <= 97 && b.length > 0)).toBe(true);
      expect(batches.flat()).toEqual(await engine.query(sql));
    }
    const source = duckdbEngine(data.duck.connection);
    const local = 'SELECT order_id, customer_id, amount, ordered_at FROM orders ORDER BY order_id';
    const batches: Row[][] = [];
    for await (const batch of source.stream(local, 97)) batches.push(batch);
    expect(batches.every((b) => b.length <= 97 && b.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(await source.query(local));
  });
});
