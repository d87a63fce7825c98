import { describe, expect, it } from 'vitest';
import { computeFeatures, FilledColumnsByDate } from '../../../src/features/compute.js';
import { duckdbEngine } from '../../../src/engine/duckdb.js';
import { queryColumns, queryRows, tableExists, withConnection, type DuckDBConnection } from '../../../src/io/duckdb.js';
import { FeatureDates, readFeatureColumns } from '../../../src/runner/stages/timing-feature-dates.js';
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

describe('feature tables of a training sample', () => {
  it('hold, at a date no window scores on, the rows of the whole table for the customers asked for, dropped at release', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      const restricted = { ...options, restrictedToPopulation: true };
      await computeFeatures(c, { ...restricted, asOf: MARCH, target: 'expected_march' });
      await computeFeatures(c, { ...restricted, asOf: JUNE, target: 'expected_june' });
      const everyone = (await all(c, 'expected_march')) as { customer_id: string }[];
      expect(everyone.length).toBeGreaterThan(3);
      // Every other customer, the last one first: the table follows the customers, not the order they are listed in.
      const sample = everyone.filter((_, i) => i % 2 === 1).map((r) => r.customer_id).reverse();
      const dates = new FeatureDates(c, restricted, [JUNE]);

      const march = await dates.acquire(MARCH, sample);
      expect(await all(c, march)).toEqual(everyone.filter((r) => sample.includes(r.customer_id)));
      await dates.release(MARCH);
      expect(await tableExists(c, march)).toBe(false);
      expect(await queryRows(c, `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'features_at_%'`)).toEqual([]);

      // A planned (scored) date is the shared table of every customer, whatever the sample.
      const june = await dates.acquire(JUNE, sample);
      expect(await all(c, june)).toEqual(await all(c, 'expected_june'));
      await dates.release(JUNE);
      expect(await tableExists(c, june)).toBe(false);
    });
  });
});

describe('feature tables of the backtest sample (timing.backtest_max_customers)', () => {
  it('hold, at every date, the rows of the whole table for the sample’s customers, and are all dropped at the end', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      const restricted = { ...options, restrictedToPopulation: true };
      await computeFeatures(c, { ...restricted, asOf: JUNE, target: 'expected_june' });
      await computeFeatures(c, { ...restricted, asOf: MARCH, target: 'expected_march' });
      const everyone = (await all(c, 'expected_june')) as { customer_id: string }[];
      const population = everyone.filter((_, i) => i % 2 === 0).map((r) => r.customer_id);
      const dates = new FeatureDates(c, restricted, [JUNE, JUNE], population);

      const june = await dates.acquire(JUNE);
      expect(await all(c, june)).toEqual(everyone.filter((r) => population.includes(r.customer_id)));
      await dates.release(JUNE);
      expect(await dates.acquire(JUNE)).toBe(june);
      // A training subsample at a date without planned uses: a table of those customers, as without a population.
      const few = population.slice(0, 2);
      const expectedMarch = (await all(c, 'expected_march')) as { customer_id: string }[];
      const march = await dates.acquire(MARCH, few);
      expect(await all(c, march)).toEqual(expectedMarch.filter((r) => few.includes(r.customer_id)));
      // The sample's rows of the sources are cut out once, for every date.
      for (const source of ['orders', 'events', 'customers', 'zero_party'])
        expect(await tableExists(c, `features_backtest_${source}`), source).toBe(true);
      await dates.release(MARCH);
      // Customers outside the backtest sample (not what the stage asks for) are still computed from the sources.
      const outside = everyone.filter((_, i) => i % 2 === 1).slice(0, 2).map((r) => r.customer_id);
      expect(await all(c, await dates.acquire(MARCH, outside))).toEqual(expectedMarch.filter((r) => outside.includes(r.customer_id)));
      await dates.dropAll();
      expect(await queryRows(c, `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'features_%'`)).toEqual([]);
    });
  });
});

describe('which columns have a value at each date (FilledColumnsByDate)', () => {
  it('answers as counting the values among the rows known at each date would, from one scan', async () => {
    await withConnection(async (c) => {
      // value: first dated 2024-03-01; device: only undated; note: first dated 2024-06-30 at noon; empty: never.
      await c.run(`CREATE TABLE src (seen_at TIMESTAMP, value DOUBLE, device VARCHAR, note VARCHAR, empty VARCHAR)`);
      await c.run(`INSERT INTO src VALUES ('2024-01-01', NULL, NULL, NULL, NULL), ('2024-03-01 08:00', 1, NULL, NULL, NULL),
        (NULL, NULL, 'app', NULL, NULL), ('2024-06-30 12:00', NULL, NULL, 'x', NULL), ('2024-09-01', 2, NULL, 'y', NULL)`);
      const engine = duckdbEngine(c);
      const filled = new FilledColumnsByDate();
      const columns = ['value', 'device', 'note', 'empty'] as const;
      const counted = async (end: string): Promise<string[]> => {
        const [row] = await queryRows<Record<string, bigint>>(c, `SELECT ${columns.map((k) => `count(${k}) AS ${k}`).join(', ')} FROM src WHERE seen_at <= ${end} OR seen_at IS NULL`);
        return columns.filter((k) => Number(row?.[k] ?? 0) > 0);
      };
      for (const day of ['2023-12-31', '2024-02-29', '2024-03-01', '2024-06-29', '2024-06-30', '2024-12-31']) {
        const end = `TIMESTAMP '${day} 23:59:59.999'`;
        expect([...(await filled.filled(engine, 'src', 'seen_at', columns, end))].sort(), day).toEqual((await counted(end)).sort());
      }
      expect([...(await filled.filled(engine, 'src', 'seen_at', columns, `TIMESTAMP '2024-03-01 23:59:59.999'`))].sort()).toEqual(['device', 'value']);
      await filled.drop(engine);
      expect(await queryRows(c, `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'features_filled%'`)).toEqual([]);
    });
  });
});

describe('readFeatureColumns', () => {
  it('reads numeric features as Float64Arrays (NaN where missing) and every other column as queryColumns does', async () => {
    await withConnection(async (c) => {
      // More rows than one DuckDB chunk (2,048), so that values from several chunks are put together.
      await c.run(`CREATE TABLE f AS SELECT i AS n_int, CAST(i AS BIGINT) * 3 AS n_big, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END AS n_double,
        CAST(i AS FLOAT) / 8 AS n_float, CAST(i * 1.5 AS DECIMAL(10, 2)) AS n_decimal, 'c' || (i % 3) AS category, i % 2 = 0 AS flag,
        CASE WHEN i = 4000 THEN CAST(9007199254740993 AS BIGINT) ELSE CAST(i AS BIGINT) END AS huge, i AS not_numeric_int FROM range(5000) t(i)`);
      const sql = 'SELECT * FROM f ORDER BY n_int';
      const numeric = new Set(['n_int', 'n_big', 'n_double', 'n_float', 'n_decimal', 'huge']);
      const { rows, columns } = await readFeatureColumns(c, sql, numeric);
      const expected = await queryColumns(c, sql);
      expect(rows).toBe(5000);
      for (const name of ['n_int', 'n_big', 'n_double', 'n_float']) {
        expect(columns[name], name).toBeInstanceOf(Float64Array);
        expect(Array.from(columns[name] as Float64Array), name).toEqual((expected[name] as (number | null)[]).map((v) => v ?? Number.NaN));
      }
      expect(Number.isNaN((columns.n_double as Float64Array)[7])).toBe(true);
      // DECIMAL, text, booleans, BIGINTs beyond 2^53 and columns not named numeric: exactly as queryColumns reads them.
      for (const name of ['n_decimal', 'category', 'flag', 'huge', 'not_numeric_int']) expect(columns[name], name).toEqual(expected[name]);
    });
  });
});
