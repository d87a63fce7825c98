import { resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type { DuckDBConnection } from '@duckdb/node-api';

export { quoteIdent, quoteLiteral } from './sql.js';
import { quoteLiteral } from './sql.js';

export interface Engine {
  readonly connection: DuckDBConnection;
  close(): void;
}

/** An in-memory (or file-backed) DuckDB database with one connection. */
export async function openEngine(path = ':memory:', threads?: number): Promise<Engine> {
  const instance = await DuckDBInstance.create(path, threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  // Timestamps with an offset are converted to UTC; dates are compared as UTC days everywhere.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs `fn` with a fresh in-memory database, closing it afterwards (tests and one-off jobs). */
export async function withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const engine = await openEngine();
  try {
    return await fn(engine.connection);
  } finally {
    engine.close();
  }
}

/** Rows as plain JS objects (BIGINT → number when safe, DATE/TIMESTAMP → Date). */
export async function queryRows<T = Record<string, unknown>>(
  connection: DuckDBConnection,
  sql: string,
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => normaliseRow(row) as T);
}

export async function queryValue<T = unknown>(connection: DuckDBConnection, sql: string): Promise<T> {
  const rows = await queryRows(connection, sql);
  const first = rows[0];
  if (!first) throw new Error(`query returned no rows: ${sql.slice(0, 80)}`);
  return Object.values(first)[0] as T;
}

/** Columns as arrays, for numeric work (Float64Array-friendly). */
export async function queryColumns(
  connection: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown[]>> {
  const reader = await connection.runAndReadAll(sql);
  const columns = reader.getColumnsObjectJS() as Record<string, unknown[]>;
  for (const key of Object.keys(columns)) columns[key] = (columns[key] ?? []).map(normaliseValue);
  return columns;
}

export async function exec(connection: DuckDBConnection, sql: string): Promise<void> {
  await connection.run(sql);
}

export async function tableExists(connection: DuckDBConnection, name: string): Promise<boolean> {
  const n = await queryValue<number>(
    connection,
    `SELECT count(*) FROM information_schema.tables WHERE table_name = ${quoteLiteral(name)}`,
  );
  return Number(n) > 0;
}

export async function tableColumns(connection: DuckDBConnection, name: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(
    connection,
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${quoteLiteral(name)} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

/** The files an engine may touch once locked: the input files it reads and the folders it writes into. */
export interface FileAccess {
  readonly readFiles: readonly string[];
  readonly writeDirs: readonly string[];
}

/**
 * Locks an engine to the files it needs, so that no SQL it runs (a config's column expression, a segment
 * rule, a bug) can read or write anything else: DuckDB's `allowed_paths` and `allowed_directories` list
 * them, `enable_external_access = false` closes every other file, directory, database and extension, and
 * `lock_configuration` makes this final for the engine. Call it after every other engine setting.
 */
export async function restrictFileAccess(connection: DuckDBConnection, access: FileAccess): Promise<void> {
  const list = (paths: readonly string[]): string => `[${paths.map((p) => quoteLiteral(resolve(p))).join(', ')}]`;
  await connection.run(`SET allowed_paths = ${list(access.readFiles)}`);
  await connection.run(`SET allowed_directories = ${list(access.writeDirs)}`);
  await connection.run('SET autoinstall_known_extensions = false');
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
