import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, defuseCell, defuseCellSql } from '../../src/core/spreadsheet.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { quoteLiteral } from '../../src/io/sql.js';

/** Each text and what a spreadsheet must receive (OWASP CSV injection: a leading apostrophe makes it text). */
const CASES: ReadonlyArray<[string, string]> = [
  ['=HYPERLINK("http://evil.example/","x")', `'=HYPERLINK("http://evil.example/","x")`],
  ['@SUM(1)', `'@SUM(1)`],
  ['-2+3', `'-2+3`],
  ['+1+2', `'+1+2`],
  ['+cmd|" /C calc"!A0', `'+cmd|" /C calc"!A0`],
  ['\t=1+1', `'\t=1+1`],
  ['\r=1+1', `'\r=1+1`],
  [' =1+1', `' =1+1`],
  ['＝1+1', `'＝1+1`], // full-width equals sign, read as a formula by some spreadsheets
  ['=', `'=`],
  // a plain number is no formula: phone numbers and signed ids stay as they are
  ['+33612345678', '+33612345678'],
  ['-12.5', '-12.5'],
  ['42', '42'],
  // ordinary text
  ['C0000001', 'C0000001'],
  ['Café, crème', 'Café, crème'],
  ['a=b', 'a=b'],
  ['', ''],
];

describe('defusing spreadsheet formulas (one rule for every CSV writer)', () => {
  it('prefixes an apostrophe to text a spreadsheet would run, and only to that', () => {
    expect(Object.fromEntries(CASES.map(([text]) => [text, defuseCell(text)]))).toEqual(Object.fromEntries(CASES));
  });

  it('gives the same result in SQL, for the files DuckDB writes', async () => {
    const got = await withConnection((c) =>
      queryRows<{ v: string }>(
        c,
        `SELECT ${defuseCellSql('s')} AS v FROM (VALUES ${CASES.map(([t], i) => `(${i}, ${quoteLiteral(t)})`).join(', ')}) t(i, s) ORDER BY i`,
      ),
    );
    expect(got.map((r) => r.v)).toEqual(CASES.map(([, want]) => want));
  });

  it('quotes every text cell, so a ; or a tab cannot start a new cell in a spreadsheet that splits on it', () => {
    expect(csvCell('x;=1+1')).toBe('"x;=1+1"');
    expect(csvCell('he said "hi", twice')).toBe('"he said ""hi"", twice"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['@SUM(1)', null, '+33612345678'])).toBe(`"'@SUM(1)",,"+33612345678"`);
  });
});
