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
        // The gaps between purchase days come from the loader's purchase days (a view beside the orders).
        expect(result.plan.orders?.purchaseDays).toBe(true);
        expect(result.rowCount).toBe(expected.length);
        expect(result.catalogue).toEqual(duck.catalogue);
        expect(result.plan.orders?.topCategories).toEqual(duck.plan.orders?.topCategories);
        expect(result.plan.zeroParty?.interests).toEqual(duck.plan.zeroParty?.interests);
        expect(differences(expected, await featureRows(engine))).toEqual([]);
      },
      120_000,
    );

    it.each([
      ['a single PostgreSQL', 'single'],
      ['a coordinator with two shards', 'coordinator'],
    ] as const)(
      'know only what happened by an earlier as-of date on %s (purchase days, carts and answers after it unknown)',
      async (_label, which) => {
        const earlier = { ...OPTIONS, asOf: new Date(Date.UTC(2025, 5, 30)), target: 'features_june' };
        await computeFeatures(data.duck.connection, earlier);
        const june = await duckdbEngine(data.duck.connection).query('SELECT * FROM features_june ORDER BY customer_id');
        // Customers bought after the earlier date: their purchase days then are not all known.
        expect(june.filter((r, i) => r.orders_count !== expected[i]?.orders_count).length).toBeGreaterThan(10);
        const engine = data.pg[which];
        await computeFeatures(engine, earlier);
        const rows = await engine.query('SELECT * FROM features_june ORDER BY customer_id COLLATE "C"');
        expect(differences(june, rows)).toEqual([]);
      },
      120_000,
    );

    it('runs every per-customer aggregate of the features on the shards of the coordinator', async () => {
      // The plan computeFeatures makes on the coordinator: it finds the loader's purchase days there.
      const { plan } = await computeFeatures(data.pg.coordinator, { ...OPTIONS, target: 'features_plan' });
      expect(plan.orders?.purchaseDays).toBe(true);
      const { select } = buildFeaturesSql(plan, 'features', POSTGRESQL);
      const pushdown = await explainPushdown(data.pg.coordinator, select);
      // Nothing is grouped or windowed on the coordinator, and no row of any table reaches it except inside a
      // shard's aggregate.
      expect(pushdown.localAggregations).toEqual([]);
      const sources = pushdown.foreignScans;
      expect(sources.filter((s) => !s.relations.startsWith('Aggregate on'))).toEqual([]);
      const tables = (shard: number): string[] =>
        sources
          .filter((s) => s.relations.includes(`_shard${shard} `))
          .map((s) =>
            [...s.relations.matchAll(/\.(\w+)_shard\d+ /g)]
              .map((m) => m[1])
              .join(' LEFT JOIN '),
          )
          .sort();
      // On each shard: orders (value, mix, Nov–Dec spend), the purchase days' gaps, events (activity windows,
      // rates; the most used device), the add-to-cart events joined to the purchases that follow them (the
      // abandoned carts), the latest zero-party answers, the customers' attributes and the population's ids.
      for (const shard of [1, 2]) {
        expect(tables(shard)).toEqual([
          'customers',
          'eligible',
          'events',
          'events',
          'events LEFT JOIN orders',
          'orders',
          'orders_purchase_days',
          'zero_party',
        ]);
      }
      for (const scan of sources) {
        expect(scan.async).toBe(true);
        // Grouped by customer, with the condition every group meets that makes the planner send it.
        expect(scan.remoteSql).toMatch(/GROUP BY (1|2) HAVING \(\(count\(\*\) > 0\)\)/);
      }
      const remote = (pattern: RegExp): string =>
        sources.find((s) => pattern.test(s.relations) && s.relations.includes('_shard1 '))?.remoteSql ?? '';
      // The widest aggregate whole on the shard: the exact money sums, the month in integer arithmetic.
      const orders = remote(/\(\S+\.orders_shard1 orders\)/);
      expect(orders).toContain("'2000-03-01'::date");
      expect(orders).toMatch(/sum\(\(CASE WHEN .* THEN .*::numeric\(18,4\)/);
      // The gaps between purchase days: sums of the gaps of days known at the as-of date.
      expect(remote(/orders_purchase_days_shard1/)).toMatch(
        /count\(gap\), sum\(gap\), sum\(\(gap \* gap\)\) FROM \S+\.orders_purchase_days WHERE \(\(first_at <= '2025-12-31 23:59:59\.999'\)\)/,
      );
      // The abandoned carts: the LEFT JOIN to the purchases within 24 hours, on the shard.
      const carts = remote(/events_shard1 \w+\) LEFT JOIN/);
      expect(carts).toMatch(/ LEFT JOIN \S+\.orders \w+ ON /);
      expect(carts).toContain("'24:00:00'::interval");
      // The most used device and the latest answers, each one aggregate per customer.
      expect(sources.some((s) => s.remoteSql.includes('mode() WITHIN GROUP (ORDER BY device'))).toBe(true);
      expect(remote(/zero_party_shard1/)).toMatch(/FILTER \(WHERE \(question = 'style'\)\)\)\[1\]/);
    });
  },
);
