import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, quoteIdent, quoteLiteral, withConnection, type DuckDBConnection } from './duckdb.js';
import { listToCsv, listToJson, type ExportResult } from '../segments/exports.js';
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

/**
 * Writes `dir/exports/<list>.csv` and `.json` for every audience list, and `dir/exports/summary.json`.
 * Lists are written even when empty (headers only), so a marketer sees the segment exists but no one in it
 * may be contacted. Files are written to a temporary name and renamed, so a reader never sees half a file.
 */
export async function writeExports(dir: string, result: ExportResult, asOf: Date): Promise<WrittenFiles> {
  const out = join(dir, 'exports');
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  for (const list of result.lists) {
    files.push(await writeAtomically(join(out, `${list.name}.csv`), listToCsv(list)));
    files.push(await writeAtomically(join(out, `${list.name}.json`), listToJson(list, asOf)));
  }
  files.push(
    await writeAtomically(join(out, 'summary.json'), `${JSON.stringify(result.summary, null, 2)}\n`),
  );
  return { files };
}

/**
 * Writes `dir/scores.parquet` and `dir/scores.csv` from rows whose keys are the declared columns (the scores
 * table by default). Rows go through DuckDB's appender into a typed table (dates as ISO text, cast on
 * export), then COPY writes both files (the CSV through `copyToCsv`, defused); missing keys become NULL.
 */
export async function writeScores<Row extends object>(
  dir: string,
  rows: readonly Row[],
  columns: readonly ColumnDeclaration[] = SCORE_COLUMNS,
): Promise<WrittenFiles> {
  await mkdir(dir, { recursive: true });
  const parquet = join(dir, 'scores.parquet');
  const csv = join(dir, 'scores.csv');
  await withConnection(async (connection) => {
    await loadRows(connection, 'scores', rows, columns);
    const select = `SELECT ${columns.map((c) => (c.type === 'DATE' ? `CAST(${quoteIdent(c.name)} AS DATE) AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ')} FROM scores ORDER BY rowid`;
    await exec(
      connection,
      `COPY (${select}) TO ${quoteLiteral(`${parquet}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await copyToCsv(connection, select, `${csv}.tmp`);
  });
  await rename(`${parquet}.tmp`, parquet);
  await rename(`${csv}.tmp`, csv);
  return { files: [parquet, csv] };
}

async function loadRows(
  connection: DuckDBConnection,
  table: string,
  rows: readonly object[],
  columns: readonly ColumnDeclaration[],
): Promise<void> {
  const staged = columns.map(
    (c) => `${quoteIdent(c.name)} ${c.type === 'DATE' ? 'VARCHAR' : c.type}${c.required ? ' NOT NULL' : ''}`,
  );
  await exec(connection, `CREATE TABLE ${quoteIdent(table)} (${staged.join(', ')})`);
  const appender = await connection.createAppender(table);
  try {
    for (const [i, row] of rows.entries()) {
      const values = row as Readonly<Record<string, unknown>>;
      for (const column of columns) appendValue(appender, column, values[column.name], i);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function appendValue(appender: Appender, column: ColumnDeclaration, value: unknown, row: number): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  const wrong = (): never => {
    throw new Error(
      `scores row ${row + 1}, column ${column.name}: ${JSON.stringify(value)} is not a ${column.type}`,
    );
  };
  switch (column.type) {
    case 'VARCHAR':
    case 'DATE':
      if (typeof value !== 'string') wrong();
      appender.appendVarchar(value as string);
      return;
    case 'DOUBLE':
      if (typeof value !== 'number') wrong();
      appender.appendDouble(value as number);
      return;
    case 'INTEGER':
      if (!Number.isInteger(value)) wrong();
      appender.appendInteger(value as number);
      return;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') wrong();
      appender.appendBoolean(value as boolean);
      return;
  }
}

async function writeAtomically(path: string, text: string): Promise<string> {
  const tmp = `${path}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return path;
}
