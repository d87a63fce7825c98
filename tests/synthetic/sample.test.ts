import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/contract/schema.js';
import { queryValue, withConnection } from '../../src/io/duckdb.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { TABLE_COLUMNS } from '../../src/synthetic/rows.js';
import { tempDir } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'data', 'sample');

describe('data/sample', () => {
  it('was made by the command its README records', () => {
    const manifest = JSON.parse(readFileSync(join(SAMPLE, 'generator.json'), 'utf8')) as { args: unknown };
    expect(manifest.args).toEqual({
      customers: 5000,
      seed: 42,
      dirty: 0,
      format: 'parquet',
      end: '2025-12-31',
      years: 3,
    });
    const readme = readFileSync(join(SAMPLE, 'README.md'), 'utf8');
    expect(readme).toContain(
      'personae generate --customers 5000 --seed 42 --out data/sample --format parquet',
    );
  });

  it('is what the current generator produces: its first 200 customers equal a fresh 200-customer run', async () => {
    // Customer i depends only on the seed and i, and order ids are a sequence, so a shorter run is a prefix.
    const dir = tempDir('sample-prefix');
    await writeDataset({ customers: 200, seed: 42 }, dir);
    await withConnection(async (c) => {
      for (const table of TABLE_NAMES) {
        const cols = TABLE_COLUMNS[table].map((n) => `coalesce("${n}", '')`).join(', ');
        const fresh = `SELECT ${cols} FROM read_csv('${join(dir, `${table}.csv`)}', all_varchar = true, header = true)`;
        // Campaigns are brand-wide: the same for every number of customers.
        const prefix = table === 'campaigns' ? '' : " WHERE customer_id <= 'C0000200'";
        const sample = `SELECT ${cols} FROM '${join(SAMPLE, `${table}.parquet`)}'${prefix}`;
        const differing = await queryValue<number>(
          c,
          `SELECT (SELECT count(*) FROM (${fresh} EXCEPT ALL ${sample})) + (SELECT count(*) FROM (${sample} EXCEPT ALL ${fresh}))`,
        );
        expect(Number(differing), table).toBe(0);
      }
      const events = await queryValue<number>(
        c,
        `SELECT count(*) FROM read_csv('${join(dir, 'events.csv')}')`,
      );
      expect(Number(events)).toBeGreaterThan(10_000);
    });
  });
});
