import { describe, expect, it } from 'vitest';
import { computeFeatures } from '../../../src/features/compute.js';
import { queryRows, tableExists, withConnection, type DuckDBConnection } from '../../../src/io/duckdb.js';
import { FeatureDates } from '../../../src/runner/stages/timing-feature-dates.js';
import { loadTinyFixture } from '../../features/tiny-fixture.js';

const options = { topCategories: 2, topBrands: 2 };
const JUNE = new Date('2024-06-30T00:00:00Z');
const MARCH = new Date('2024-03-31T00:00:00Z');

async function all(c: DuckDBConnection, table: string): Promise<unknown[]> {
  return queryRows(c, `SELECT * FROM ${table} ORDER BY customer_id`);
}

describe('feature tables shared by the backtest windows', () => {
  it('hold what computeFeatures at that date gives, are built once and dropped after their last planned use', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      await computeFeatures(c, { ...options, asOf: JUNE, target: 'expected_june' });
      await computeFeatures(c, { ...options, asOf: MARCH, target: 'expected_march' });
      const dates = new FeatureDates(c, options, [JUNE, MARCH, JUNE]);

      const june = await dates.acquire(JUNE);
      expect(await all(c, june)).toEqual(await all(c, 'expected_june'));
      // A marker row shows that a second use reads the same table instead of computing it again.
      await c.run(`INSERT INTO ${june} (customer_id) VALUES ('marker')`);
      await dates.release(JUNE);
      expect(await tableExists(c, june)).toBe(true);
      expect(await dates.acquire(JUNE)).toBe(june);
      expect((await all(c, june)).length).toBe((await all(c, 'expected_june')).length + 1);

      const march = await dates.acquire(MARCH);
      expect(march).not.toBe(june);
      expect(await all(c, march)).toEqual(await all(c, 'expected_march'));
      await dates.release(MARCH);
      expect(await tableExists(c, march)).toBe(false);

      await dates.release(JUNE);
      expect(await tableExists(c, june)).toBe(false);
    });
  });

  it('drops what is still held when a window fails part-way', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      const dates = new FeatureDates(c, options, [JUNE, JUNE]);
      const june = await dates.acquire(JUNE);
      await dates.release(JUNE);
      expect(await tableExists(c, june)).toBe(true);
      await dates.dropAll();
      expect(await tableExists(c, june)).toBe(false);
    });
  });
});
