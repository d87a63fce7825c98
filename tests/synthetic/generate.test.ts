import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TABLE_NAMES } from '../../src/contract/schema.js';
import { main } from '../../src/cli/main.js';
import { queryValue, withConnection } from '../../src/io/duckdb.js';
import { csvToParquet, parquetColumnTypes, writeDataset } from '../../src/io/write-tables.js';
import { CUSTOMERS_PER_STEP, ORDERS_ONLY_TABLES, TRUTH_COLUMNS } from '../../src/synthetic/generate.js';
import { readCsv, readLines, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)).toString('base64'));
    }
  };
  walk('');
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeDataset', () => {
  it('is reproducible: same arguments give byte-identical files, another seed different ones', async () => {
    const [a, b, c] = [tempDir('det-a'), tempDir('det-b'), tempDir('det-c')];
    await writeDataset({ customers: 300, seed: 5, dirty: 0.02 }, a);
    await writeDataset({ customers: 300, seed: 5, dirty: 0.02 }, b);
    await writeDataset({ customers: 300, seed: 6, dirty: 0.02 }, c);
    const [fa, fb, fc] = [filesOf(a), filesOf(b), filesOf(c)];
    expect([...fa.keys()].sort()).toEqual(
      [
        ...TABLE_NAMES.map((t) => `${t}.csv`),
        'generator.json',
        'truth/dirty.csv',
        'truth/ground_truth.csv',
      ].sort(),
    );
    expect(fb).toEqual(fa);
    for (const table of ['orders.csv', 'customers.csv', 'events.csv', 'consent.csv']) {
      expect(fc.get(table)).not.toBe(fa.get(table));
    }
  });

  it('writes row counts that agree with generator.json and one truth row per customer', async () => {
    const dir = tempDir('counts');
    const { summary } = await writeDataset({ customers: 400, seed: 8, dirty: 0.03 }, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'generator.json'), 'utf8')) as typeof summary;
    expect(manifest.rows).toEqual(summary.rows);
    expect(manifest.args).toEqual({
      customers: 400,
      seed: 8,
      dirty: 0.03,
      format: 'csv',
      end: '2025-12-31',
      years: 3,
    });
    expect(manifest.startDate).toBe('2023-01-01');
    expect(manifest.endDate).toBe('2025-12-31');
    for (const table of TABLE_NAMES) {
      expect(readLines(join(dir, `${table}.csv`)).length - 1).toBe(manifest.rows[table]);
      expect(manifest.rows[table]).toBe(manifest.cleanRows[table] + manifest.dirtyRows[table]);
    }
    expect(manifest.cleanRows.customers).toBe(400);
    const truth = readLines(join(dir, 'truth', 'ground_truth.csv'));
    expect(truth[0]).toBe(TRUTH_COLUMNS.join(','));
    expect(truth.length - 1).toBe(400);
    expect(Object.values(manifest.personas).reduce((a, b) => a + b, 0)).toBe(400);
    expect(manifest.rows.events).toBeGreaterThan(20 * 400);
  });

  it('writes reproducible Parquet (typed columns, rows in order) and removes CSV files of an earlier run', async () => {
    const [a, b] = [tempDir('pq-a'), tempDir('pq-b')];
    await writeDataset({ customers: 150, seed: 3 }, a);
    const removed: string[] = [];
    const { summary } = await writeDataset({ customers: 150, seed: 3, format: 'parquet' }, a, {
      removed: (p) => removed.push(p),
    });
    await writeDataset({ customers: 150, seed: 3, format: 'parquet' }, b);
    expect(removed.sort()).toEqual(TABLE_NAMES.map((t) => join(a, `${t}.csv`)).sort());
    expect(filesOf(b)).toEqual(filesOf(a));
    expect(existsSync(join(a, '.staging-csv'))).toBe(false);
    await withConnection(async (c) => {
      for (const table of TABLE_NAMES) {
        const n = await queryValue<number>(c, `SELECT count(*) FROM '${join(a, `${table}.parquet`)}'`);
        expect(Number(n)).toBe(summary.rows[table]);
      }
      const types = await queryValue<string>(
        c,
        `SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM '${join(a, 'orders.parquet')}')`,
      );
      expect(types).toBe(
        'order_id VARCHAR, customer_id VARCHAR, ordered_at TIMESTAMP WITH TIME ZONE, amount DECIMAL(18,2), status VARCHAR, ' +
          'currency VARCHAR, channel VARCHAR, discount_amount DECIMAL(18,2), items INTEGER, category VARCHAR, brand VARCHAR',
      );
      const firstOrder = await queryValue<string>(
        c,
        `SELECT order_id FROM '${join(a, 'orders.parquet')}' LIMIT 1`,
      );
      expect(firstOrder).toBe('O000000001');
    });
  });

  it("writes Parquet holding the CSV's values: typed columns are the same instants and numbers, 'text' columns the same text", async () => {
    const [csv, typed, text] = [tempDir('pq-csv'), tempDir('pq-typed'), tempDir('pq-text')];
    await writeDataset({ customers: 120, seed: 4 }, csv);
    await writeDataset({ customers: 120, seed: 4, format: 'parquet' }, typed);
    await writeDataset({ customers: 120, seed: 4, format: 'parquet' }, text, { parquetColumns: 'text' });
    await withConnection(async (c) => {
      for (const table of TABLE_NAMES) {
        const columns = Object.entries(parquetColumnTypes(table, 'typed'));
        // The typed values written back as the generator writes them: UTC `YYYY-MM-DD HH:MM:SS`, 2 decimals.
        const asText = columns
          .map(([name, type]) =>
            type === 'TIMESTAMPTZ'
              ? `strftime(timezone('UTC', "${name}"), '%Y-%m-%d %H:%M:%S')`
              : `CAST("${name}" AS VARCHAR)`,
          )
          .join(', ');
        const names = columns.map(([name]) => `"${name}"`).join(', ');
        const fromCsv = `SELECT ${names} FROM read_csv('${join(csv, `${table}.csv`)}', all_varchar = true, header = true)`;
        const fromText = `SELECT ${names} FROM '${join(text, `${table}.parquet`)}'`;
        const fromTyped = `SELECT ${asText} FROM '${join(typed, `${table}.parquet`)}'`;
        const differing = (x: string, y: string): string =>
          `(SELECT count(*) FROM (${x} EXCEPT ALL ${y})) + (SELECT count(*) FROM (${y} EXCEPT ALL ${x}))`;
        const textDiff = await queryValue<number>(c, `SELECT ${differing(fromCsv, fromText)}`);
        const typedDiff = await queryValue<number>(c, `SELECT ${differing(fromCsv, fromTyped)}`);
        expect(Number(textDiff), table).toBe(0);
        expect(Number(typedDiff), table).toBe(0);
        const textTypes = await queryValue<string>(
          c,
          `SELECT string_agg(DISTINCT column_type, ',') FROM (DESCRIBE ${fromText})`,
        );
        expect(textTypes, table).toBe('VARCHAR');
      }
    });
  });
});

describe('writeDataset, Parquet through named pipes', () => {
  it('gives the bytes of the CSV converted afterwards, over several generation steps and pipe fills', async () => {
    const [csv, pq] = [tempDir('pipe-csv'), tempDir('pipe-pq')];
    const customers = CUSTOMERS_PER_STEP + 300;
    await writeDataset({ customers, seed: 12 }, csv);
    await writeDataset({ customers, seed: 12, format: 'parquet' }, pq, { namedPipes: true });
    // events (~200 MB of CSV per 1M customers), orders and customers go through pipes; the rest is staged.
    for (const table of ['events', 'orders', 'customers', 'consent'] as const) {
      const converted = join(csv, `${table}.parquet`);
      await csvToParquet(join(csv, `${table}.csv`), converted, parquetColumnTypes(table, 'typed'));
      expect(readFileSync(join(pq, `${table}.parquet`)).equals(readFileSync(converted)), table).toBe(true);
    }
    expect(readdirSync(pq).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('personae generate --workers', () => {
  // Worker threads load the generator from the TypeScript sources through tsx, as `npm run personae` does.
  // Asynchronous, so the test runner's own messages are not held up while the child runs.
  const cli = async (args: string[]): Promise<void> => {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'cli', 'bin.ts'), 'generate', ...args, '--quiet'],
      { cwd: ROOT },
    );
  };

  it.each([
    ['full', []],
    ['orders-only', ['--orders-only']],
  ])(
    'writes the same bytes with 2 workers as with none (%s, Parquet, three blocks)',
    async (_, extra) => {
      const customers = String(2 * CUSTOMERS_PER_STEP + 300);
      const [none, two] = [tempDir('w0'), tempDir('w2')];
      const args = ['--customers', customers, '--seed', '9', '--format', 'parquet', ...extra];
      for (const [out, workers] of [[none, '0'], [two, '2']] as const)
        await cli([...args, '--out', out, '--workers', workers]);
      expect(filesOf(two)).toEqual(filesOf(none));
      expect(readFileSync(join(two, 'generator.json'), 'utf8')).toContain(`"customers": ${customers}`);
    },
    120_000,
  );
});

describe('writeDataset, orders only', () => {
  it("writes customers, orders, consent and erasure: the full data set's customers and orders, signup consent only", async () => {
    const [full, only] = [tempDir('oo-full'), tempDir('oo-only')];
    await writeDataset({ customers: 400, seed: 5 }, full);
    // An earlier full data set in the same folder: its other tables must not be read with the new one.
    await writeDataset({ customers: 400, seed: 5 }, only);
    const removed: string[] = [];
    const { summary, files } = await writeDataset({ customers: 400, seed: 5, ordersOnly: true }, only, {
      removed: (p) => removed.push(p),
    });
    expect(Object.keys(files).sort()).toEqual([...ORDERS_ONLY_TABLES].sort());
    expect(removed.sort()).toEqual(
      ['events', 'zero_party', 'campaigns'].map((t) => join(only, `${t}.csv`)).sort(),
    );
    expect([...filesOf(only).keys()].sort()).toEqual([
      'consent.csv',
      'customers.csv',
      'erasure.csv',
      'generator.json',
      'orders.csv',
      'truth/dirty.csv',
      'truth/ground_truth.csv',
    ]);
    for (const table of ['customers', 'orders', 'erasure'])
      expect(readFileSync(join(only, `${table}.csv`), 'utf8'), table).toBe(
        readFileSync(join(full, `${table}.csv`), 'utf8'),
      );
    // Consent: the signup records of the full set (its campaign unsubscribes are the only rows missing).
    const fullConsent = new Set(readLines(join(full, 'consent.csv')));
    const onlyConsent = readLines(join(only, 'consent.csv'));
    expect(onlyConsent.every((line) => fullConsent.has(line))).toBe(true);
    const unsubscribes = [...fullConsent].filter((line) => !onlyConsent.includes(line));
    expect(unsubscribes.length).toBeGreaterThan(0);
    expect(unsubscribes.every((line) => line.includes(',withdrawn,'))).toBe(true);
    // Order ids are the sequence O000000001, O000000002, … in file order.
    const orderIds = readLines(join(only, 'orders.csv'))
      .slice(1)
      .map((line) => line.slice(0, line.indexOf(',')));
    expect(orderIds).toEqual(orderIds.map((_, i) => `O${String(i + 1).padStart(9, '0')}`));
    expect(summary.rows.events).toBe(0);
    expect(summary.args.ordersOnly).toBe(true);
    const truth = readCsv(join(only, 'truth', 'ground_truth.csv'));
    expect(truth.length).toBe(400);
    expect(truth.every((row) => row.email_delivered === '0' && row.sms_delivered === '0')).toBe(true);
  });

  it('is available as personae generate --orders-only, in Parquet', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const dir = tempDir('oo-cli');
    const code = await main([
      'generate',
      '--customers',
      '50',
      '--seed',
      '2',
      '--out',
      dir,
      '--format',
      'parquet',
      '--orders-only',
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'consent.parquet',
      'customers.parquet',
      'erasure.parquet',
      'generator.json',
      'orders.parquet',
      'truth',
    ]);
  });
});

describe('personae generate', () => {
  it('writes the data set and prints a summary', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const dir = tempDir('cli');
    const code = await main(['generate', '--customers', '60', '--seed', '11', '--out', dir, '--quiet']);
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'orders.csv'))).toBe(true);
    expect(String(out.mock.calls[0]?.[0])).toContain('wrote 60 customers');
  });

  it.each([
    [['--dirty', '2'], '--dirty'],
    [['--format', 'xml'], '--format'],
    [['--end', '2025-02-30'], '--end'],
    [['--customers', 'many'], '--customers'],
  ])('rejects %j with a message naming the setting and exit code 2', async (flags, setting) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const args = ['generate', '--customers', '10', '--seed', '1', '--out', tempDir('bad'), '--quiet'];
    const code = await main([...args, ...flags]);
    expect(code).toBe(2);
    const printed = err.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain(setting);
    expect(printed).not.toContain('    at ');
  });
});
