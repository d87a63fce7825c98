import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, quoteIdent, quoteLiteral, withConnection, type DuckDBConnection } from './duckdb.js';
import { listCsvChunks, listJsonChunks, type ExportSummary, type StreamedList } from '../segments/exports.js';
import { copyToCsv } from './write-csv.js';
import { SCORE_COLUMNS, type ScoreColumnType } from '../segments/scores.js';

export interface ColumnDeclaration {
  readonly name: string;
  readonly type: ScoreColumnType;
  /** NOT NULL: a missing value is a bug upstream and fails the write. */
  readonly required?: boolean;
}

export interface WrittenFiles {
  readonly files: readonly string[];
}

export interface WrittenTable extends WrittenFiles {
  /** Rows written. */
  readonly rows: number;
}

/**
 * Writes `dir/exports/<list>.csv` and `.json` for every audience list, and `dir/exports/summary.json`.
 * Lists are written even when empty (headers only), so a marketer sees the segment exists but no one in it
 * may be contacted. Files are written to a temporary name and renamed, so a reader never sees half a file.
 * Lists may come one at a time (`exportLists` in src/segments/exports.ts) and each file is written in pieces: no
 * more than one list is held, and no file's whole text.
 */
export async function writeExports(
  dir: string,
  result: { readonly lists: Iterable<StreamedList>; readonly summary: ExportSummary | (() => ExportSummary) },
  asOf: Date,
): Promise<WrittenFiles> {
  const out = join(dir, 'exports');
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  for (const list of result.lists) {
    files.push(await writeAtomically(join(out, `${list.name}.csv`), listCsvChunks(list)));
    files.push(await writeAtomically(join(out, `${list.name}.json`), listJsonChunks(list, asOf)));
  }
  const summary = typeof result.summary === 'function' ? result.summary() : result.summary;
  files.push(await writeAtomically(join(out, 'summary.json'), [`${JSON.stringify(summary, null, 2)}\n`]));
  return { files };
}

/**
 * Writes `dir/scores.parquet` and `dir/scores.csv` from rows whose keys are the declared columns (the scores
 * table by default). Rows go through DuckDB's appender into a typed table (dates as ISO text, cast on
 * export), then COPY writes both files (the CSV through `copyToCsv`, defused); missing keys become NULL.
 * Given the run's connection, the table is staged there (under its `memory_limit`, spilling if need be) and
 * dropped afterwards; without one, in a fresh in-memory database.
 */
export async function writeScores<Row extends object>(
  dir: string,
  rows: Iterable<Row>,
  columns: readonly ColumnDeclaration[] = SCORE_COLUMNS,
  connection?: DuckDBConnection,
): Promise<WrittenTable> {
  await mkdir(dir, { recursive: true });
  const parquet = join(dir, 'scores.parquet');
  const csv = join(dir, 'scores.csv');
  const write = async (db: DuckDBConnection, table: string): Promise<number> => {
    const loaded = await loadRows(db, table, rows, columns);
    const select = `SELECT ${columns.map((c) => (c.type === 'DATE' ? `CAST(${quoteIdent(c.name)} AS DATE) AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ')} FROM ${quoteIdent(table)} ORDER BY rowid`;
    await exec(db, `COPY (${select}) TO ${quoteLiteral(`${parquet}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`);
    await copyToCsv(db, select, `${csv}.tmp`);
    return loaded;
  };
  let count: number;
  if (connection) {
    // A second in-memory database would hold the whole table beside the run's, outside its memory limit.
    const table = 'personae_scores_written';
    try {
      count = await write(connection, table);
    } finally {
      await exec(connection, `DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    }
  } else {
    count = await withConnection((db) => write(db, 'scores'));
  }
  await rename(`${parquet}.tmp`, parquet);
  await rename(`${csv}.tmp`, csv);
  return { files: [parquet, csv], rows: count };
}

async function loadRows(
  connection: DuckDBConnection,
  table: string,
  rows: Iterable<object>,
  columns: readonly ColumnDeclaration[],
): Promise<number> {
  const staged = columns.map(
    (c) => `${quoteIdent(c.name)} ${c.type === 'DATE' ? 'VARCHAR' : c.type}${c.required ? ' NOT NULL' : ''}`,
  );
  await exec(connection, `CREATE TABLE ${quoteIdent(table)} (${staged.join(', ')})`);
  const appender = await connection.createAppender(table);
  let i = 0;
  try {
    for (const row of rows) {
      const values = row as Readonly<Record<string, unknown>>;
      for (const column of columns) appendValue(appender, column, values[column.name], i);
      appender.endRow();
      i += 1;
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return i;
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function appendValue(appender: Appender, column: ColumnDeclaration, value: unknown, row: number): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'VARCHAR':
    case 'DATE':
      if (typeof value !== 'string') wrongType(column, value, row);
      appender.appendVarchar(value as string);
      return;
    case 'DOUBLE':
      if (typeof value !== 'number') wrongType(column, value, row);
      appender.appendDouble(value as number);
      return;
    case 'INTEGER':
      if (!Number.isInteger(value)) wrongType(column, value, row);
      appender.appendInteger(value as number);
      return;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') wrongType(column, value, row);
      appender.appendBoolean(value as boolean);
      return;
  }
}

// A function of its own, not a closure made for every value appended: this runs for every cell of the table.
function wrongType(column: ColumnDeclaration, value: unknown, row: number): never {
  throw new Error(`scores row ${row + 1}, column ${column.name}: ${JSON.stringify(value)} is not a ${column.type}`);
}

async function writeAtomically(path: string, chunks: Iterable<string>): Promise<string> {
  const tmp = `${path}.tmp`;
  try {
    const file = await open(tmp, 'w');
    try {
      // writeFile on a handle writes the whole chunk from the current position (write() may write part of it).
      for (const chunk of chunks) await file.writeFile(chunk, 'utf8');
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return path;
}
