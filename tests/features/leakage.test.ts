import { describe, expect, it } from 'vitest';
import { exec, queryRows, quoteLiteral, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { Rng } from '../../src/core/rng.js';
import { AS_OF, loadTinyFixture } from './tiny-fixture.js';

const CUSTOMERS = ['A', 'B', 'C', 'D', 'E', 'F'];
const TYPES = ['session_start', 'product_view', 'add_to_cart', 'email_sent', 'email_open', 'email_click', 'sms_sent', 'sms_click', 'unsubscribe'];
const QUESTIONS = ['interests', 'price_sensitivity', 'style', 'birth_year', 'gender', 'shopping_goal', 'preferred_channel'];

/** A timestamp strictly after the end of the as-of day: from one millisecond to a year later. */
function after(rng: Rng): string {
  const offset = rng.bernoulli(0.2) ? 1 : rng.int(365 * 86_400_000);
  return quoteLiteral(new Date(AS_OF.getTime() + 86_400_000 + offset).toISOString().replace('T', ' ').replace('Z', ''));
}

/** Rows dated after the as-of date, with new levels that would become top categories/brands/interests if read. */
async function appendFuture(connection: DuckDBConnection, rng: Rng, n: number): Promise<void> {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const orders = Array.from({ length: n }, (_, i) => {
    const status = pick(['completed', 'cancelled', 'returned', 'refunded']);
    const amount = rng.bernoulli(0.1) ? -rng.uniform(1, 100) : rng.uniform(1, 5000);
    return `('f${i}', '${pick(CUSTOMERS)}', ${after(rng)}, ${amount}, '${status}', 'EUR', '${pick(['web', 'app', 'store', 'marketplace'])}', ${rng.uniform(0, 50)}, ${1 + rng.int(20)}, '${pick(['Future', 'Shoes', 'Bags'])}', '${pick(['NewBrand', 'Acme'])}')`;
  });
  const events = Array.from({ length: n }, () => `('${pick(CUSTOMERS)}', ${after(rng)}, '${pick(TYPES)}', 'Future', ${rng.uniform(1, 900)}, '${pick(['desktop', 'mobile', 'tablet'])}')`);
  const answers = Array.from({ length: n }, () => {
    const q = pick(QUESTIONS);
    const a = q === 'birth_year' ? String(1940 + rng.int(70)) : q === 'interests' ? pick(['knitting|chess', 'yoga', 'surf']) : pick(['low', 'high', 'other']);
    return `('${pick(CUSTOMERS)}', ${after(rng)}, '${q}', '${a}')`;
  });
  await exec(connection, `INSERT INTO orders VALUES ${orders.join(', ')}`);
  await exec(connection, `INSERT INTO events VALUES ${events.join(', ')}`);
  await exec(connection, `INSERT INTO zero_party VALUES ${answers.join(', ')}`);
}

describe('no leakage from rows dated after the as-of date', () => {
  it('appending future orders, events and answers changes no feature value (5 random seeds)', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      await computeFeatures(c, { asOf: AS_OF, topCategories: 3, topBrands: 3 });
      const before = await queryRows(c, 'SELECT * FROM features ORDER BY customer_id');
      for (let seed = 1; seed <= 5; seed++) {
        await appendFuture(c, new Rng(seed), 40);
        const result = await computeFeatures(c, { asOf: AS_OF, topCategories: 3, topBrands: 3 });
        expect(result.rowCount).toBe(4);
        expect(await queryRows(c, 'SELECT * FROM features ORDER BY customer_id')).toEqual(before);
      }
    });
  });

  it('an earlier as-of date on the same tables sees only its own past', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      // As of 2024-03-31, A had bought on Jan 10 and Mar 10 only.
      await computeFeatures(c, { asOf: new Date(Date.UTC(2024, 2, 31)) });
      const [a] = await queryRows(c, `SELECT * FROM features WHERE customer_id = 'A'`);
      expect(a).toMatchObject({ orders_count: 2, monetary_total: 150, recency_days: 21, interpurchase_mean_days: 60, interest_yoga: true, interest_running: true });
    });
  });
});
