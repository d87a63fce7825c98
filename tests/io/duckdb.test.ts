import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachRow, queryRows, quoteIdent, quoteLiteral, restrictFileAccess, withConnection } from '../../src/io/duckdb.js';

describe('duckdb helpers', () => {
  it('quotes identifiers and literals so that hostile names stay names', async () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    const rows = await withConnection((c) =>
      queryRows(c, `SELECT ${quoteLiteral("O'Brien")} AS ${quoteIdent('na"me')}, 2::BIGINT AS n`),
    );
    expect(rows).toEqual([{ 'na"me': "O'Brien", n: 2 }]);
  });
});

describe('forEachRow', () => {
  it('visits every row of a result of several chunks, in order, as queryRows gives them', async () => {
    const sql = `SELECT 'C' || i AS id, i::BIGINT * 3 AS n, (9007199254740993 + i)::BIGINT AS huge,
        CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS ok, DATE '2025-01-01' + (i % 30)::INTEGER AS day
      FROM range(5000) t(i) ORDER BY i`;
    const [expected, visited] = await withConnection(async (c) => {
      const rows: Record<string, unknown>[] = [];
      await forEachRow(c, sql, (row) => rows.push(row));
      return [await queryRows(c, sql), rows];
    });
    expect(visited).toHaveLength(5000);
    expect(visited).toEqual(expected);
    // BIGINT beyond 2^53 as its decimal string, as queryRows gives it.
    expect(visited[4]).toEqual({ id: 'C4', n: 12, huge: '9007199254740997', ok: true, day: new Date(Date.UTC(2025, 0, 5)) });
  });
});

describe('restrictFileAccess', () => {
  it('leaves an engine its input files and output folder, and nothing else, for good', async () => {
    const root = mkdtempSync(join(tmpdir(), 'personae-lock-'));
    mkdirSync(join(root, 'data'));
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'data', 'orders.csv'), 'a,b\n1,2\n');
    writeFileSync(join(root, 'data', 'other.csv'), 'secret\n');
    writeFileSync(join(root, 'elsewhere.txt'), 'secret\n');
    await withConnection(async (c) => {
      await restrictFileAccess(c, { readFiles: [join(root, 'data', 'orders.csv')], writeDirs: [join(root, 'out')] });
      expect(await queryRows(c, `SELECT * FROM read_csv(${quoteLiteral(join(root, 'data', 'orders.csv'))})`)).toEqual([{ a: 1, b: 2 }]);
      await c.run(`COPY (SELECT 1 AS x) TO ${quoteLiteral(join(root, 'out', 'x.csv'))}`);
      expect(existsSync(join(root, 'out', 'x.csv'))).toBe(true);
      const refused = [
        `SELECT * FROM read_text(${quoteLiteral(join(root, 'elsewhere.txt'))})`,
        `SELECT * FROM read_csv(${quoteLiteral(join(root, 'data', 'other.csv'))})`,
        `SELECT * FROM read_text(${quoteLiteral(join(root, 'out', '..', 'elsewhere.txt'))})`,
        `COPY (SELECT 1) TO ${quoteLiteral(join(root, 'pwned.csv'))}`,
        `COPY (SELECT 1) TO ${quoteLiteral(join(root, 'out', '..', 'pwned.csv'))}`,
        `SELECT * FROM glob(${quoteLiteral(`${root}/*`)})`,
        `ATTACH ${quoteLiteral(join(root, 'db.duckdb'))}`,
        'SET enable_external_access = true',
        `SET allowed_directories = ['/']`,
        'SET lock_configuration = false',
      ];
      for (const sql of refused) await expect(c.run(sql), sql).rejects.toThrow(/disabled by configuration|locked/);
    });
    expect(existsSync(join(root, 'pwned.csv'))).toBe(false);
  });
});
