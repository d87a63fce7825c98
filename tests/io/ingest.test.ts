import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { parseIsoDate } from '../../src/core/time.js';
import { applyConsent } from '../../src/io/apply-consent.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { writeValidation } from '../../src/io/write-validation.js';
import { tempDir, writeDataDir } from '../helpers/data-dir.js';

const asOf = parseIsoDate('2025-06-30') as Date;

// One problem per line; the comment-free expectation table below names each line's reason.
const customers = [
  'customer_id,created_at,email,country',
  'c1,2024-01-01,c1@example.com,FR', // 2 ok
  'c2,2024-02-01,c2@example.com,FR', // 3 ok
  'c3,2024-03-01,,DE', // 4 ok (no email is fine)
  'c2,2024-04-01,dup@example.com,FR', // 5 duplicate_id
  'c4,2024-05-01,jane.doe@,FR', // 6 ok: the email is dropped (invalid_email), the customer kept
  'c5,2024-05-01,c5@example.com,FR', // 7 ok (erased below)
];
const orders = [
  'order_id,customer_id,ordered_at,amount,status,currency',
  'o1,c1,2025-01-10,50.00,completed,EUR', // 2 ok
  'o2,c1,2025-02-10,-20.00,returned,EUR', // 3 ok: a return is data, not an error
  'o3,,2025-02-11,10,completed,EUR', // 4 missing_key
  'o4,c2,31/02/2024,10,completed,EUR', // 5 bad_date
  'o5,c2,1970-01-01,10,completed,EUR', // 6 implausible_date
  'o6,c2,2095-01-01,10,completed,EUR', // 7 future_date
  'o7,c2,2025-03-01,"12,50€",completed,EUR', // 8 bad_number
  'o8,c2,2025-03-01,1e12,completed,EUR', // 9 absurd_amount
  'o9,c2,2025-03-01,Infinity,completed,EUR', // 10 absurd_amount
  'o10,c2,2025-03-01,10,shipped?,EUR', // 11 unknown_value
  'o1,c2,2025-03-02,10,completed,EUR', // 12 duplicate_id
  'o11,zz,2025-03-02,10,completed,EUR', // 13 unknown_customer
  'o12,c3,2025-03-02,10,completed,USD', // 14 currency_mismatch
  'o13,c3,2025-03-03,10,completed,EUR,extra', // 15 malformed_line
  'o14,c3,2025-06-30T23:00:00Z,10,CANCELLED,eur', // 16 ok: on the as-of day, case-insensitive
  'o15,c5,2025-01-01,10,completed,EUR', // 17 ok
];
const zeroParty = [
  'customer_id,answered_at,question,answer',
  'c1,2024-06-01,birth_year,1985', // 2 ok
  'c2,2024-06-01,birth_year,1850', // 3 implausible_answer
  'c3,2024-06-01,interests,home|garden', // 4 ok
];
const consent = [
  'customer_id,purpose,status,recorded_at',
  'c1,profiling,granted,2024-01-01',
  'c1,email,granted,2024-01-01',
  'c2,profiling,granted,2024-01-01',
  'c2,profiling,withdrawn,2025-01-01', // c2 withdrew: out
  'c3,profiling,withdrawn,2024-01-01',
  'c3,profiling,granted,2025-06-30', // c3 granted again on the as-of day: in
  'c3,sms,granted,2025-06-30',
  'c3,sms,withdrawn,2025-06-30', // same instant: withdrawn wins
  'c4,profiling,granted,2024-01-01',
  'c5,profiling,granted,2024-01-01',
];
const erasure = ['customer_id,requested_at', 'c5,2025-05-01'];

function files(): Record<string, string[]> {
  return {
    'customers.csv': customers,
    'orders.csv': orders,
    'zero_party.csv': zeroParty,
    'consent.csv': consent,
    'erasure.csv': erasure,
  };
}

describe('ingest', () => {
  it('quarantines each bad row under its reason with its line, and accounts for every row', async () => {
    const engine = await openEngine();
    try {
      const result = await ingest(engine.connection, {
        dataDir: writeDataDir(files()),
        config: parseConfig({}),
        asOf,
      });
      const q = await queryRows<{ table_name: string; line: number; reason: string }>(
        engine.connection,
        'SELECT table_name, line, reason FROM quarantine ORDER BY table_name, line',
      );
      expect(q.map((r) => `${r.table_name}:${r.line}:${r.reason}`)).toEqual([
        'customers:5:duplicate_id',
        'orders:4:missing_key',
        'orders:5:bad_date',
        'orders:6:implausible_date',
        'orders:7:future_date',
        'orders:8:bad_number',
        'orders:9:absurd_amount',
        'orders:10:absurd_amount',
        'orders:11:unknown_value',
        'orders:12:duplicate_id',
        'orders:13:unknown_customer',
        'orders:14:currency_mismatch',
        'orders:15:malformed_line',
        'zero_party:3:implausible_answer',
      ]);
      expect(result.tables.orders).toMatchObject({ rowsRead: 16, accepted: 4, quarantined: 12 });
      expect(result.tables.customers).toMatchObject({
        rowsRead: 6,
        accepted: 5,
        quarantined: 1,
        fieldsDropped: { invalid_email: 1 },
      });
      for (const t of Object.values(result.tables)) expect(t.accepted + t.quarantined).toBe(t.rowsRead);
      expect(result.currency).toBe('EUR');
      const accepted = await queryRows(
        engine.connection,
        'SELECT order_id, amount, status, currency FROM orders ORDER BY order_id',
      );
      expect(accepted).toEqual([
        { order_id: 'o1', amount: 50, status: 'completed', currency: 'EUR' },
        { order_id: 'o14', amount: 10, status: 'cancelled', currency: 'EUR' },
        { order_id: 'o15', amount: 10, status: 'completed', currency: 'EUR' },
        { order_id: 'o2', amount: -20, status: 'returned', currency: 'EUR' },
      ]);
    } finally {
      engine.close();
    }
  });

  it('keeps a customer whose contact field is invalid: drops that field, counts it and lists its line', async () => {
    const engine = await openEngine();
    const out = tempDir();
    try {
      const dataDir = writeDataDir({
        'customers.csv': [
          'customer_id,email,phone,first_name',
          'k1,"=HYPERLINK(""http://evil.example/"")@x.io",+33612345678,Ana', // 2: a formula, not an address
          'k2,not-an-email,+33 6 12 34 56 78,Bo', // 3
          'k3,k3@example.com,call me,Cy', // 4: the phone is not a number
          'k4,=1+2@example.com,,Di', // 5: an address a spreadsheet would run
          'k5,élodie.bernard@exemple.fr,(020) 7946-0958,Él', // 6: fine
        ],
        'orders.csv': [
          'order_id,customer_id,ordered_at,amount',
          ...['k1', 'k2', 'k3', 'k4', 'k5'].map((id, i) => `o${i},${id},2025-03-01,10`),
        ],
      });
      const result = await ingest(engine.connection, { dataDir, config: parseConfig({}), asOf });
      expect(result.tables.customers).toMatchObject({
        accepted: 5,
        quarantined: 0,
        fieldsDropped: { invalid_email: 3, invalid_phone: 1 },
      });
      expect(result.tables.orders).toMatchObject({ accepted: 5, quarantined: 0 });
      expect(
        await queryRows(engine.connection, 'SELECT customer_id, email, phone FROM customers ORDER BY customer_id'),
      ).toEqual([
        { customer_id: 'k1', email: null, phone: '+33612345678' },
        { customer_id: 'k2', email: null, phone: '+33 6 12 34 56 78' },
        { customer_id: 'k3', email: 'k3@example.com', phone: null },
        { customer_id: 'k4', email: null, phone: null },
        { customer_id: 'k5', email: 'élodie.bernard@exemple.fr', phone: '(020) 7946-0958' },
      ]);
      await writeValidation(engine.connection, out, result);
      // Where to fix them, without copying the personal data into another file.
      expect(readFileSync(join(out, 'validation', 'customers.dropped_fields.csv'), 'utf8')).toBe(
        '"file","line","column","reason"\n"customers.csv","2","email","invalid_email"\n' +
          '"customers.csv","3","email","invalid_email"\n"customers.csv","4","phone","invalid_phone"\n' +
          '"customers.csv","5","email","invalid_email"\n',
      );
    } finally {
      engine.close();
    }
  });

  it('applies the consent rules: latest record wins, ties withdraw, erasure beats consent', async () => {
    const engine = await openEngine();
    try {
      await ingest(engine.connection, { dataDir: writeDataDir(files()), config: parseConfig({}), asOf });
      const audit = await applyConsent(engine.connection, { asOf, basis: 'consent' });
      const state = await queryRows(
        engine.connection,
        'SELECT customer_id, eligible, email_ok, sms_ok, erased FROM consent_state ORDER BY customer_id',
      );
      expect(state).toEqual([
        { customer_id: 'c1', eligible: true, email_ok: true, sms_ok: false, erased: false },
        { customer_id: 'c2', eligible: false, email_ok: false, sms_ok: false, erased: false },
        { customer_id: 'c3', eligible: true, email_ok: false, sms_ok: false, erased: false },
        { customer_id: 'c4', eligible: true, email_ok: false, sms_ok: false, erased: false },
        { customer_id: 'c5', eligible: false, email_ok: false, sms_ok: false, erased: true },
      ]);
      expect(audit).toMatchObject({ customers: 5, included: 3, excluded_erased: 1, excluded_withdrawn: 1 });
      const left = await queryRows<{ customer_id: string }>(
        engine.connection,
        'SELECT DISTINCT customer_id FROM (SELECT customer_id FROM orders UNION ALL SELECT customer_id FROM customers UNION ALL SELECT customer_id FROM zero_party) ORDER BY 1',
      );
      expect(left.map((r) => r.customer_id)).toEqual(['c1', 'c3', 'c4']);
    } finally {
      engine.close();
    }
  });

  it('writes quarantine files without the content of non-consented or erased customers', async () => {
    const engine = await openEngine();
    const out = tempDir();
    try {
      const result = await ingest(engine.connection, {
        dataDir: writeDataDir(files()),
        config: parseConfig({}),
        asOf,
      });
      await applyConsent(engine.connection, { asOf, basis: 'consent' });
      await writeValidation(engine.connection, out, result);
      const text = readFileSync(join(out, 'validation', 'orders.quarantine.csv'), 'utf8');
      expect(text.split('\n')[0]).toBe('"file","line","reason","column","content"');
      expect(text).toContain('o12'); // c3's row keeps its content
      expect(text).not.toMatch(/\bc2\b/); // c2 withdrew consent
      expect(text).not.toMatch(/\bc5\b/);
      const summary = JSON.parse(readFileSync(join(out, 'validation', 'summary.json'), 'utf8'));
      expect(summary.tables.orders.reasons.absurd_amount).toBe(2);
    } finally {
      engine.close();
    }
  });

  it('reads a semicolon-separated export as it is', async () => {
    const engine = await openEngine();
    try {
      const dir = writeDataDir({
        'orders.csv': ['order_id;customer_id;ordered_at;amount', 'o1;c1;2025-01-01;3.5'],
      });
      const result = await ingest(engine.connection, { dataDir: dir, config: parseConfig({}), asOf });
      expect(result.tables.orders).toMatchObject({ rowsRead: 1, accepted: 1 });
    } finally {
      engine.close();
    }
  });

  it('finds duplicate ids in Parquet (after trimming) and accepts a file whose ids are all different', async () => {
    const engine = await openEngine();
    try {
      const c = engine.connection;
      const orders = async (ids: string[]): Promise<Awaited<ReturnType<typeof ingest>>> => {
        const dir = tempDir('personae-parquet-');
        const rows = ids.map((id, i) => `(${JSON.stringify(id).replace(/"/g, "'")}, 'c1', '2025-01-0${i + 1}', '10')`);
        await c.run(
          `COPY (SELECT * FROM (VALUES ${rows.join(', ')}) t(order_id, customer_id, ordered_at, amount))
           TO '${join(dir, 'orders.parquet')}' (FORMAT parquet)`,
        );
        return ingest(c, { dataDir: dir, config: parseConfig({}), asOf });
      };
      const repeated = await orders(['o1', 'o2', ' o1 ', 'o3']);
      expect(repeated.tables.orders).toMatchObject({ rowsRead: 4, accepted: 3, reasons: { duplicate_id: 1 } });
      const [row] = await queryRows<{ line: number }>(c, `SELECT line FROM quarantine WHERE reason = 'duplicate_id'`);
      expect(row?.line).toBe(3);
      const distinct = await orders(['o1', 'o2', 'o3']);
      expect(distinct.tables.orders).toMatchObject({ rowsRead: 3, accepted: 3, quarantined: 0 });
      expect((await queryRows<{ order_id: string }>(c, 'SELECT order_id FROM orders ORDER BY 1')).map((r) => r.order_id)).toEqual(['o1', 'o2', 'o3']);
    } finally {
      engine.close();
    }
  });

  it('stops with a message naming the file and the missing columns it found instead', async () => {
    const engine = await openEngine();
    try {
      const dir = writeDataDir({ 'orders.csv': ['id,client,date,amount', 'o1,c1,2025-01-01,3'] });
      const error = await ingest(engine.connection, { dataDir: dir, config: parseConfig({}), asOf }).catch(
        (e) => e,
      );
      expect(isPersonaeError(error)).toBe(true);
      expect(error.message).toBe(
        'orders.csv: required columns order_id, customer_id, ordered_at of the orders table are missing (found: id, client, date, amount).',
      );
      expect(error.hint).toMatch(/tables\.orders\.columns\.order_id: YourColumnName/);
      expect(error.hint ?? '').toBeTruthy();
      const empty = writeDataDir({ 'orders.csv': [] });
      const error2 = await ingest(engine.connection, { dataDir: empty, config: parseConfig({}), asOf }).catch(
        (e) => e,
      );
      expect(error2.message).toMatch(/orders\.csv/);
    } finally {
      engine.close();
    }
  });

  it('maps real export columns through the config, including SQL expressions and line items', async () => {
    const engine = await openEngine();
    try {
      const dir = writeDataDir({
        'orders.csv': [
          'InvoiceDate,CustomerID,UnitPrice,Quantity',
          '2011-01-05 10:00,17850,2.50,4',
          '2011-01-05 10:00,17850,1.00,-1',
          '2011-01-06 09:00,,3.00,1',
        ],
      });
      const config = parseConfig({
        consent: { basis: 'legitimate_interest' },
        tables: {
          orders: {
            line_items: true,
            columns: {
              order_id: { sql: "CustomerID || '@' || InvoiceDate" },
              customer_id: 'customerid',
              ordered_at: 'InvoiceDate',
              amount: { sql: 'TRY_CAST(UnitPrice AS DOUBLE) * TRY_CAST(Quantity AS DOUBLE)' },
            },
          },
        },
      });
      const result = await ingest(engine.connection, { dataDir: dir, config, asOf });
      expect(result.tables.orders).toMatchObject({
        rowsRead: 3,
        accepted: 2,
        quarantined: 1,
        orders: { count: 1, returns: 0 },
      });
      expect(await queryRows(engine.connection, 'SELECT customer_id, amount FROM orders')).toEqual([
        { customer_id: '17850', amount: 9 },
      ]);
    } finally {
      engine.close();
    }
  });

  it('rolls line items up the same way whatever order they come in: exact money sums, ties of category broken by name', async () => {
    const engine = await openEngine();
    try {
      // Order o1: 0.1 + 0.2 + 0.3 + 0 is 0.6 (a double sum in this line order gives 0.6000000000000001, in the
      // reverse order 0.6); two lines of bags and two of shoes: a tie, taken as the first by name (bags).
      const lines = ['o1,c1,2025-01-05,0.1,shoes', 'o1,c1,2025-01-05,0.2,bags', 'o1,c1,2025-01-05,0.3,shoes', 'o1,c1,2025-01-05,0,bags'];
      const config = parseConfig({
        consent: { basis: 'legitimate_interest' },
        tables: { orders: { line_items: true } },
      });
      for (const order of [lines, [...lines].reverse()]) {
        const dir = writeDataDir({ 'orders.csv': ['order_id,customer_id,ordered_at,amount,category', ...order] });
        await ingest(engine.connection, { dataDir: dir, config, asOf });
        expect(await queryRows(engine.connection, 'SELECT order_id, amount, category FROM orders')).toEqual([
          { order_id: 'o1', amount: 0.6, category: 'bags' },
        ]);
      }
    } finally {
      engine.close();
    }
  });
});
