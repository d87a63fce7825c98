import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { findSources } from '../../src/io/find-sources.js';
import { tempDir } from '../helpers/data-dir.js';
import { rejectedWith } from '../helpers/errors.js';
import { countLines } from '../../src/io/count-lines.js';
import { lineBreaksSql } from '../../src/contract/validation-sql.js';
import { exec, openEngine, withConnection, queryRows } from '../../src/io/duckdb.js';
import { finishRawTable, lineOfRecordSql, openRawTable, readingFile } from '../../src/io/read-raw.js';

function csvFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'personae-raw-')), 'orders.csv');
  writeFileSync(path, text);
  return path;
}

/** Each record's first field with the line an editor shows it at, malformed records included. */
async function linesOf(text: string): Promise<{ lines: string[]; numbering: string; warnings: string[] }> {
  const path = csvFile(text);
  return withConnection(async (connection) => {
    const opened = await openRawTable(connection, { table: 'orders', path, name: 'orders.csv', format: 'csv' });
    // The one scan, as validation makes it: each record with the line breaks inside its fields.
    const breaks = ['a', 'b', 'c'].map((c) => lineBreaksSql(c)).join(' + ');
    await exec(connection, `CREATE TABLE scanned AS SELECT _record, a, nullif(${breaks}, 0) AS _breaks FROM raw_orders`);
    const raw = await finishRawTable(connection, opened, 'scanned');
    const rows = await queryRows<{ a: string; line: number }>(
      connection,
      `SELECT a, ${lineOfRecordSql('orders', '_record')} AS line FROM scanned
       UNION ALL SELECT split_part(content, ',', 1), _line FROM malformed_orders ORDER BY line`,
    );
    return { lines: rows.map((r) => `${r.line}:${r.a}`), numbering: raw.numbering, warnings: raw.warnings };
  });
}

describe('openRawTable and finishRawTable (CSV)', () => {
  it('numbers one-record-per-line files by line, the header being line 1', async () => {
    const { lines, numbering } = await linesOf('a,b,c\n1,x,2\n2,y,3\n3,z,4\n');
    expect(lines).toEqual(['2:1', '3:2', '4:3']);
    expect(numbering).toBe('line');
  });

  it('gives exact lines around quoted line breaks (LF, CRLF in an LF file, lone CR) and malformed lines', async () => {
    const text =
      'a,b,c\n' + // 1
      '1,x,2\n' + // 2
      '2,"multi\nline",3\n' + // 3-4
      '3,y\n' + // 5 malformed: too few fields
      '4,z,5\n' + // 6
      '5,"crlf\r\ninside",6\n' + // 7-8
      '6,"w\nq",7,8\n' + // 9-10 malformed, with a quoted break
      '7,"three\n\nbreaks\rhere",9\n' + // 11-14
      '8,v,9\n'; // 15
    const { lines, numbering, warnings } = await linesOf(text);
    expect(lines).toEqual(['2:1', '3:2', '5:3', '6:4', '7:5', '9:6', '11:7', '15:8']);
    expect(numbering).toBe('line');
    expect(warnings).toEqual([]);
  });

  it('keeps exact lines in a CRLF file and when malformed lines come first or in a row', async () => {
    const text = 'a,b,c\r\n1\r\n2,x\r\n3,"a\r\nb",4\r\n4,y,5,6\r\n5,z,6\r\n';
    const { lines, numbering } = await linesOf(text);
    expect(lines).toEqual(['2:1', '3:2', '4:3', '6:4', '7:5']);
    expect(numbering).toBe('line');
  });

  it('says when blank lines make later line numbers approximate', async () => {
    const { numbering, warnings } = await linesOf('a,b,c\n1,x,2\n\n2,y,3\n');
    expect(numbering).toBe('approximate');
    expect(warnings[0]).toMatch(/orders\.csv: 1 blank line/);
  });
});

describe('countLines', () => {
  it('counts lines as an editor does, trailing breaks excluded', async () => {
    const cases: [string, number][] = [
      ['', 0],
      ['\n\n', 0],
      ['a', 1],
      ['a\n', 1],
      ['a\nb', 2],
      ['a\r\nb\r\n\r\n', 2],
      ['a\rb\r', 2],
      ['a\n\nb\n', 3],
    ];
    for (const [text, expected] of cases) expect([text, await countLines(csvFile(text))]).toEqual([text, expected]);
  });

  it('counts a CRLF split across read chunks once', async () => {
    const text = `${'x'.repeat((1 << 20) - 1)}\r\ny\r\n`;
    expect(await countLines(csvFile(text))).toBe(2);
  });
});

const HEADER = 'order_id,customer_id,ordered_at,amount,category';

function orderLine(i: number, category = 'toys'): string {
  return `o-${i},c-${i % 50},2025-03-01T10:00:00Z,10.00,${category}`;
}

/** Writes orders.csv and reads it as validation does (one scan), with each record's line. */
async function readOrders(content: string): Promise<{
  rows: { line: number; order_id: string; category: string }[];
  raw: Awaited<ReturnType<typeof finishRawTable>>;
}> {
  const data = tempDir('personae-raw-');
  writeFileSync(join(data, 'orders.csv'), content);
  const engine = await openEngine();
  try {
    const source = findSources(data, parseConfig({})).orders as NonNullable<ReturnType<typeof findSources>['orders']>;
    const opened = await openRawTable(engine.connection, source);
    const breaks = HEADER.split(',').map((c) => lineBreaksSql(c)).join(' + ');
    await readingFile(source, () =>
      exec(engine.connection, `CREATE TABLE scanned AS SELECT *, nullif(${breaks}, 0) AS _breaks FROM raw_orders`),
    );
    const raw = await finishRawTable(engine.connection, opened, 'scanned');
    const rows = await queryRows<{ line: number; order_id: string; category: string }>(
      engine.connection,
      `SELECT ${lineOfRecordSql('orders', '_record')} AS line, order_id, category FROM scanned ORDER BY _record`,
    );
    return { rows, raw };
  } finally {
    engine.close();
  }
}

describe('reading CSV: line breaks', () => {
  it('reads a quoted field holding CRLF (Excel Alt+Enter) inside an LF file, with exact line numbers', async () => {
    const { rows, raw } = await readOrders(`${HEADER}\n${orderLine(1, '"home\r\ngarden"')}\n${orderLine(2)}\n`);
    expect(raw.malformed).toBe(0);
    expect(rows.map((r) => r.category)).toEqual(['home\r\ngarden', 'toys']);
    // the first record spans lines 2 and 3: the next one is on line 4
    expect(raw.numbering).toBe('line');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(raw.warnings).toEqual([]);
  });

  it('reads a quoted field (CRLF, comma) far below the rows DuckDB samples to guess the dialect', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 30_000; i++) lines.push(orderLine(i));
    lines[25_000] = orderLine(25_000, '"home\r\ngarden"');
    lines[27_000] = orderLine(27_000, '"kitchen, dining"');
    const { rows, raw } = await readOrders(`${lines.join('\n')}\n`);
    expect(raw.malformed).toBe(0);
    expect(raw.rowsRead).toBe(30_000);
    expect(rows.find((r) => r.order_id === 'o-25000')?.category).toBe('home\r\ngarden');
    expect(rows.find((r) => r.order_id === 'o-27000')?.category).toBe('kitchen, dining');
    expect(rows.find((r) => r.order_id === 'o-27000')?.line).toBe(27_002);
  });

  it('numbers the lines of CRLF and CR-only files as an editor does', async () => {
    for (const eol of ['\r\n', '\r']) {
      const { rows, raw } = await readOrders([HEADER, orderLine(1), orderLine(2), orderLine(3)].join(eol) + eol);
      expect(raw.numbering, JSON.stringify(eol)).toBe('line');
      expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    }
  });

  it('a line longer than DuckDB reads is named, with its length and what usually causes it', async () => {
    const content = `${HEADER}\n${orderLine(1)}\n${orderLine(2, 'x'.repeat(3_000_000))}\n${orderLine(3)}\n`;
    const error = await rejectedWith(readOrders(content));
    expect(error.code).toBe('line_too_long');
    expect(error.message).toBe("orders.csv: line 3 is 3,000,035 bytes long; the longest line Personae reads is 2,000,000 bytes");
    expect(error.hint).toMatch(/a quote left open joins the following lines/);

    const data = tempDir('personae-raw-');
    writeFileSync(join(data, 'orders.csv'), content);
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['validate', '--data', data, '--out', tempDir(), '--as-of', '2025-06-01'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(stderr.join('')).toContain('error: orders.csv: line 3 is 3,000,035 bytes long');
    expect(stderr.join('')).toContain('how to fix: Look at the file around that line');
  });
});
