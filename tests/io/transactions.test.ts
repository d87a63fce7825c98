import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exec, withConnection } from '../../src/io/duckdb.js';
import { readTransactionLog } from '../../src/io/transactions.js';
import { CDNOW_FILE, cdnowRows } from '../timing/cdnow.js';
import { rejectedWith as failure } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'personae-transactions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTransactionLog', () => {
  it('reads the CDNOW sample and merges same-day rows like the plain parser', async () => {
    const log = await readTransactionLog(CDNOW_FILE, {
      customerCol: 'customer_id',
      dateCol: 'date',
      amountCol: 'dollars',
    });
    expect(log.rowsRead).toBe(6919);
    expect(log.customers).toBe(2357);
    expect(log.hasAmount).toBe(true);
    // Independent merge of the same file in plain TypeScript.
    const merged = new Map<string, number>();
    for (const row of cdnowRows())
      merged.set(
        `${row.customerId}|${row.day}`,
        (merged.get(`${row.customerId}|${row.day}`) ?? 0) + row.amount,
      );
    expect(log.rows).toHaveLength(merged.size);
    for (const row of log.rows)
      expect(row.amount).toBeCloseTo(merged.get(`${row.customerId}|${row.day}`) as number, 9);
    expect(log.rows[0]).toEqual({
      customerId: '0001',
      day: Date.UTC(1997, 0, 1) / 86_400_000,
      amount: 29.33,
    });
  });

  it('matches column names case-insensitively, reads Parquet timestamps and whole-number float ids', async () => {
    const parquet = join(dir, 'orders.parquet');
    await withConnection((c) =>
      exec(
        c,
        `COPY (SELECT * FROM (VALUES (12346.0::DOUBLE, TIMESTAMP '2024-03-01 23:59:00', 10.0), (12346.0, TIMESTAMP '2024-03-01 08:00:00', 5.0), (17850.5, TIMESTAMP '2024-03-05 12:00:00', 7.5))
          AS t(CustomerID, InvoiceDate, Amount)) TO '${parquet}' (FORMAT parquet)`, // CustomerID: DOUBLE, like UCI Online Retail
      ),
    );
    const log = await readTransactionLog(parquet, {
      customerCol: 'customerid',
      dateCol: 'invoicedate',
      amountCol: 'AMOUNT',
    });
    const day = Date.UTC(2024, 2, 1) / 86_400_000;
    expect(log.rows).toEqual([
      { customerId: '12346', day, amount: 15 },
      { customerId: '17850.5', day: day + 4, amount: 7.5 },
    ]);
  });

  it('reads ISO dates, YYYYMMDD and explicit formats; amounts are optional', async () => {
    const csv = join(dir, 'mixed.csv');
    writeFileSync(csv, 'who,when\na,2024-01-02\na,20240105\nb,2024-01-03 10:00:00\n');
    const log = await readTransactionLog(csv, { customerCol: 'who', dateCol: 'when' });
    const d = Date.UTC(2024, 0, 2) / 86_400_000;
    expect(log.rows.map((r) => [r.customerId, r.day - d, r.amount])).toEqual([
      ['a', 0, 0],
      ['a', 3, 0],
      ['b', 1, 0],
    ]);
    const uk = join(dir, 'uk.csv');
    writeFileSync(uk, 'who,when,value\na,02/01/2024 10:00,3\n');
    const ukLog = await readTransactionLog(uk, {
      customerCol: 'who',
      dateCol: 'when',
      amountCol: 'value',
      dateFormat: '%d/%m/%Y %H:%M',
    });
    expect(ukLog.rows[0]?.day).toBe(d);
  });

  it('puts a timestamp with an offset on its UTC day', async () => {
    const csv = join(dir, 'offsets.csv');
    // 23:30 at UTC-02:00 is 01:30 UTC the next day; 00:30 at UTC+02:00 is 22:30 UTC the day before.
    writeFileSync(csv, 'who,when\na,2024-01-02T23:30:00-02:00\nb,2024-01-02T00:30:00+02:00\n');
    const log = await readTransactionLog(csv, { customerCol: 'who', dateCol: 'when' });
    const d = Date.UTC(2024, 0, 2) / 86_400_000;
    expect(log.rows.map((r) => [r.customerId, r.day - d])).toEqual([
      ['a', 1],
      ['b', -1],
    ]);
  });

  it('names the file and the available columns when a column is missing', async () => {
    const error = await failure(readTransactionLog(CDNOW_FILE, { customerCol: 'client', dateCol: 'date' }));
    expect(error.kind).toBe('input');
    expect(error.message).toContain('cdnow_sample.csv');
    expect(error.message).toContain('available columns: master_id, customer_id, date, cds, dollars');
    expect(error.hint).toContain('--customer-col');
  });

  it('points at the first unreadable date or amount, and at missing files', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,day,amt\nx,2024-01-01,1\ny,yesterday,2\nz,2024-13-45,3\n');
    const dateError = await failure(readTransactionLog(bad, { customerCol: 'id', dateCol: 'day' }));
    expect(dateError.message).toMatch(/2 row\(s\) have an unreadable day, first at data row 2: "yesterday"/);
    const badAmount = join(dir, 'bad-amount.csv');
    writeFileSync(badAmount, 'id,day,amt\nx,2024-01-01,1\ny,2024-01-02,12,5\n'.replace('12,5', '"12,5"'));
    const amountError = await failure(
      readTransactionLog(badAmount, { customerCol: 'id', dateCol: 'day', amountCol: 'amt' }),
    );
    expect(amountError.message).toMatch(/non-numeric amt, first at data row 2: "12,5"/);
    expect(
      (await failure(readTransactionLog(join(dir, 'nope.csv'), { customerCol: 'a', dateCol: 'b' }))).code,
    ).toBe('transactions.missing');
  });
});
