import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { thrownBy } from '../helpers/errors.js';
import { tempDir, writeDataDir } from '../helpers/data-dir.js';

const FIXTURE = 'tests/fixtures/french-excel';
const asOf = parseIsoDate('2025-06-30') as Date;

async function ingestDir(dataDir: string, config = loadConfig(join(FIXTURE, 'config.yaml')).config) {
  const engine = await openEngine();
  try {
    const result = await ingest(engine.connection, { dataDir, config, asOf });
    const orders = await queryRows<{ order_id: string; amount: number; ordered_at: string }>(
      engine.connection,
      `SELECT order_id, amount, CAST(ordered_at AS VARCHAR) AS ordered_at FROM orders ORDER BY order_id`,
    );
    const quarantine = await queryRows<{ line: number; reason: string; column_name: string }>(
      engine.connection,
      `SELECT line, reason, column_name FROM quarantine ORDER BY table_name, line`,
    );
    return { result, orders, quarantine };
  } finally {
    engine.close();
  }
}

describe('a French Excel export (; separator, decimal commas, dd/mm/yyyy dates)', () => {
  it('is read without any setting: separator, decimal comma and day-first dates detected from the data', async () => {
    const { result, orders, quarantine } = await ingestDir(FIXTURE);
    expect(result.tables.orders).toMatchObject({
      rowsRead: 8,
      accepted: 6,
      quarantined: 2,
      readAs: { decimal: ',', decimalFrom: 'detected', dateFormat: '%d/%m/%Y', dateFormatFrom: 'detected' },
    });
    // Hand-computed (tests/fixtures/french-excel/PROVENANCE.md).
    expect(orders).toEqual([
      { order_id: 'F-1001', amount: 1234.5, ordered_at: '2025-01-03 10:15:00' },
      { order_id: 'F-1002', amount: 89.9, ordered_at: '2025-02-15 18:02:00' },
      { order_id: 'F-1003', amount: 12500, ordered_at: '2025-02-28 09:30:00' },
      { order_id: 'F-1004', amount: -45, ordered_at: '2025-03-01 00:00:00' },
      { order_id: 'F-1005', amount: 7.5, ordered_at: '2025-03-13 14:45:00' },
      { order_id: 'F-1007', amount: 1999.99, ordered_at: '2025-03-31 23:59:00' },
    ]);
    // The two wrong lines keep their reason, column and physical line (header = line 1).
    expect(quarantine).toEqual([
      { line: 7, reason: 'bad_number', column_name: 'amount' },
      { line: 9, reason: 'bad_date', column_name: 'ordered_at' },
    ]);
    expect(result.tables.customers).toMatchObject({ rowsRead: 4, accepted: 4, readAs: { dateFormat: '%d/%m/%Y' } });
    expect(result.rejectedColumns).toEqual([]);
  });

  it('when day and month cannot be told apart, runs stop at validation naming the file, column and setting', async () => {
    const dir = writeDataDir({
      'orders.csv': ['order_id;customer_id;ordered_at;amount', '1;c1;03/01/2025;12,50', '2;c1;05/02/2025;7,00'],
    });
    const out = tempDir();
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'consent: {basis: legitimate_interest}\n');
    expect(await main(['run', '--data', dir, '--as-of', '2025-06-30', '--out', out, '--config', config])).toBe(2);
    const text = stderr.join('');
    expect(text).toContain(
      'error: orders.csv: all 2 values of column "ordered_at" cannot be read as dates (e.g. "03/01/2025", "05/02/2025"), so every row is quarantined as bad_date',
    );
    expect(text).toContain("how to fix: Dates such as \"03/01/2025\" can be read day first or month first, and no value in the file is above 12 to tell: set tables.orders.date_format: '%d/%m/%Y'");
    expect(text).not.toContain('no customer is left');
    // The quarantine is written with its reasons and lines, and summary.json lists the rejected column.
    const summary = JSON.parse(readFileSync(join(out, 'validation', 'summary.json'), 'utf8'));
    expect(summary.rejectedColumns).toMatchObject([{ file: 'orders.csv', column: 'ordered_at', reason: 'bad_date', values: 2 }]);
    expect(readFileSync(join(out, 'validation', 'orders.quarantine.csv'), 'utf8')).toContain('"orders.csv","2","bad_date","ordered_at"');

    // The setting it names fixes it.
    writeFileSync(config, "consent: {basis: legitimate_interest}\ntables: {orders: {date_format: '%d/%m/%Y'}}\n");
    const { result, orders } = await ingestDir(dir, loadConfig(config).config);
    expect(result.tables.orders).toMatchObject({ accepted: 2, readAs: { decimal: ',', dateFormat: '%d/%m/%Y', dateFormatFrom: 'config' } });
    expect(orders.map((o) => [o.ordered_at, o.amount])).toEqual([['2025-01-03 00:00:00', 12.5], ['2025-02-05 00:00:00', 7]]);
  });

  it('explicit settings win over detection: decimal and separator per table', async () => {
    // `1,234` alone is ambiguous: with decimal ',' it is 1.234; with the default it would be rejected.
    const dir = writeDataDir({ 'orders.txt.csv': ['order_id|customer_id|ordered_at|amount', '1|c1|2025-01-03|1,234', '2|c2|2025-01-04|2,500'] });
    const config = parseConfig({ tables: { orders: { file: 'orders.txt.csv', decimal: ',', separator: '|' } } });
    const { result, orders } = await ingestDir(dir, config);
    expect(result.tables.orders?.readAs).toMatchObject({ decimal: ',', decimalFrom: 'config' });
    expect(orders.map((o) => o.amount)).toEqual([1.234, 2.5]);
    const undecided = await ingestDir(dir, parseConfig({ tables: { orders: { file: 'orders.txt.csv' } } }));
    expect(undecided.result.rejectedColumns.map((r) => [r.column, r.reason])).toEqual([['amount', 'bad_number']]);
    expect(undecided.result.rejectedColumns[0]?.fix).toContain("set tables.orders.decimal: ','");
  });

  it('the separator setting is the one used to read the file', async () => {
    const dir = writeDataDir({ 'orders.csv': ['order_id;customer_id;ordered_at;amount', '1;c1;2025-01-03;12,5'] });
    const error = await ingestDir(dir, parseConfig({ tables: { orders: { separator: ',' } } })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('required columns order_id, customer_id, ordered_at, amount of the orders table are missing (found: order_id;customer_id;ordered_at;amount)');
  });

  it('the config schema refuses settings that cannot be right, naming them', () => {
    expect(thrownBy(() => parseConfig({ tables: { orders: { decimal: ';' } } })).message).toContain('tables.orders.decimal');
    expect(thrownBy(() => parseConfig({ tables: { orders: { separator: ';;' } } })).message).toContain('tables.orders.separator');
    expect(thrownBy(() => parseConfig({ tables: { orders: { date_format: 'dd/mm/yyyy' } } })).message).toContain(
      "must be a strptime format, e.g. '%d/%m/%Y'",
    );
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

