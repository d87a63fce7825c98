import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { findSources } from '../../src/io/find-sources.js';
import { readRawTable } from '../../src/io/read-raw.js';
import { parseConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/data-dir.js';
import { rejectedWith } from '../helpers/errors.js';

const HEADER = 'order_id,customer_id,ordered_at,amount,category';

function orderLine(i: number, category = 'toys'): string {
  return `o-${i},c-${i % 50},2025-03-01T10:00:00Z,10.00,${category}`;
}

/** Writes orders.csv with `lines` (no trailing join: each line carries its own ending) and reads it raw. */
async function readOrders(content: string): Promise<{ rows: { _line: number; order_id: string; category: string }[]; raw: Awaited<ReturnType<typeof readRawTable>> }> {
  const data = tempDir('personae-raw-');
  writeFileSync(join(data, 'orders.csv'), content);
  const engine = await openEngine();
  try {
    const source = findSources(data, parseConfig({})).orders;
    const raw = await readRawTable(engine.connection, source as NonNullable<typeof source>);
    const rows = await queryRows<{ _line: number; order_id: string; category: string }>(
      engine.connection,
      'SELECT _line, order_id, category FROM raw_orders ORDER BY _line',
    );
    return { rows, raw };
  } finally {
    engine.close();
  }
}

describe('readRawTable: line breaks', () => {
  it('reads a quoted field holding CRLF (Excel Alt+Enter) inside an LF file, in a small file', async () => {
    const { rows, raw } = await readOrders(`${HEADER}\n${orderLine(1, '"home\r\ngarden"')}\n${orderLine(2)}\n`);
    expect(raw.malformed).toBe(0);
    expect(rows.map((r) => r.category)).toEqual(['home\r\ngarden', 'toys']);
    // the record spans two lines: line numbers fall back to record numbers, and the warning says so
    expect(raw.numbering).toBe('row');
    expect(raw.warnings.join(' ')).toMatch(/span several lines/);
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
  });

  it('numbers the lines of CRLF and CR-only files as an editor does', async () => {
    for (const eol of ['\r\n', '\r']) {
      const { rows, raw } = await readOrders([HEADER, orderLine(1), orderLine(2), orderLine(3)].join(eol) + eol);
      expect(raw.numbering, JSON.stringify(eol)).toBe('line');
      expect(rows.map((r) => r._line)).toEqual([2, 3, 4]);
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
