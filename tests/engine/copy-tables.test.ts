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

  it("puts each purchase day's gap beside the orders: a view on a server, on the shards' views for a coordinator", async () => {
    // Computed here from the orders DuckDB holds: purchases (a positive amount, not cancelled), by customer
    // and UTC day, the day's first purchase and the days since the customer's previous purchase day.
    const orders = await duckdbEngine(data.duck.connection).query<{
      customer_id: string;
      ordered_at: Date | null;
      amount: number | null;
      status: string | null;
    }>('SELECT customer_id, ordered_at, amount, status FROM orders');
    const firstAt = new Map<string, Date>();
    for (const o of orders) {
      if (o.ordered_at === null || o.amount === null || !(o.amount > 0) || o.status === 'cancelled') continue;
      const key = `${o.customer_id} ${o.ordered_at.toISOString().slice(0, 10)}`;
      const known = firstAt.get(key);
      if (!known || o.ordered_at < known) firstAt.set(key, o.ordered_at);
    }
    const expected = [...firstAt.entries()]
      .map(([key, at]) => ({ customer: key.split(' ')[0] as string, day: key.split(' ')[1] as string, at }))
      .sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.day < b.day ? -1 : 1))
      .map((row, i, all) => {
        const previous = all[i - 1];
        const gap =
          previous?.customer === row.customer ? (Date.parse(row.day) - Date.parse(previous.day)) / 86_400_000 : null;
        return `${row.customer} ${row.at.toISOString()} ${String(gap)}`;
      });
    expect(expected.some((r) => r.endsWith(' null'))).toBe(true);
    expect(expected.filter((r) => !r.endsWith(' null')).length).toBeGreaterThan(100);
    for (const engine of [data.pg.single, data.pg.coordinator]) {
      const rows = await engine.query<{ customer_id: string; first_at: Date; gap: number | null }>(
        `SELECT customer_id, first_at, gap FROM "${schema}".orders_purchase_days`,
      );
      const got = rows.map((r) => `${r.customer_id} ${r.first_at.toISOString()} ${String(r.gap)}`).sort();
      expect(got).toEqual([...expected].sort());
    }
    // On the coordinator each shard's view is a partition: its customers are the ones of its orders.
    const partitions = await data.pg.coordinator.query<{ partition: string }>(
      `SELECT inhrelid::regclass::text AS partition FROM pg_inherits WHERE inhparent = '"${schema}".orders_purchase_days'::regclass ORDER BY 1`,
    );
    expect(partitions.map((p) => p.partition.replace(/^.*\./, ''))).toEqual([
      'orders_purchase_days_shard1',
      'orders_purchase_days_shard2',
    ]);
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
