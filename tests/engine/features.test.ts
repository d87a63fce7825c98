import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRESQL } from '../../src/engine/dialect.js';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { Row, SqlEngine } from '../../src/engine/engine.js';
import { explainPushdown } from '../../src/engine/pushdown.js';
import { computeFeatures, type FeaturesResult } from '../../src/features/compute.js';
import { buildFeaturesSql } from '../../src/features/sql/assemble.js';
import { applyConsent } from '../../src/io/apply-consent.js';
import { HOW_TO_START, loadGenerated, testSchema, testServers, type LoadedData } from './servers.js';

const servers = testServers();
const schema = testSchema('features');
const asOf = new Date(Date.UTC(2025, 11, 31));
/** The tables the features stage reads once consent has been applied (population included). */
const TABLES = ['customers', 'orders', 'events', 'zero_party', 'eligible'];
const OPTIONS = { asOf, topCategories: 4, topBrands: 4, restrictedToPopulation: true } as const;

async function featureRows(engine: SqlEngine): Promise<Row[]> {
  return engine.query(
    `SELECT * FROM features ORDER BY customer_id${engine.dialect === 'postgresql' ? ' COLLATE "C"' : ''}`,
  );
}

/** Cells that differ: numbers by more than 1e-9 (relative to their size, at least 1), anything else at all. */
function differences(expected: Row[], actual: Row[]): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`${actual.length} rows, expected ${expected.length}`);
  expected.forEach((want, i) => {
    const got = actual[i] ?? {};
    if (Object.keys(got).join() !== Object.keys(want).join())
      out.push(`row ${i}: columns ${Object.keys(got).join()}`);
    for (const [column, value] of Object.entries(want)) {
      const other = got[column];
      const same =
        typeof value === 'number' && typeof other === 'number'
          ? Math.abs(value - other) <= 1e-9 * Math.max(1, Math.abs(value), Math.abs(other))
          : value === other;
      if (!same && out.length < 20)
        out.push(`${String(want.customer_id)}.${column}: ${String(other)} instead of ${String(value)}`);
    }
  });
  return out;
}

describe.skipIf(!servers)(
  servers ? 'features by the pipeline code on DuckDB, PostgreSQL and shards' : HOW_TO_START,
  () => {
    let data: LoadedData;
    let duck: FeaturesResult;
    let expected: Row[];

    beforeAll(async () => {
      data = await loadGenerated(servers!, { customers: 500, seed: 41, schema, tables: [] });
      // Consent as the validate stage applies it, then the tables the features stage reads go to the servers.
      await applyConsent(data.duck.connection, { asOf, basis: 'consent' });
      await data.copy(TABLES);
      for (const engine of [data.pg.single, data.pg.coordinator])
        await engine.exec(`SET search_path = "${schema}"`);
      duck = await computeFeatures(data.duck.connection, OPTIONS);
      expected = await featureRows(duckdbEngine(data.duck.connection));
    }, 240_000);

    afterAll(async () => {
      await data?.dispose();
    });

    it('gives the DuckDB features every family, with the values that make a port tricky', () => {
      expect(duck.families).toEqual([
        'value',
        'timing',
        'mix',
        'engagement',
        'declared',
        'geography',
        'technographic',
      ]);
      expect(expected.length).toBeGreaterThan(200);
      expect(duck.catalogue.length).toBeGreaterThan(50);
      // Rates from integer counts, customers without purchases, declared interests and age bands.
      expect(
        expected.some(
          (r) => typeof r.email_open_rate === 'number' && r.email_open_rate > 0 && r.email_open_rate < 1,
        ),
      ).toBe(true);
      expect(expected.some((r) => r.recency_days === null)).toBe(true);
      expect(expected.some((r) => typeof r.interpurchase_cv === 'number' && r.interpurchase_cv > 0)).toBe(
        true,
      );
      expect(
        expected.some((r) => Object.entries(r).some(([k, v]) => k.startsWith('interest_') && v === true)),
      ).toBe(true);
      expect(expected.some((r) => typeof r.age_band === 'string')).toBe(true);
    });

    it.each([
      ['a single PostgreSQL', 'single'],
      ['a coordinator with two shards', 'coordinator'],
    ] as const)(
      'are equal to 1e-9 on %s, with the same plan and catalogue',
      async (_label, which) => {
        const engine = data.pg[which];
        const result = await computeFeatures(engine, OPTIONS);
        expect(result.rowCount).toBe(expected.length);
        expect(result.catalogue).toEqual(duck.catalogue);
        expect(result.plan.orders?.topCategories).toEqual(duck.plan.orders?.topCategories);
        expect(result.plan.zeroParty?.interests).toEqual(duck.plan.zeroParty?.interests);
        expect(differences(expected, await featureRows(engine))).toEqual([]);
      },
      120_000,
    );

    it('runs the per-customer aggregates of orders, events and answers on the shards of the coordinator', async () => {
      const duckPlan = duck.plan;
      // The plan PostgreSQL itself would make: no hash shortcut (see computeFeatures).
      const plan = {
        ...duckPlan,
        orders: duckPlan.orders && { ...duckPlan.orders, customerHashesDistinct: false },
      };
      const { select } = buildFeaturesSql(plan, 'features', POSTGRESQL);
      const pushdown = await explainPushdown(data.pg.coordinator, select);
      const aggregated = pushdown.foreignScans.filter((s) => s.relations.startsWith('Aggregate on'));
      const tables = (shard: number): string[] =>
        aggregated
          .filter((s) => s.relations.includes(`_shard${shard} `))
          .map((s) => /\.(\w+)_shard/.exec(s.relations)?.[1] ?? '')
          .sort();
      // On each shard: orders (value, mix, Nov–Dec spend), events (activity windows, rates) and their devices,
      // the latest zero-party answers. The customers table has one row per customer: the planner may group it
      // on either side, as nothing is saved by sending the grouping.
      for (const shard of [1, 2]) {
        expect(tables(shard).filter((t) => t !== 'customers')).toEqual([
          'events',
          'events',
          'orders',
          'zero_party',
        ]);
      }
      for (const scan of aggregated) {
        expect(scan.async).toBe(true);
        expect(scan.remoteSql).toMatch(/GROUP BY 1/);
      }
      const orders = aggregated.find((s) => s.relations.includes('orders_shard1'))?.remoteSql ?? '';
      // The widest aggregate whole on the shard: the exact money sums, the month in integer arithmetic.
      expect(orders).toContain("'2000-03-01'::date");
      expect(orders).toMatch(/sum\(\(CASE WHEN .* THEN .*::numeric\(18,4\)/);
      // Left on the coordinator, over rows the shards filter: the purchase gaps (postgres_fdw of PostgreSQL 15
      // ships no window function) and the abandoned carts (nor an anti-join).
      expect(pushdown.localAggregates).toBeGreaterThan(0);
    });
  },
);
