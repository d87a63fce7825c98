import { describe, expect, it } from 'vitest';
import {
  dateFormatOf,
  decideDateOrder,
  decideDecimal,
  decimalEvidenceSql,
  numberSql,
  withTimes,
} from '../../src/contract/locale.js';
import { explainRejection } from '../../src/contract/rejected-column.js';
import { CONTRACT } from '../../src/contract/schema.js';
import { utcTimestampSql } from '../../src/contract/timestamp-sql.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { quoteLiteral } from '../../src/io/sql.js';

async function read(values: string[], expression: (text: string) => string): Promise<unknown[]> {
  const list = values.map(quoteLiteral).join(', ');
  const rows = await withConnection((c) =>
    queryRows<{ v: unknown }>(c, `SELECT ${expression('t')} AS v FROM (SELECT unnest([${list}]) AS t, generate_subscripts([${list}], 1) AS i) ORDER BY i`),
  );
  return rows.map((r) => r.v);
}

describe('numbers written with a decimal comma', () => {
  it('reads French thousands separators (space, no-break space, narrow no-break space, point) and signs', async () => {
    const values = ['1 234,50', '1\u00a0234,5', '12\u202f500,00', '1.999,99', '-45,00', '+7,5', '1234', '1 234', '0,05'];
    expect(await read(values, (t) => numberSql(t, ','))).toEqual([1234.5, 1234.5, 12500, 1999.99, -45, 7.5, 1234, 1234, 0.05]);
  });

  it('refuses what is not a number written that way, rather than reading it as something else', async () => {
    const values = ['12.50', '1 23,4', '12,50 €', 'douze', '1,2,3', ',5', '1 234 ,5'];
    expect(await read(values, (t) => numberSql(t, ','))).toEqual([null, null, null, null, null, null, null]);
    // With a decimal point (the default), a decimal comma is not a number: unchanged behaviour.
    expect(await read(['12,50', '12.50', '1 234.5'], (t) => numberSql(t, '.'))).toEqual([null, 12.5, null]);
  });

  it('counts the values that only one decimal mark reads, and those either reads differently', async () => {
    const values = ['12,50', '1 234', '3', '12.5', '1,234', '1.234', 'x'];
    const aggregates = decimalEvidenceSql('t', 'e_').join(', ');
    const list = values.map(quoteLiteral).join(', ');
    const [row] = await withConnection((c) =>
      queryRows<Record<string, number>>(c, `SELECT ${aggregates} FROM (SELECT unnest([${list}]) AS t)`),
    );
    expect(row).toEqual({ e_comma: 2, e_point: 1, e_ambiguous: 2 });
  });
});

describe('deciding the decimal mark of a file', () => {
  it('is a comma only when values need it and none needs a point', () => {
    expect(decideDecimal([{ comma: 3, point: 0, ambiguous: 5 }])).toEqual({ kind: 'decided', decimal: ',' });
    expect(decideDecimal([{ comma: 0, point: 0, ambiguous: 0 }, { comma: 0, point: 2, ambiguous: 1 }])).toEqual({ kind: 'decided', decimal: '.' });
    expect(decideDecimal([{ comma: 0, point: 0, ambiguous: 0 }])).toEqual({ kind: 'decided', decimal: '.' });
    // `1,234` and nothing else: the data cannot tell, the setting is required.
    expect(decideDecimal([{ comma: 0, point: 0, ambiguous: 4 }])).toEqual({ kind: 'ambiguous' });
    expect(decideDecimal([{ comma: 1, point: 0, ambiguous: 0 }, { comma: 0, point: 1, ambiguous: 0 }])).toEqual({ kind: 'mixed' });
  });
});

describe('deciding the order of day and month', () => {
  const evidence = (maxFirst: number, maxSecond: number, separator = '/') => ({ values: 12, numeric: 10, maxFirst, maxSecond, separator });
  it('is day first when a first field is above 12 and no second field is, month first the other way', () => {
    expect(decideDateOrder(evidence(31, 12))).toEqual({ kind: 'decided', order: 'day-first', separator: '/' });
    expect(decideDateOrder(evidence(12, 28, '-'))).toEqual({ kind: 'decided', order: 'month-first', separator: '-' });
  });
  it('requires the setting when no field is above 12, and decides nothing from impossible dates', () => {
    expect(decideDateOrder(evidence(12, 11))).toEqual({ kind: 'ambiguous', separator: '/' });
    expect(decideDateOrder(evidence(31, 31))).toEqual({ kind: 'none' });
    expect(decideDateOrder({ values: 5, numeric: 0, maxFirst: null, maxSecond: null, separator: null })).toEqual({ kind: 'none' });
    // A few such dates among ISO ones decide nothing: they stay unreadable (bad_date).
    expect(decideDateOrder({ ...evidence(12, 25), values: 1000, numeric: 2 })).toEqual({ kind: 'none' });
  });
  it('reads the dates in the detected order, with or without a time, and ISO dates still as ISO', async () => {
    const format = { detected: true as const, formats: withTimes(dateFormatOf('day-first', '/')) };
    const values = ['03/01/2025', '03/01/2025 14:05', '03/01/2025 14:05:09', '2025-01-03T14:05:00+01:00', '30/02/2025'];
    const got = await read(values, (t) => `CAST(${utcTimestampSql(t, format)} AS VARCHAR)`);
    expect(got).toEqual(['2025-01-03 00:00:00', '2025-01-03 14:05:00', '2025-01-03 14:05:09', '2025-01-03 13:05:00', null]);
  });
  it('reads a date-only date_format set in the config also when a time follows the date', async () => {
    const got = await read(['03/01/2025', '03/01/2025 14:05', '2025-01-03'], (t) => `CAST(${utcTimestampSql(t, '%d/%m/%Y')} AS VARCHAR)`);
    expect(got).toEqual(['2025-01-03 00:00:00', '2025-01-03 14:05:00', null]);
  });
});

describe('a column rejected wholesale names the file, the column and the setting that fixes it', () => {
  const base = { table: 'orders' as const, file: 'export.csv', values: 2, readAs: { decimal: '.' as const, decimalFrom: 'default' as const } };
  it('decimal commas in a file that gave no unambiguous sign of them', () => {
    const r = explainRejection({ ...base, column: 'amount', spec: CONTRACT.orders.columns.amount!, sourceSql: '"Montant"', examples: ['1,234', '2,500'], readAs: { ...base.readAs, decimalUndecided: 'ambiguous' } });
    expect(r.reason).toBe('bad_number');
    expect(r.message).toBe('export.csv: all 2 values of column "Montant" (read as orders.amount) cannot be read as numbers (e.g. "1,234", "2,500"), so every row is quarantined as bad_number');
    expect(r.fix).toContain("set tables.orders.decimal: ',' (French exports) or '.'");
  });
  it('a currency sign in the values', () => {
    const r = explainRejection({ ...base, column: 'amount', spec: CONTRACT.orders.columns.amount!, sourceSql: '"Total TTC"', examples: ['12,50 €'] });
    expect(r.fix).toContain(`tables.orders.columns.amount: {sql: "replace(\\"Total TTC\\", '€', '')"}`);
  });
  it('day and month that the data cannot tell apart', () => {
    const r = explainRejection({ ...base, column: 'ordered_at', spec: CONTRACT.orders.columns.ordered_at!, sourceSql: '"Date"', examples: ['03.01.2025'], readAs: { ...base.readAs, dateUndecided: { separator: '.' } } });
    expect(r.reason).toBe('bad_date');
    expect(r.fix).toContain("set tables.orders.date_format: '%d.%m.%Y' (day first, as French exports write them) or '%m.%d.%Y' (month first)");
  });
  it('statuses of a shop that are not the contract\'s', () => {
    const r = explainRejection({ ...base, column: 'status', spec: CONTRACT.orders.columns.status!, sourceSql: '"Financial Status"', examples: ['paid'] });
    expect(r.reason).toBe('unknown_value');
    expect(r.fix).toContain('--preset shopify, woocommerce or prestashop');
    expect(r.fix).toContain(`CASE lower(\\"Financial Status\\") WHEN 'paid' THEN 'completed' END`);
  });
  it('a required column empty in every row', () => {
    const r = explainRejection({ ...base, values: 0, column: 'customer_id', spec: CONTRACT.orders.columns.customer_id!, sourceSql: '"Client"', examples: [] });
    expect(r).toMatchObject({ reason: 'missing_key', message: 'export.csv: column "Client" (read as orders.customer_id) is empty in every row, so every row is quarantined as missing_key' });
  });
});
