import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCKDB, POSTGRESQL, type SqlDialect } from '../../src/engine/dialect.js';
import { duckdbEngine } from '../../src/engine/duckdb.js';
import type { SqlEngine } from '../../src/engine/engine.js';
import { openPostgresEngine, type PostgresEngine } from '../../src/engine/postgres.js';
import { openEngine, type Engine } from '../../src/io/duckdb.js';
import { quoteLiteral } from '../../src/io/sql.js';
import { HOW_TO_START, testServers } from './servers.js';

const servers = testServers();

/** Texts a declared birth year may hold, as they reach the dialects' lenient integer cast. */
const NUMBERS = [
  '1990',
  ' 1990 ',
  '+1990',
  '-5',
  '1990.0',
  '1990.6',
  '1990.5',
  '-2.5',
  '1e3',
  '2E+3',
  '.5',
  '',
  'abc',
  '19 90',
  '99999999999',
  '2147483647',
  '2147483648',
  '１９９０',
  '1990\t',
];

async function values(
  engine: SqlEngine,
  expression: (x: string) => string,
  inputs: string[],
): Promise<unknown[]> {
  const rows = inputs.map((v, i) => `SELECT ${i} AS i, ${quoteLiteral(v)} AS x`).join(' UNION ALL ');
  const result = await engine.query<{ v: unknown }>(
    `SELECT ${expression('x')} AS v FROM (${rows}) AS t ORDER BY i`,
  );
  return result.map((r) => r.v);
}

describe.skipIf(!servers)(servers ? 'the two dialects give the same values' : HOW_TO_START, () => {
  let duck: Engine;
  let pg: PostgresEngine;

  beforeAll(async () => {
    duck = await openEngine({ threads: 1 });
    pg = await openPostgresEngine(servers!.single);
  });

  afterAll(async () => {
    duck?.close();
    await pg?.close();
  });

  it('reads numbers as DuckDB TRY_CAST does (rounding half away from zero, NULL out of range)', async () => {
    const fromDuck = await values(duckdbEngine(duck.connection), (x) => DUCKDB.tryInteger(x), NUMBERS);
    const fromPg = await values(pg, (x) => POSTGRESQL.tryInteger(x), NUMBERS);
    expect(fromDuck).toEqual([
      1990,
      1990,
      1990,
      -5,
      1990,
      1991,
      1991,
      -3,
      1000,
      2000,
      1,
      null,
      null,
      null,
      null,
      2147483647,
      null,
      null,
      1990,
    ]);
    expect(fromPg).toEqual(fromDuck);
  });

  it('gives the month of every day from 1899 to 2101 as DuckDB does (integer arithmetic in PostgreSQL)', async () => {
    const sql = (d: SqlDialect): string =>
      `SELECT count(*) AS days, sum(${d.month('day')} * (1 + day_number % 7)) AS weighted FROM (
         SELECT CAST(DATE '1899-01-01' + CAST(n AS INTEGER) AS DATE) AS day, n AS day_number FROM generate_series(0, 73800) AS g (n)) AS days`;
    const [fromDuck] = await duckdbEngine(duck.connection).query<{ days: number; weighted: number }>(
      sql(DUCKDB),
    );
    const [fromPg] = await pg.query<{ days: number; weighted: number }>(sql(POSTGRESQL));
    expect(fromDuck?.days).toBe(73801);
    expect(fromPg).toEqual(fromDuck);
  });

  it('splits, lower-cases and finds multi-valued answers alike', async () => {
    const answers = ['Running | Yoga', ' yoga|', '||', 'RUNNING', ''];
    const test = (d: SqlDialect) => (x: string) => `coalesce(${d.listContains(d.items(x), "'yoga'")}, FALSE)`;
    const fromDuck = await values(duckdbEngine(duck.connection), test(DUCKDB), answers);
    expect(fromDuck).toEqual([true, true, false, false, false]);
    expect(await values(pg, test(POSTGRESQL), answers)).toEqual(fromDuck);
  });
});
