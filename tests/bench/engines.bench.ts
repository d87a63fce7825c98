// A per-customer aggregate of the orders on DuckDB, on one PostgreSQL and on a postgres_fdw coordinator with
// two shards (the servers of scripts/postgres/clusters.sh, all on this machine), after copying the same orders
// to each. Ratios are against DuckDB, measured in the same run; wall times only (PostgreSQL works in its own
// processes, so this process's CPU time says nothing about it), the load average beside each figure. The
// coordinator's plan is checked to push the aggregate to each shard before it is timed.
// Then the features of the pipeline (computeFeatures: value, timing, mix, engagement, declared, geography,
// technographic) from orders, customers, events and zero-party answers, on the three engines, once each.
// Sizes: ENGINES_BENCH_CUSTOMERS (default 1,000,000), ENGINES_BENCH_ORDERS (default 5,000,000),
// ENGINES_BENCH_EVENTS (default 5,000,000); ENGINES_BENCH_FEATURES=0 skips the features.
// Needs the servers: eval "$(sudo scripts/postgres/clusters.sh start)" first.
import { loadavg } from 'node:os';
import { copyTablesToPostgres, copyTablesToShards } from '../../src/engine/copy-tables.js';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { SqlEngine } from '../../src/engine/engine.js';
import { explainPushdown } from '../../src/engine/pushdown.js';
import { POSTGRESQL } from '../../src/engine/dialect.js';
import { computeFeatures } from '../../src/features/compute.js';
import type { FeaturePlan } from '../../src/features/plan.js';
import { buildFeaturesSql } from '../../src/features/sql/assemble.js';
import { exec, openEngine } from '../../src/io/duckdb.js';
import { openServers, testServers } from '../engine/servers.js';

const customers = Number(process.env.ENGINES_BENCH_CUSTOMERS ?? 1_000_000);
const orders = Number(process.env.ENGINES_BENCH_ORDERS ?? 5_000_000);
const events = Number(process.env.ENGINES_BENCH_EVENTS ?? 5_000_000);
const withFeatures = process.env.ENGINES_BENCH_FEATURES !== '0';
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
         CAST(1 + hash(i, 8) % 5 AS INTEGER) AS items,
         ['apparel', 'shoes', 'beauty', 'home', 'books', 'toys'][CAST(1 + hash(i, 9) % 6 AS BIGINT)] AS category,
         'brand ' || (hash(i, 10) % 12) AS brand,
         ['web', 'app', 'store', 'marketplace'][CAST(1 + hash(i, 11) % 4 AS BIGINT)] AS channel
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
  if (withFeatures) await benchFeatures();
} finally {
  await pg.dispose(schema);
  duck.close();
}

/** The pipeline's features on the three engines (one run each: a run takes minutes at 1M customers). */
async function benchFeatures(): Promise<void> {
  await time(`generate ${customers} customers, ${events} events, answers (DuckDB)`, () =>
    exec(
      duck.connection,
      `CREATE TABLE customers AS SELECT 'c' || i AS customer_id,
         TIMESTAMP '2021-01-01' + to_seconds(CAST(hash(i, 20) % 94608000 AS BIGINT)) AS created_at,
         ['FR', 'DE', 'US', 'GB'][CAST(1 + hash(i, 21) % 4 AS BIGINT)] AS country, 'region ' || (hash(i, 22) % 9) AS region,
         ['mobile', 'desktop', 'tablet'][CAST(1 + hash(i, 23) % 3 AS BIGINT)] AS device
       FROM range(${customers}) r(i);
       CREATE TABLE eligible AS SELECT customer_id FROM customers;
       CREATE TABLE events AS SELECT 'c' || (hash(i, 30) % ${customers}) AS customer_id,
         TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i, 31) % 31536000 AS BIGINT)) AS occurred_at,
         ['session_start', 'page_view', 'product_view', 'add_to_cart', 'email_sent', 'email_open', 'email_click',
          'sms_sent', 'sms_click'][CAST(1 + hash(i, 32) % 9 AS BIGINT)] AS type,
         CAST(hash(i, 33) % 10000 AS DOUBLE) / 100 AS value,
         ['mobile', 'desktop', 'tablet'][CAST(1 + hash(i, 34) % 3 AS BIGINT)] AS device
       FROM range(${events}) r(i);
       CREATE TABLE zero_party AS SELECT 'c' || i AS customer_id, TIMESTAMP '2022-06-01' AS answered_at,
         'interests' AS question, ['running', 'yoga', 'books', 'home', 'travel'][CAST(1 + hash(i, 40) % 5 AS BIGINT)] || ' | ' ||
         ['cooking', 'music', 'art'][CAST(1 + hash(i, 41) % 3 AS BIGINT)] AS answer
       FROM range(${customers}) r(i)`,
    ),
  );
  const copy = { tables: ['customers', 'eligible', 'events', 'zero_party'], schema };
  await time('copy them to one PostgreSQL', () => copyTablesToPostgres(duck.connection, pg.single, copy));
  await time('copy them to the coordinator (rows routed to 2 shards)', () =>
    copyTablesToShards(duck.connection, pg.coordinator, pg.shards, copy),
  );
  const options = { asOf: new Date(Date.UTC(2023, 11, 31)), restrictedToPopulation: true };
  const engines: [string, SqlEngine][] = [
    ['DuckDB', duckdbEngine(duck.connection)],
    ['one PostgreSQL', pg.single],
    ['coordinator + 2 shards', pg.coordinator],
  ];
  const walls: number[] = [];
  let columns = 0;
  let plan: FeaturePlan | undefined;
  for (const [label, engine] of engines) {
    if (engine.dialect === 'postgresql') await engine.exec(`SET search_path = "${schema}"`);
    walls.push(
      await time(`features, ${label}`, async () => {
        const result = await computeFeatures(engine, options);
        columns = result.catalogue.length;
        plan = result.plan;
      }),
    );
  }
  // Where the coordinator ran them: every per-customer aggregate on the shards, at this size too?
  const pushdown = await explainPushdown(pg.coordinator, buildFeaturesSql(plan!, 'features', POSTGRESQL).select);
  const fetched = pushdown.foreignScans.filter((s) => !s.relations.startsWith('Aggregate on'));
  console.log(
    `coordinator plan of the features: ${pushdown.foreignScans.length} foreign scans, ` +
      `rows fetched unaggregated from: ${fetched.map((s) => s.relations).join(', ') || 'none'}; ` +
      `groupings on the coordinator: ${pushdown.localAggregations.map((a) => `${a.node} of ${a.reads.join(' + ')}`).join('; ') || 'none'}`,
  );
  const [duckFeatures, singleFeatures, shardFeatures] = walls as [number, number, number];
  console.log(
    `features (${columns} columns, ${customers} customers) ratios to DuckDB (wall): one PostgreSQL ` +
      `${(singleFeatures / duckFeatures).toFixed(2)}×, coordinator + 2 shards ` +
      `${(shardFeatures / duckFeatures).toFixed(2)}× (load ${load()})`,
  );
}
