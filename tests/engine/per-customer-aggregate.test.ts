import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { Row, SqlEngine } from '../../src/engine/engine.js';
import { explainPushdown } from '../../src/engine/pushdown.js';
import { HOW_TO_START, loadGenerated, testSchema, testServers, type LoadedData } from './servers.js';

const servers = testServers();
const schema = testSchema('aggregate');

/** The same SQL text on every engine: orders per customer as features use them. */
function perCustomerSql(orders: string): string {
  return `SELECT customer_id,
    count(*) AS orders,
    count(*) FILTER (WHERE status = 'completed') AS completed,
    sum(amount) AS revenue,
    avg(amount) AS mean_amount,
    stddev_samp(amount) AS sd_amount,
    min(amount) AS smallest,
    max(amount) AS largest,
    sum(items) AS items,
    min(ordered_at) AS first_order,
    max(ordered_at) AS last_order
  FROM ${orders}
  GROUP BY customer_id`;
}

async function byCustomer(engine: SqlEngine, sql: string): Promise<Map<string, Row>> {
  const rows = await engine.query(sql);
  return new Map(rows.map((row) => [row.customer_id as string, row]));
}

/** Cells that differ: numbers by more than 1e-9 (relative to their size, at least 1), anything else at all. */
function differences(expected: Map<string, Row>, actual: Map<string, Row>): string[] {
  const out: string[] = [];
  if (actual.size !== expected.size) out.push(`${actual.size} customers, expected ${expected.size}`);
  for (const [id, want] of expected) {
    const got = actual.get(id);
    if (!got) {
      out.push(`${id} missing`);
      continue;
    }
    for (const [column, value] of Object.entries(want)) {
      const other = got[column];
      const same =
        typeof value === 'number' && typeof other === 'number'
          ? Math.abs(value - other) <= 1e-9 * Math.max(1, Math.abs(value), Math.abs(other))
          : value instanceof Date && other instanceof Date
            ? value.getTime() === other.getTime()
            : value === other;
      if (!same) out.push(`${id}.${column}: ${String(other)} instead of ${String(value)}`);
    }
  }
  return out;
}

describe.skipIf(!servers)(
  servers ? 'a per-customer aggregate on DuckDB, PostgreSQL and shards' : HOW_TO_START,
  () => {
    let data: LoadedData;
    const orders = `"${schema}".orders`;

    beforeAll(async () => {
      data = await loadGenerated(servers!, { customers: 400, seed: 23, schema });
    });

    afterAll(async () => {
      await data?.dispose();
    });

    it('is equal to 1e-9 on DuckDB, a single PostgreSQL and a coordinator with two shards', async () => {
      const expected = await byCustomer(duckdbEngine(data.duck.connection), perCustomerSql('orders'));
      expect(expected.size).toBeGreaterThan(300);
      // The data set has what makes an aggregate tricky: returned or cancelled orders, one-order customers.
      const rows = [...expected.values()];
      expect(rows.some((r) => (r.completed as number) < (r.orders as number))).toBe(true);
      expect(rows.some((r) => r.orders === 1 && r.sd_amount === null)).toBe(true);
      expect(differences(expected, await byCustomer(data.pg.single, perCustomerSql(orders)))).toEqual([]);
      expect(differences(expected, await byCustomer(data.pg.coordinator, perCustomerSql(orders)))).toEqual(
        [],
      );
    });

    it('runs on the shards: one asynchronous Foreign Scan per shard with the whole aggregate in its Remote SQL', async () => {
      const plan = await explainPushdown(data.pg.coordinator, perCustomerSql(orders));
      expect(plan.localAggregates).toBe(0);
      expect(plan.foreignScans.map((s) => s.relations)).toEqual(
        data.pg.shards.map(
          (_, i) => `Aggregate on (${schema}.orders_shard${i + 1} orders${i === 0 ? '' : `_${i}`})`,
        ),
      );
      for (const scan of plan.foreignScans) {
        expect(scan.async).toBe(true);
        expect(scan.remoteSql).toMatch(/ GROUP BY 1$/);
        for (const aggregate of [
          'count(*)',
          "count(*) FILTER (WHERE (status = 'completed'))",
          'sum(amount)',
          'avg(amount)',
          'stddev_samp(amount)',
          'min(amount)',
          'max(amount)',
          'sum(items)',
          'min(ordered_at)',
          'max(ordered_at)',
        ]) {
          expect(scan.remoteSql).toContain(aggregate);
        }
      }
    });

    it('would not be pushed down without partitionwise aggregation: the check can fail', async () => {
      await data.pg.coordinator.exec('SET enable_partitionwise_aggregate = off');
      try {
        const plan = await explainPushdown(data.pg.coordinator, perCustomerSql(orders));
        expect(plan.localAggregates).toBeGreaterThan(0);
        expect(plan.foreignScans.every((s) => !s.relations.startsWith('Aggregate on'))).toBe(true);
      } finally {
        await data.pg.coordinator.exec('RESET enable_partitionwise_aggregate');
      }
    });
  },
);
