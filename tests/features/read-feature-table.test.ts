import { describe, expect, it } from 'vitest';
import { exec, queryColumns, withConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { readFeatureTable } from '../../src/features/read-feature-table.js';
import { featureSpec } from '../../src/features/spec.js';
import { AS_OF, loadTinyFixture } from './tiny-fixture.js';

const text = { en: 'x', fr: 'x' };
const spec = (name: string, kind: 'numeric' | 'categorical' | 'boolean') =>
  featureSpec(name, { family: 'declared', kind, description: text, label: text });
const catalogue = [
  spec('small', 'numeric'),
  spec('big', 'numeric'),
  spec('money', 'numeric'),
  spec('rate', 'numeric'),
  spec('colour', 'categorical'),
  spec('flag', 'boolean'),
];

// 5,000 rows: three DuckDB chunks (2,048 rows each), with a missing value every 7th row of each column.
const ROWS = 5000;
const TABLE = `CREATE TABLE features AS SELECT
    printf('C%05d', i) AS customer_id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100)::INTEGER END AS small,
    CASE WHEN i % 7 = 1 THEN NULL ELSE (i * 1000003)::BIGINT END AS big,
    CASE WHEN i % 7 = 2 THEN NULL ELSE (i / 3)::DECIMAL(18, 2) END AS money,
    CASE WHEN i % 7 = 3 THEN NULL ELSE i / 7.0 END AS rate,
    CASE WHEN i % 7 = 4 THEN NULL ELSE ['red', 'green', 'blue'][i % 3 + 1] END AS colour,
    CASE WHEN i % 7 = 5 THEN NULL ELSE i % 2 = 0 END AS flag,
    'x' || i AS undocumented
  FROM range(${ROWS}) t(i) ORDER BY i`;

describe('readFeatureTable', () => {
  it('holds numeric features as Float64Arrays (NaN = missing), other columns as queryColumns gives them', async () => {
    await withConnection(async (connection) => {
      await exec(connection, TABLE);
      const expected = await queryColumns(connection, 'SELECT * FROM features');
      const { customerIds, columns } = await readFeatureTable(connection, 'SELECT * FROM features', catalogue, ROWS);
      expect(customerIds).toEqual(expected.customer_id);
      expect(customerIds[4321]).toBe('C04321');
      for (const name of ['small', 'big', 'money', 'rate']) {
        const values = columns[name];
        expect(values).toBeInstanceOf(Float64Array);
        const want = Float64Array.from(expected[name] as unknown[], (v) => (v === null ? Number.NaN : (v as number)));
        // Bit for bit (NaN where missing): what a stage computes from the column is unchanged.
        expect(values).toEqual(want);
      }
      expect((columns.big as Float64Array)[4998]).toBe(4998 * 1000003);
      expect(Number.isNaN((columns.small as Float64Array)[0])).toBe(true);
      expect((columns.money as Float64Array)[4]).toBe(1.33);
      for (const name of ['colour', 'flag', 'undocumented']) expect(columns[name]).toEqual(expected[name]);
      expect((columns.colour as unknown[]).slice(0, 6)).toEqual(['red', 'green', 'blue', 'red', null, 'blue']);
      expect((columns.flag as unknown[]).slice(0, 6)).toEqual([true, false, true, false, true, null]);
    });
  });

  it('reads the features computeFeatures writes, numbers for every numeric feature of the catalogue', async () => {
    await withConnection(async (connection) => {
      await loadTinyFixture(connection);
      const result = await computeFeatures(connection, { asOf: AS_OF });
      const expected = await queryColumns(connection, 'SELECT * FROM features');
      const { columns } = await readFeatureTable(connection, 'SELECT * FROM features', result.catalogue, result.rowCount);
      expect(Object.keys(columns)).toEqual(Object.keys(expected));
      for (const f of result.catalogue) {
        if (f.kind !== 'numeric') continue;
        expect(columns[f.name], f.name).toBeInstanceOf(Float64Array);
        expect(Array.from(columns[f.name] as Float64Array, (v) => (Number.isNaN(v) ? null : v))).toEqual(expected[f.name]);
      }
    });
  });

  it('fails when the table does not hold the rows it was said to', async () => {
    await withConnection(async (connection) => {
      await exec(connection, TABLE);
      await expect(readFeatureTable(connection, 'SELECT * FROM features', catalogue, ROWS + 1)).rejects.toThrow(
        /5001 rows expected, 5000 read/,
      );
    });
  });
});
