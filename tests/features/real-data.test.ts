import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exec, queryRows, quoteLiteral, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { CREATE_TABLES } from './tiny-fixture.js';

const FIXTURES = new URL('../fixtures/features/', import.meta.url);
const DAY = 86_400_000;

/** Loads a fixture CSV as the canonical orders table (optional columns absent from the file are NULL). */
async function loadOrders(connection: DuckDBConnection, file: string): Promise<void> {
  const path = quoteLiteral(new URL(file, FIXTURES).pathname);
  await exec(connection, CREATE_TABLES.orders);
  await exec(
    connection,
    `INSERT INTO orders (order_id, customer_id, ordered_at, amount, items)
     SELECT order_id, customer_id, ordered_at, amount, items FROM read_csv(${path}, types = {'customer_id': 'VARCHAR', 'order_id': 'VARCHAR'})`,
  );
  await exec(connection, `${CREATE_TABLES.eligible}; INSERT INTO eligible SELECT DISTINCT customer_id FROM orders`);
}

interface Reference {
  orders: number;
  total: number;
  recency: number | null;
  meanGap: number | null;
}

/** An independent computation in plain TypeScript from the CSV text: the reference for the SQL. */
function reference(file: string, asOf: Date): Map<string, Reference> {
  const lines = readFileSync(new URL(file, FIXTURES), 'utf8').trim().split('\n').slice(1);
  const days = new Map<string, Set<number>>();
  const out = new Map<string, Reference>();
  const asOfDay = asOf.getTime() / DAY;
  for (const line of lines) {
    const [, customer = '', at = '', amountText = ''] = line.split(',');
    const amount = Number(amountText);
    const day = Math.floor(Date.parse(`${at.replace(' ', 'T')}Z`) / DAY);
    const r = out.get(customer) ?? { orders: 0, total: 0, recency: null, meanGap: null };
    out.set(customer, r);
    if (day > asOfDay || amount <= 0) continue;
    r.orders += 1;
    r.total += amount;
    r.recency = Math.min(r.recency ?? Infinity, asOfDay - day);
    days.set(customer, (days.get(customer) ?? new Set()).add(day));
  }
  for (const [customer, set] of days) {
    const sorted = [...set].sort((a, b) => a - b);
    const r = out.get(customer) as Reference;
    r.meanGap = sorted.length > 1 ? ((sorted.at(-1) as number) - (sorted[0] as number)) / (sorted.length - 1) : null;
  }
  return out;
}

async function checkAgainstReference(file: string, asOf: Date): Promise<Record<string, unknown>[]> {
  return withConnection(async (c) => {
    await loadOrders(c, file);
    const result = await computeFeatures(c, { asOf });
    expect(result.families).toEqual(['value', 'timing']);
    const rows = await queryRows<Record<string, unknown>>(c, 'SELECT * FROM features ORDER BY customer_id');
    const ref = reference(file, asOf);
    expect(rows.length).toBe(ref.size);
    for (const row of rows) {
      const r = ref.get(String(row.customer_id)) as Reference;
      expect(row.orders_count).toBe(r.orders);
      expect(row.monetary_total as number).toBeCloseTo(r.total, 6);
      expect(row.recency_days).toBe(r.recency);
      if (r.meanGap === null) expect(row.interpurchase_mean_days).toBeNull();
      else expect(row.interpurchase_mean_days as number).toBeCloseTo(r.meanGap, 9);
    }
    return rows;
  });
}

describe('orders-only real data', () => {
  it('CDNOW slice (300 customers) as of the end of the calibration period matches a plain TypeScript reference', async () => {
    const rows = await checkAgainstReference('cdnow_orders.csv', new Date(Date.UTC(1997, 8, 30)));
    expect(rows.length).toBe(300);
    // Every CDNOW customer first bought in Q1 1997, so all are 182–272 days old at 1997-09-30.
    for (const r of rows) {
      if (r.tenure_first_purchase_days === null) continue;
      expect(r.tenure_first_purchase_days as number).toBeGreaterThanOrEqual(182);
      expect(r.tenure_first_purchase_days as number).toBeLessThanOrEqual(272);
    }
  });

  it('Online Retail slice (200 customers, returns as negative orders) matches the reference and has returns', async () => {
    const rows = await checkAgainstReference('online_retail_orders.csv', new Date(Date.UTC(2011, 11, 9)));
    expect(rows.length).toBe(200);
    // Customer 12346 bought 77,183.60 and returned all of it the same day.
    expect(rows.find((r) => r.customer_id === '12346')).toMatchObject({ orders_count: 1, monetary_total: 77183.6, returns_share: 1 });
    expect(rows.filter((r) => (r.returns_share as number) > 0).length).toBeGreaterThan(10);
  });
});
