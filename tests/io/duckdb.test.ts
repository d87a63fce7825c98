import { describe, expect, it } from 'vitest';
import { queryRows, quoteIdent, quoteLiteral, withConnection } from '../../src/io/duckdb.js';

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
