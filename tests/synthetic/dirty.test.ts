import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIRTY_REASON_CODES, FIELD_REASON_CODES, type DirtyReason } from '../../src/contract/reasons.js';
import { CONTRACT, TABLE_NAMES, type TableName } from '../../src/contract/schema.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { TABLE_COLUMNS } from '../../src/synthetic/rows.js';
import { parseCsvLine, readCsv, readLines, tempDir } from './helpers.js';

const N = 2000;
const AS_OF_END = '2025-12-31 23:59:59';
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|NaN)$/;

let cleanDir: string;
let dirtyDir: string;
let injected: Record<string, string>[];

beforeAll(async () => {
  // One year of history keeps the files small; every table and reason is still well represented.
  cleanDir = tempDir('clean');
  dirtyDir = tempDir('dirty');
  await writeDataset({ customers: N, seed: 9, years: 1 }, cleanDir);
  await writeDataset({ customers: N, seed: 9, years: 1, dirty: 0.05 }, dirtyDir);
  injected = readCsv(join(dirtyDir, 'truth', 'dirty.csv'));
});

function validTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && Number(m[4]) < 24;
}

/**
 * An independent re-implementation of the reason checks, in the order of src/contract/reasons.ts, with
 * the as-of date at the generator's end date: the first failing reason of one line, or undefined.
 */
function firstProblem(
  table: TableName,
  cells: string[],
  seenKeys: Set<string>,
  customers: Set<string> | undefined,
): DirtyReason | undefined {
  const names = TABLE_COLUMNS[table];
  const spec = CONTRACT[table];
  if (cells.length !== names.length) return 'malformed_line';
  const row = Object.fromEntries(names.map((n, i) => [n, cells[i] as string]));
  const typed = (type: string): string[] =>
    names.filter((n) => spec.columns[n]?.type === type && row[n] !== '');
  if (names.some((n) => spec.columns[n]?.required && row[n] === '')) return 'missing_key';
  const dates = typed('timestamp');
  if (dates.some((n) => !validTimestamp(row[n] as string))) return 'bad_date';
  if (dates.some((n) => (row[n] as string) < '1990')) return 'implausible_date';
  if (dates.some((n) => (row[n] as string) > AS_OF_END)) return 'future_date';
  const numbers = [...typed('number'), ...typed('integer')];
  if (numbers.some((n) => !NUMBER.test(row[n] as string))) return 'bad_number';
  if (typed('number').some((n) => !(Math.abs(Number(row[n])) <= 1_000_000))) return 'absurd_amount';
  if (typed('enum').some((n) => !(spec.columns[n]?.values ?? []).includes(row[n] as string)))
    return 'unknown_value';
  if (spec.uniqueKey) {
    const key = row[spec.uniqueKey] as string;
    if (seenKeys.has(key)) return 'duplicate_id';
    seenKeys.add(key);
  }
  // The campaigns table is brand-wide: it has no customer to check.
  if (customers && 'customer_id' in row && !customers.has(row.customer_id as string)) return 'unknown_customer';
  if (table === 'orders' && row.currency !== 'EUR') return 'currency_mismatch';
  if (table === 'zero_party' && row.question === 'birth_year') {
    const year = Number(row.answer);
    if (!Number.isInteger(year) || year < 1900 || year > 2025 - 13) return 'implausible_answer';
  }
  // Contact fields last: a bad one is dropped from a row that is otherwise accepted.
  if (table === 'customers' && !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(row.email as string))
    return 'invalid_email';
  if (table === 'customers' && row.phone !== '' && !/^\+?\d{6,15}$/.test((row.phone as string).replace(/[\s.()-]/g, '')))
    return 'invalid_phone';
  return undefined;
}

describe('--dirty injection', () => {
  it('injects every reason code at --dirty 0.05 on 2,000 customers, at about the requested rate', () => {
    const reasons = new Set(injected.map((d) => d.reason));
    for (const code of DIRTY_REASON_CODES) expect(reasons, code).toContain(code);
    const summary = JSON.parse(readFileSync(join(dirtyDir, 'generator.json'), 'utf8')) as {
      cleanRows: Record<TableName, number>;
      dirtyRows: Record<TableName, number>;
      dirtyByReason: Record<string, number>;
    };
    const clean = Object.values(summary.cleanRows).reduce((a, b) => a + b, 0);
    const dirty = Object.values(summary.dirtyRows).reduce((a, b) => a + b, 0);
    expect(dirty).toBe(injected.length);
    expect(dirty / clean).toBeGreaterThan(0.045);
    expect(dirty / clean).toBeLessThan(0.055);
    for (const code of DIRTY_REASON_CODES) {
      expect(summary.dirtyByReason[code]).toBe(injected.filter((d) => d.reason === code).length);
    }
  });

  it('lists exactly the bad lines: each listed line fails first with its reason, every other line is clean', () => {
    const listed = new Map(injected.map((d) => [`${d.table}:${d.line}`, d.reason]));
    const customerLines = readLines(join(dirtyDir, 'customers.csv')).slice(1);
    const accepted = new Set<string>();
    const seenCustomers = new Set<string>();
    const mismatches: string[] = [];
    const check = (table: TableName, lines: string[], customers: Set<string> | undefined): void => {
      const seen = table === 'customers' ? seenCustomers : new Set<string>();
      lines.forEach((line, i) => {
        const cells = parseCsvLine(line);
        const problem = firstProblem(table, cells, seen, customers);
        if (table === 'customers' && (problem === undefined || FIELD_REASON_CODES.includes(problem as never)))
          accepted.add(cells[0] as string);
        const expected = listed.get(`${table}:${i + 2}`);
        if (problem !== expected)
          mismatches.push(`${table}:${i + 2} expected ${expected} found ${problem}: ${line}`);
      });
    };
    check('customers', customerLines, undefined);
    for (const table of TABLE_NAMES.filter((t) => t !== 'customers')) {
      check(table, readLines(join(dirtyDir, `${table}.csv`)).slice(1), accepted);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(listed.size).toBe(injected.length);
  });

  it('leaves the clean data untouched: dropping the listed lines gives the clean files byte for byte', () => {
    for (const table of TABLE_NAMES) {
      const bad = new Set(injected.filter((d) => d.table === table).map((d) => Number(d.line)));
      const kept = readLines(join(dirtyDir, `${table}.csv`)).filter((_, i) => !bad.has(i + 1));
      expect(kept.join('\n') + '\n').toBe(readFileSync(join(cleanDir, `${table}.csv`), 'utf8'));
    }
    expect(readFileSync(join(dirtyDir, 'truth', 'ground_truth.csv'), 'utf8')).toBe(
      readFileSync(join(cleanDir, 'truth', 'ground_truth.csv'), 'utf8'),
    );
  });

  it('numbers Parquet rows from 1, as validation reports them, and keeps the injected text in VARCHAR columns', async () => {
    const dir = tempDir('dirty-parquet');
    await writeDataset({ customers: 300, seed: 9, dirty: 0.05, format: 'parquet' }, dir);
    const listed = readCsv(join(dir, 'truth', 'dirty.csv'));
    expect(listed.some((d) => d.reason === 'malformed_line')).toBe(false);
    const withColumn = listed.filter((d) => d.column !== '' && d.table !== 'events').slice(0, 200);
    expect(withColumn.length).toBeGreaterThan(50);
    await withConnection(async (c) => {
      for (const d of withColumn) {
        const [row] = await queryRows<{ v: string | null }>(
          c,
          `SELECT "${d.column}" AS v FROM read_parquet('${join(dir, `${d.table}.parquet`)}', file_row_number = true)
           WHERE file_row_number = ${Number(d.line) - 1}`,
        );
        expect(row?.v ?? '', `${d.table}:${d.line}`).toBe(d.value);
      }
    });
  });
});
