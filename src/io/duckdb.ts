import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, JSDuckDBValueConverter } from '@duckdb/node-api';

export type { DuckDBConnection } from '@duckdb/node-api';

export { quoteIdent, quoteLiteral } from './sql.js';
import { quoteLiteral } from './sql.js';
import { configError } from '../core/errors.js';

export interface EngineOptions {
  /** Database file; in memory by default. */
  readonly path?: string;
  /**
   * Without `path`: keep the tables in a database file of this engine's own, beside its spill folder inside
   * `tempDirectory`, deleted on close. DuckDB compresses the tables of a database file and not those of an
   * in-memory one, and lets go of their blocks without writing them again: at 10M customers the orders and
   * customers take ~7.1 GiB in memory, most of it spilled, before any query.
   */
  readonly tablesOnDisk?: boolean;
  /** DuckDB's `memory_limit`, e.g. '4GB', or a share of the machine's memory, e.g. '50%'. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills what does not fit in `memoryLimit`. */
  readonly tempDirectory?: string;
  /** DuckDB's `max_temp_directory_size`, e.g. '20GB' (DuckDB's default: 90% of the free disk). */
  readonly maxTempDirectorySize?: string;
  readonly threads?: number;
}

/** What an engine was opened with, defaults filled in (error messages name them). */
export interface EngineSettings {
  readonly memoryLimit: string;
  readonly tempDirectory: string;
  readonly maxTempDirectorySize: string | undefined;
  readonly threads: number | undefined;
}

export interface Engine {
  readonly connection: DuckDBConnection;
  readonly settings: EngineSettings;
  /** Closes the database; a database file of the engine's own (`tablesOnDisk`) is deleted with its folder. */
  close(): void;
}

/** Share of the machine's memory DuckDB may use by default: the rest is Node's (models, clustering). */
export const DEFAULT_MEMORY_SHARE = 0.5;

/** The memory this process may use: the machine's, or its control group's limit when lower. */
export function machineMemoryBytes(): number {
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}

/** '4GB' stays as written; '50%' becomes that share of `machineMemoryBytes()`, in MiB. */
export function resolveMemoryLimit(limit: string | undefined): string {
  const share = limit === undefined ? DEFAULT_MEMORY_SHARE : percentShare(limit);
  if (share === undefined) return limit as string;
  return `${Math.max(1, Math.floor((machineMemoryBytes() * share) / 2 ** 20))}MiB`;
}

function percentShare(limit: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(limit);
  return match ? Number(match[1]) / 100 : undefined;
}

/** DuckDB ran out of the memory and temp space it was given (not a problem of one file: callers let it through). */
export function isOutOfMemory(error: unknown): boolean {
  return String((error as Error)?.message ?? '').startsWith('Out of Memory Error');
}

/**
 * An in-memory (or file-backed) DuckDB database with one connection, bounded in memory: past
 * `memoryLimit` (default: half the machine's memory) DuckDB spills to a folder of its own inside
 * `tempDirectory` (default: the system's temporary folder), which DuckDB creates when it first spills and removes
 * on close, and fails with an "Out of Memory Error" rather than growing until the system kills the process.
 */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  // A folder of this engine's own, inside the configured one: DuckDB names its spill files the same in every
  // process (duckdb_temp_storage_DEFAULT-0.tmp, …), so two runs spilling into one folder would overwrite each other's.
  const privateFolder = join(
    resolve(options.tempDirectory ?? tmpdir()),
    `personae-duckdb-${process.pid}-${randomBytes(6).toString('hex')}`,
  );
  if (options.tempDirectory !== undefined) makeSpillParent(resolve(options.tempDirectory));
  const ownFile = options.path === undefined && options.tablesOnDisk === true;
  const settings: EngineSettings = {
    memoryLimit: resolveMemoryLimit(options.memoryLimit),
    // With a database file of its own, the engine's folder holds the file, and DuckDB's spill folder inside it.
    tempDirectory: ownFile ? join(privateFolder, 'spill') : privateFolder,
    maxTempDirectorySize: options.maxTempDirectorySize,
    threads: options.threads,
  };
  if (ownFile) mkdirSync(privateFolder);
  const removeOwnFile = (): void => {
    if (ownFile) rmSync(privateFolder, { recursive: true, force: true });
  };
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(ownFile ? join(privateFolder, 'tables.duckdb') : (options.path ?? ':memory:'));
  } catch (error) {
    removeOwnFile();
    throw error;
  }
  // A process that exits without closing the engine (an uncaught error, Ctrl-C, a kill) still deletes the file:
  // at 10M customers it is 4 GB.
  const onSignal = (signal: NodeJS.Signals): void => {
    forget();
    removeOwnFile();
    // Keep the default outcome of the signal (exit 128+n) unless someone else handles it (as src/runner/lock.ts).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const forget = (): void => {
    process.off('exit', removeOwnFile);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (ownFile) {
    process.on('exit', removeOwnFile);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const connection = await instance.connect();
  // The file is deleted on close: writing every table to it once more at shutdown would be wasted.
  if (ownFile) await connection.run('PRAGMA disable_checkpoint_on_shutdown');
  // Set one by one, in this order: DuckDB resets the temp size cap when the temp directory changes.
  await connection.run(`SET temp_directory = ${quoteLiteral(settings.tempDirectory)}`);
  if (settings.maxTempDirectorySize)
    await connection.run(`SET max_temp_directory_size = ${quoteLiteral(settings.maxTempDirectorySize)}`);
  await connection.run(`SET memory_limit = ${quoteLiteral(settings.memoryLimit)}`);
  if (settings.threads) await connection.run(`SET threads = ${settings.threads}`);
  // Timestamps with an offset are converted to UTC; dates are compared as UTC days everywhere.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    connection,
    settings,
    close() {
      try {
        connection.closeSync();
        instance.closeSync();
      } finally {
        forget();
        removeOwnFile();
      }
    },
  };
}

/** DuckDB creates only the last level of its temp directory: the configured folder must exist. */
function makeSpillParent(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    configError(
      'temp_directory',
      `engine.temp_directory ${folder} cannot be created: ${(error as Error).message}`,
      'Point engine.temp_directory to a folder this user can write to, on a disk with room to spill.',
    );
  }
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

/**
 * Calls `visit` with each row of `sql` as queryRows gives it, reading the result chunk by chunk as DuckDB streams
 * it: neither DuckDB nor JavaScript holds the whole result, and each row is one object, let go unless kept.
 */
export async function forEachRow(
  connection: DuckDBConnection,
  sql: string,
  visit: (row: Record<string, unknown>) => void,
): Promise<void> {
  const result = await connection.stream(sql);
  const names = result.columnNames();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const columns = names.map((_, j) => chunk.convertColumnValues(j, JSDuckDBValueConverter));
    for (let i = 0; i < chunk.rowCount; i++) {
      const row: Record<string, unknown> = {};
      names.forEach((name, j) => (row[name] = normaliseValue(columns[j]?.[i])));
      visit(row);
    }
  }
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

/** BIGINT as a number when safe, else its decimal string; other values as they are. */
export function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

/** A row with BIGINT values as numbers when safe (else strings), as every engine returns them. */
export function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
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
