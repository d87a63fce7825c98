// Feature computation for 1M customers / 20M orders next to a bare DuckDB GROUP BY of the same orders,
// measured in the same run on the same connection. Target (issue 17): computeFeatures with every family
// ≤ 6× the bare GROUP BY. Wall and CPU seconds are both printed: on a shared machine the process's CPU time
// (DuckDB's threads included) is the steadier of the two; the load average is printed beside the figures.
// The tables are prepared as the pipeline hands them to the features stage: applyConsent has deleted the
// rows of customers outside `eligible`. A second reference, a GROUP BY with as many plain sums as the
// order families keep per customer, shows how much of the ratio is the width of the aggregate itself.
// Sizes can be lowered for a quick look: FEATURES_BENCH_CUSTOMERS=100000 FEATURES_BENCH_ORDERS=2000000.
import { computeFeatures } from '../../src/features/compute.js';
import { familyQueries } from '../../src/features/sql/assemble.js';
import { exec, openEngine, queryValue } from '../../src/io/duckdb.js';
import { loadavg } from 'node:os';

const customers = Number(process.env.FEATURES_BENCH_CUSTOMERS ?? 1_000_000);
const orders = Number(process.env.FEATURES_BENCH_ORDERS ?? 20_000_000);
const events = Number(process.env.FEATURES_BENCH_EVENTS ?? 5_000_000);
const asOf = new Date(Date.UTC(2023, 11, 31));

const engine = await openEngine();
const c = engine.connection;

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function time(label: string, fn: () => Promise<unknown>): Promise<Timing> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await fn();
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1e6;
  console.log(`${label.padEnd(48)} ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (load ${load()})`);
  return { wall, cpu };
}

const fastest = (a: Timing, b: Timing): Timing => ({ wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });
const ratio = (a: Timing, b: Timing): string => `${(a.wall / b.wall).toFixed(2)} wall, ${(a.cpu / b.cpu).toFixed(2)} CPU`;

// Hash-based pseudo-random columns: fast, deterministic, no JS in the loop. Two years of orders, 2% after
// the as-of date (they must be ignored), 2% cancelled, 2% returned, 1% negative return lines.
await time(`generate ${customers} customers / ${orders} orders`, async () => {
  await exec(
    c,
    `CREATE TABLE orders AS SELECT 'o' || i AS order_id, 'c' || (hash(i, 1) % ${customers}) AS customer_id,
       TIMESTAMP '2022-01-15' + to_seconds(CAST(hash(i, 2) % 63072000 AS BIGINT)) AS ordered_at,
       CASE WHEN hash(i, 3) % 100 = 0 THEN -CAST(hash(i, 4) % 5000 AS DOUBLE) / 100 ELSE CAST(hash(i, 4) % 20000 AS DOUBLE) / 100 + 1 END AS amount,
       CASE hash(i, 5) % 50 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'returned' ELSE 'completed' END AS status,
       'EUR' AS currency,
       ['web', 'app', 'store', 'marketplace'][1 + CAST(hash(i, 6) % 4 AS INTEGER)] AS channel,
       CAST(hash(i, 7) % 500 AS DOUBLE) / 100 AS discount_amount,
       CAST(1 + hash(i, 8) % 5 AS INTEGER) AS items,
       'category ' || (hash(i, 9) % 20) AS category,
       'brand ' || (hash(i, 10) % 60) AS brand
     FROM range(${orders}) r(i)`,
  );
  await exec(c, `CREATE TABLE eligible AS SELECT 'c' || i AS customer_id FROM range(${customers}) r(i) WHERE hash(i, 11) % 10 <> 0`);
  await exec(c, 'DELETE FROM orders WHERE customer_id NOT IN (SELECT customer_id FROM eligible)');
});
const orderRows = Number(await queryValue(c, 'SELECT count(*) FROM orders'));
console.log(`orders after consent: ${orderRows}`);

const bareSql = 'CREATE OR REPLACE TEMP TABLE bare AS SELECT customer_id, count(*), sum(amount), max(ordered_at) FROM orders GROUP BY 1';
await time('bare GROUP BY (warm-up)', () => exec(c, bareSql));
const bare = fastest(await time('bare GROUP BY', () => exec(c, bareSql)), await time('bare GROUP BY', () => exec(c, bareSql)));
const wideSums = 24;
const wideSql = `CREATE OR REPLACE TEMP TABLE wide AS SELECT customer_id, ${Array.from({ length: wideSums }, (_, i) => `sum(amount * ${i + 1}) AS s${i}`).join(', ')} FROM orders GROUP BY 1`;
const wide = await time(`GROUP BY with ${wideSums} plain sums (reference)`, () => exec(c, wideSql));
const options = { asOf, restrictedToPopulation: true };
const ordersOnly = await time('computeFeatures, orders only', () => computeFeatures(c, options));
// Where the time goes: each family CTE of the orders-only query on its own (they run inside the query above).
const { plan } = await computeFeatures(c, { ...options, target: 'features_breakdown' });
for (const family of familyQueries(plan)) {
  for (const cte of family.ctes) {
    await time(`  of which the ${family.family} family (CTE ${cte.name})`, () => exec(c, `CREATE OR REPLACE TEMP TABLE breakdown AS ${cte.sql}`));
  }
}
await exec(c, 'DROP TABLE features_breakdown; DROP TABLE breakdown');
const rows = Number(await queryValue(c, 'SELECT count(*) FROM features'));
const columns = Number(await queryValue(c, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'features'`));
console.log(`features: ${rows} rows x ${columns} columns`);
console.log(`ratio ${wideSums} plain sums / bare: ${ratio(wide, bare)}`);
console.log(`ratio orders-only / bare: ${ratio(ordersOnly, bare)}`);

if (events > 0) {
  await time(`generate customers + ${events} events`, async () => {
    await exec(
      c,
      `CREATE TABLE customers AS SELECT 'c' || i AS customer_id, TIMESTAMP '2021-01-01' + to_seconds(CAST(hash(i, 20) % 94608000 AS BIGINT)) AS created_at,
         NULL::VARCHAR AS email, NULL::VARCHAR AS phone, NULL::VARCHAR AS first_name,
         ['FR', 'DE', 'ES', 'IT', 'GB'][1 + CAST(hash(i, 21) % 5 AS INTEGER)] AS country, 'region ' || (hash(i, 22) % 13) AS region,
         NULL::VARCHAR AS city, NULL::VARCHAR AS acquisition_channel, ['desktop', 'mobile', 'tablet'][1 + CAST(hash(i, 23) % 3 AS INTEGER)] AS device
       FROM range(${customers}) r(i)`,
    );
    await exec(
      c,
      `CREATE TABLE events AS SELECT 'c' || (hash(i, 30) % ${customers}) AS customer_id,
         TIMESTAMP '2023-06-01' + to_seconds(CAST(hash(i, 31) % 18144000 AS BIGINT)) AS occurred_at,
         ['session_start', 'page_view', 'product_view', 'add_to_cart', 'checkout_start', 'email_sent', 'email_open', 'email_click', 'sms_sent', 'sms_click', 'unsubscribe'][1 + CAST(hash(i, 32) % 11 AS INTEGER)] AS type,
         NULL::VARCHAR AS category, CAST(hash(i, 33) % 30000 AS DOUBLE) / 100 AS value, NULL::VARCHAR AS device
       FROM range(${events}) r(i)`,
    );
    for (const table of ['customers', 'events']) await exec(c, `DELETE FROM ${table} WHERE customer_id NOT IN (SELECT customer_id FROM eligible)`);
  });
  const all = await time('computeFeatures, orders + customers + events', () => computeFeatures(c, options));
  const allColumns = Number(await queryValue(c, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'features'`));
  console.log(`features: ${allColumns} columns`);
  console.log(`ratio with events / bare: ${ratio(all, bare)} (target ≤ 6)`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load after ${load()}`);
engine.close();
