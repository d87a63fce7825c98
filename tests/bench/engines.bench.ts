// A per-customer aggregate of the orders on DuckDB, on one PostgreSQL and on a postgres_fdw coordinator with
// two shards (the servers of scripts/postgres/clusters.sh, all on this machine), after copying the same orders
// to each. Ratios are against DuckDB, measured in the same run; wall times only (PostgreSQL works in its own
// processes, so this process's CPU time says nothing about it), the load average beside each figure. The
// coordinator's plan is checked to push the aggregate to each shard before it is timed.
// Sizes: ENGINES_BENCH_CUSTOMERS (default 1,000,000) and ENGINES_BENCH_ORDERS (default 5,000,000).
// Needs the servers: eval "$(sudo scripts/postgres/clusters.sh start)" first.
import { loadavg } from 'node:os';
import { copyTablesToPostgres, copyTablesToShards } from '../../src/engine/copy-tables.js';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { SqlEngine } from '../../src/engine/engine.js';
import { explainPushdown } from '../../src/engine/pushdown.js';
import { exec, openEngine } from '../../src/io/duckdb.js';
import { openServers, testServers } from '../engine/servers.js';

const customers = Number(process.env.ENGINES_BENCH_CUSTOMERS ?? 1_000_000);
const orders = Number(process.env.ENGINES_BENCH_ORDERS ?? 5_000_000);
const schema = `personae_bench_${process.pid}`;
const servers = testServers();
if (!servers) process.exit(1);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  const wall = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(56)} ${wall.toFixed(2)} s wall (load ${load()})`);
  return wall;
}

const duck = await openEngine();
const pg = await openServers(servers);
try {
  await time(`generate ${customers} customers / ${orders} orders (DuckDB)`, () =>
    exec(
      duck.connection,
      `CREATE TABLE orders AS SELECT 'o' || i AS order_id, 'c' || (hash(i, 1) % ${customers}) AS customer_id,
         TIMESTAMP '2022-01-15' + to_seconds(CAST(hash(i, 2) % 63072000 AS BIGINT)) AS ordered_at,
         CAST(hash(i, 4) % 20000 AS DOUBLE) / 100 + 1 AS amount,
         CASE hash(i, 5) % 50 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'returned' ELSE 'completed' END AS status,
         CAST(1 + hash(i, 8) % 5 AS INTEGER) AS items
       FROM range(${orders}) r(i)`,
    ),
  );
  const copy = { tables: ['orders'], schema };
  await time('copy to one PostgreSQL', () => copyTablesToPostgres(duck.connection, pg.single, copy));
  await time('copy to the coordinator (rows routed to 2 shards)', () =>
    copyTablesToShards(duck.connection, pg.coordinator, pg.shards, copy),
  );

  const aggregate = (table: string): string => `SELECT customer_id, count(*) AS orders,
      count(*) FILTER (WHERE status = 'completed') AS completed, sum(amount) AS revenue,
      stddev_samp(amount) AS sd_amount, min(ordered_at) AS first_order, max(ordered_at) AS last_order
    FROM ${table} GROUP BY customer_id`;
  const plan = await explainPushdown(pg.coordinator, aggregate(`"${schema}".orders`));
  const pushed =
    plan.localAggregates === 0 && plan.foreignScans.every((s) => s.relations.startsWith('Aggregate on'));
  console.log(
    `coordinator plan: ${plan.foreignScans.length} foreign scans, aggregate pushed to every shard: ${pushed}`,
  );
  if (!pushed)
    throw new Error('the coordinator does not push the per-customer aggregate down: nothing to compare');

  /** Best of three of the aggregate materialised in a temporary table on the engine. */
  async function best(label: string, engine: SqlEngine, table: string): Promise<number> {
    const sql = `DROP TABLE IF EXISTS per_customer; CREATE TEMP TABLE per_customer AS ${aggregate(table)}`;
    const walls: number[] = [];
    for (let i = 0; i < 3; i++) walls.push(await time(`${label} (${i + 1}/3)`, () => engine.exec(sql)));
    return Math.min(...walls);
  }
  const duckWall = await best('per-customer aggregate, DuckDB', duckdbEngine(duck.connection), 'orders');
  const singleWall = await best('per-customer aggregate, one PostgreSQL', pg.single, `"${schema}".orders`);
  const shardWall = await best(
    'per-customer aggregate, coordinator + 2 shards',
    pg.coordinator,
    `"${schema}".orders`,
  );
  console.log(
    `ratios to DuckDB (best of 3, wall): one PostgreSQL ${(singleWall / duckWall).toFixed(2)}×, ` +
      `coordinator + 2 shards ${(shardWall / duckWall).toFixed(2)}× (load ${load()})`,
  );
} finally {
  await pg.dispose(schema);
  duck.close();
}
