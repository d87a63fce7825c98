import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { utcTimestampSql } from '../../src/contract/timestamp-sql.js';
import { parseIsoDate } from '../../src/core/time.js';
import { openEngine, queryRows, withConnection } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { quoteLiteral } from '../../src/io/sql.js';
import { writeDataDir } from '../helpers/data-dir.js';

/** Each text and the UTC instant it means (null: unreadable), worked out by hand. */
const CASES: ReadonlyArray<[string, string | null]> = [
  ['2025-03-01', '2025-03-01 00:00:00'],
  ['2025-3-1', '2025-03-01 00:00:00'],
  ['2025-03-01 14:05', '2025-03-01 14:05:00'],
  ['2025-03-01T14:05:00.123456', '2025-03-01 14:05:00.123456'],
  ['2025-03-01T14:05:00Z', '2025-03-01 14:05:00'],
  ['2025-03-01T14:05:00z', '2025-03-01 14:05:00'],
  ['2025-03-01 14:05:00 UTC', '2025-03-01 14:05:00'],
  ['2025-03-01 14:05:00 GMT', '2025-03-01 14:05:00'],
  ['2025-03-01T14:05:00+02:00', '2025-03-01 12:05:00'],
  ['2025-03-01T14:05:00+0200', '2025-03-01 12:05:00'],
  ['2025-03-01T14:05:00+02', '2025-03-01 12:05:00'],
  ['2025-03-01T14:05:00 -05:30', '2025-03-01 19:35:00'],
  ['2025-03-01T14:05:00.5+01', '2025-03-01 13:05:00.5'],
  ['2025-03-01T14:05:00,25Z', '2025-03-01 14:05:00.25'],
  ['2025-03-01T14:05:00+14:00', '2025-03-01 00:05:00'],
  // the cases: the offset moves the instant to the day before
  ['2026-01-01T00:30:00+02:00', '2025-12-31 22:30:00'],
  ['2026-01-01T01:00:00+02:00', '2025-12-31 23:00:00'],
  ['2025-12-31T20:00:00-05:00', '2026-01-01 01:00:00'],
  // unreadable, never read as something else
  ['2025-03-01T14:05:00+15:00', null],
  ['2025-03-01T14:05:00+02:60', null],
  ['2025-03-01T14:05:00 CET', null],
  ['2025-03-01T14:05:00 America/New_York', null],
  ['2025-03-01T14:05:00 UTC+2', null],
  ['2025-02-30', null],
  ['31/12/2025', null],
  ['20250301', null],
  ['yesterday', null],
  ['epoch', null],
  ['infinity', null],
  ['-infinity', null],
];

async function parse(texts: readonly string[], format?: string): Promise<(string | null)[]> {
  return withConnection(async (c) => {
    const values = texts.map((t, i) => `(${i}, ${quoteLiteral(t)})`).join(', ');
    const rows = await queryRows<{ v: string | null }>(
      c,
      `SELECT CAST(${utcTimestampSql('s', format)} AS VARCHAR) AS v FROM (VALUES ${values}) t(i, s) ORDER BY i`,
    );
    return rows.map((r) => r.v);
  });
}

describe('utcTimestampSql', () => {
  it('reads ISO 8601 dates and times, applies offsets, and reads nothing else', async () => {
    const got = await parse(CASES.map(([text]) => text));
    expect(Object.fromEntries(CASES.map(([text], i) => [text, got[i]]))).toEqual(Object.fromEntries(CASES));
  });

  it('does not let a zone name change how the next rows are read', async () => {
    // DuckDB's TIMESTAMPTZ cast reads the rows after 'America/New_York' in that zone; this parser must not.
    expect(await parse(['1970-01-01 00:00', '2025-03-01T14:05:00 America/New_York', '1970-01-01 00:00'])).toEqual([
      '1970-01-01 00:00:00',
      null,
      '1970-01-01 00:00:00',
    ]);
  });

  it('reads the zone grammar only for the rows that need it: the plan joins nothing', async () => {
    // An IN list of five zones became a hash join that ran the regular expression on every row (3.1M
    // events: 26 s of CPU out of 37); a lazy CASE runs it only for rows the plain cast did not read.
    const plan = await withConnection(async (c) => {
      const rows = await queryRows<{ explain_value: string }>(
        c,
        `EXPLAIN SELECT ${utcTimestampSql('s')} AS v FROM (VALUES ('2025-03-01T14:05:00+02:00')) t(s)`,
      );
      return rows.map((r) => r.explain_value).join('\n');
    });
    expect(plan).toContain('PROJECTION');
    expect(plan).not.toMatch(/JOIN/);
  });

  it('converts an instant read through a strptime format with %z to UTC', async () => {
    expect(await parse(['01/01/2026 00:30 +0200', '31/12/2025 23:00 +0000'], '%d/%m/%Y %H:%M %z')).toEqual([
      '2025-12-31 22:30:00',
      '2025-12-31 23:00:00',
    ]);
    expect(await parse(['01/01/2026 00:30', '2025-12-31'], '%d/%m/%Y %H:%M')).toEqual(['2026-01-01 00:30:00', null]);
  });
});

describe('every timestamp of every table is converted to UTC', () => {
  const asOf = parseIsoDate('2025-12-31') as Date;
  // Line 2 of every table: 2026-01-01T01:00+02:00 is 23:00 UTC on the as-of day (accepted);
  // line 3: 2025-12-31T20:00-05:00 is 01:00 UTC the day after (future_date).
  const inside = '2026-01-01T01:00:00+02:00';
  const after = '2025-12-31T20:00:00-05:00';
  const data = {
    'customers.csv': ['customer_id,created_at', `c1,${inside}`, `c2,${after}`, 'c3,2025-01-01'],
    'orders.csv': ['order_id,customer_id,ordered_at,amount', `o1,c1,${inside},10`, `o2,c3,${after},10`],
    'events.csv': ['customer_id,occurred_at,type', `c1,${inside},page_view`, `c3,${after},page_view`],
    'zero_party.csv': ['customer_id,answered_at,question,answer', `c1,${inside},style,minimal`, `c3,${after},style,bold`],
    'consent.csv': ['customer_id,purpose,status,recorded_at', `c1,profiling,granted,${inside}`, `c3,profiling,granted,${after}`],
    'erasure.csv': ['customer_id,requested_at', `c1,${inside}`, `c3,${after}`],
  };
  const columns = {
    customers: 'created_at',
    orders: 'ordered_at',
    events: 'occurred_at',
    zero_party: 'answered_at',
    consent: 'recorded_at',
    erasure: 'requested_at',
  } as const;

  it('accepts the instant inside the as-of day at its UTC time and quarantines the one after it', async () => {
    const engine = await openEngine();
    try {
      const result = await ingest(engine.connection, { dataDir: writeDataDir(data), config: parseConfig({}), asOf });
      for (const [table, column] of Object.entries(columns)) {
        const rows = await queryRows<{ t: string }>(
          engine.connection,
          `SELECT CAST(${column} AS VARCHAR) AS t FROM ${table} WHERE customer_id = 'c1'`,
        );
        expect(rows, table).toEqual([{ t: '2025-12-31 23:00:00' }]);
        const quarantined = await queryRows<{ line: number; reason: string }>(
          engine.connection,
          `SELECT line, reason FROM quarantine WHERE table_name = ${quoteLiteral(table)}`,
        );
        expect(quarantined, table).toEqual([{ line: 3, reason: 'future_date' }]);
      }
      expect(result.tables.orders?.accepted).toBe(1);
    } finally {
      engine.close();
    }
  });
});
