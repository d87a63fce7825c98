import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { DIRTY_REASON_CODES } from '../../src/contract/reasons.js';
import { TABLE_NAMES } from '../../src/contract/schema.js';
import { tempDir } from '../helpers/data-dir.js';

describe('personae generate --dirty, then personae validate', () => {
  // Parquet has no lines to break, so it carries every reason but malformed_line; its positions are rows.
  // Each seed is one whose injected problems include every reason (the test checks that too): at 400 customers,
  // seed 11 injects no invalid_email since the generator's streams gained campaigns and bounces.
  it.each([
    ['csv', '600', '11', DIRTY_REASON_CODES],
    ['parquet', '400', '12', DIRTY_REASON_CODES.filter((r) => r !== 'malformed_line')],
  ] as const)('%s: detects every injected problem under its reason code and line (a rejected row or a dropped contact field), and accounts for every row', async (format, customers, seed, reasons) => {
    const data = tempDir('personae-dirty-');
    const out = tempDir();
    expect(
      await main(['generate', '--customers', customers, '--seed', seed, '--out', data, '--dirty', '0.05', '--format', format]),
    ).toBe(0);
    expect(await main(['validate', '--data', data, '--out', out, '--json'])).toBe(0);
    const mismatches = await withConnection(async (c) => {
      const got = `${TABLE_NAMES.map(
        (t) =>
          `SELECT '${t}' AS t, CAST(line AS BIGINT) AS line, reason FROM read_csv('${join(out, 'validation', `${t}.quarantine.csv`)}', all_varchar = true)`,
      ).join(' UNION ALL ')} UNION ALL SELECT 'customers', CAST(line AS BIGINT), reason FROM read_csv('${join(out, 'validation', 'customers.dropped_fields.csv')}', all_varchar = true)`;
      const want = `SELECT "table" AS t, CAST(line AS BIGINT) AS line, reason FROM read_csv('${join(data, 'truth', 'dirty.csv')}', all_varchar = true)`;
      return queryRows(
        c,
        `SELECT coalesce(w.t, g.t) AS t, coalesce(w.line, g.line) AS line, w.reason AS injected, g.reason AS detected
         FROM (${want}) w FULL JOIN (${got}) g USING (t, line) WHERE w.reason IS DISTINCT FROM g.reason`,
      );
    });
    expect(mismatches).toEqual([]);
    const injected = await withConnection((c) =>
      queryRows<{ reason: string }>(
        c,
        `SELECT DISTINCT reason FROM read_csv('${join(data, 'truth', 'dirty.csv')}') ORDER BY 1`,
      ),
    );
    expect(injected.map((r) => r.reason).sort()).toEqual([...reasons].sort());
    const summary = JSON.parse(readFileSync(join(out, 'validation', 'summary.json'), 'utf8'));
    const generated = JSON.parse(readFileSync(join(data, 'generator.json'), 'utf8'));
    for (const table of TABLE_NAMES) {
      const t = summary.tables[table];
      expect(t.rowsRead, table).toBe(generated.rows[table]);
      expect(t.accepted + t.quarantined, table).toBe(t.rowsRead);
      const dropped = Object.values(t.fieldsDropped ?? {}).reduce((a: number, b) => a + Number(b), 0);
      expect(t.quarantined + dropped, table).toBe(generated.dirtyRows[table]);
    }
  });
});
