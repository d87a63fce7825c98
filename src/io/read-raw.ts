import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inputError } from '../core/errors.js';
import type { RawColumn } from '../contract/mapping.js';
import { exec, isOutOfMemory, queryRows, queryValue } from './duckdb.js';
import { scanLines } from './text-lines.js';
import type { SourceFile } from './find-sources.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

export interface RawTable {
  readonly source: SourceFile;
  readonly columns: RawColumn[];
  /** Records in the file (header excluded), malformed ones included. */
  readonly rowsRead: number;
  /** CSV lines that could not be parsed into a record, with their physical line numbers. */
  readonly malformed: number;
  /** 'line': `_line` is the physical line (header = 1); 'row': the 1-based record number. */
  readonly numbering: 'line' | 'row';
  readonly warnings: string[];
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? '';
}

/**
 * Loads a file into `raw_<table>` (its own columns, CSV as text) with `_line`, and CSV lines that do not
 * parse into `malformed_<table>(_line, content)`. Nothing is dropped: every record is in one or the other.
 */
export async function readRawTable(connection: DuckDBConnection, source: SourceFile): Promise<RawTable> {
  const { table, path, name } = source;
  if (statSync(path).size === 0) {
    inputError(
      'file_empty',
      `${name} is empty (0 bytes)`,
      `Export the ${table} table again, with a header row.`,
    );
  }
  const raw = q(`raw_${table}`);
  const malformed = q(`malformed_${table}`);
  const warnings: string[] = [];
  try {
    if (source.format === 'csv') {
      return await readCsv(connection, source, raw, malformed, warnings);
    }
    const reader =
      source.format === 'parquet'
        ? `read_parquet(${lit(path)}, file_row_number = true)`
        : `(SELECT *, row_number() OVER () - 1 AS file_row_number FROM read_json(${lit(path)}, format = 'auto'))`;
    await exec(
      connection,
      `CREATE OR REPLACE TABLE ${raw} AS SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _line FROM ${reader}`,
    );
    await exec(connection, `CREATE OR REPLACE TABLE ${malformed} (_line BIGINT, content VARCHAR)`);
  } catch (error) {
    if ((error as { kind?: string }).kind || isOutOfMemory(error)) throw error;
    inputError(
      'file_unreadable',
      `${name} cannot be read as ${source.format.toUpperCase()}: ${firstLine(error)}`,
      'Check that the file is complete and in the format its extension says.',
    );
  }
  const columns = await describe(connection, raw);
  const rowsRead = Number(await queryValue(connection, `SELECT count(*) FROM ${raw}`));
  return { source, columns, rowsRead, malformed: 0, numbering: 'row', warnings };
}

/** DuckDB's "Maximum line size … exceeded" as a message naming the line and what usually causes it. */
async function lineTooLong(error: unknown, source: SourceFile): Promise<never> {
  const match = /Maximum line size of (\d+) bytes exceeded/.exec(String((error as Error)?.message ?? ''));
  if (!match) throw error;
  const max = Number(match[1]);
  const long = (await scanLines(source.path, max)).firstLongLine;
  const where = long ? `line ${long.line} is ${long.bytes.toLocaleString('en')} bytes long` : 'a record is too long';
  inputError(
    'line_too_long',
    `${source.name}: ${where}; the longest line Personae reads is ${max.toLocaleString('en')} bytes`,
    'Look at the file around that line: a quote left open joins the following lines into one field, and a file ' +
      'written without line breaks (or a JSON or binary file named .csv) is one line. Export the table again as CSV ' +
      'with one record per line; no single field may be longer than 2 MB.',
  );
}

async function describe(connection: DuckDBConnection, table: string): Promise<RawColumn[]> {
  const rows = await queryRows<{ column_name: string; column_type: string }>(connection, `DESCRIBE ${table}`);
  return rows
    .filter((r) => r.column_name !== '_line')
    .map((r) => ({ name: r.column_name, type: r.column_type }));
}

async function readCsv(
  connection: DuckDBConnection,
  source: SourceFile,
  raw: string,
  malformed: string,
  warnings: string[],
): Promise<RawTable> {
  const { path, name, table } = source;
  const rejects = q(`rejects_${table}`);
  const scans = q(`reject_scans_${table}`);
  // The quote is RFC 4180's, never sniffed: a file whose first rows hold no quote would otherwise be read
  // without one, and a quoted field further down (a comma, or a CRLF from Excel's Alt+Enter) would break.
  await exec(
    connection,
    `CREATE OR REPLACE TEMP TABLE parsed_csv AS SELECT row_number() OVER () AS _record, * FROM read_csv(${lit(path)},
      all_varchar = true, header = true, quote = '"', store_rejects = true, rejects_table = ${lit(`rejects_${table}`)},
      rejects_scan = ${lit(`reject_scans_${table}`)}, strict_mode = true${source.separator ? `, delim = ${lit(source.separator)}` : ''})`,
  ).catch((error: unknown) => lineTooLong(error, source));
  await exec(
    connection,
    `CREATE OR REPLACE TABLE ${malformed} AS SELECT CAST(line AS BIGINT) AS _line, any_value(csv_line) AS content
     FROM ${rejects} GROUP BY line ORDER BY line`,
  );
  // Physical lines, to give accepted records their real line numbers (one record per line is the norm).
  const { lines } = await scanLines(path);
  const [counts] = await queryRows<{ records: number; bad: number }>(
    connection,
    `SELECT (SELECT count(*) FROM parsed_csv) AS records, (SELECT count(*) FROM ${malformed}) AS bad`,
  );
  const { records, bad } = counts as { records: number; bad: number };
  const oneRecordPerLine = lines - 1 === records + bad;
  if (oneRecordPerLine) {
    await exec(
      connection,
      `CREATE OR REPLACE TABLE ${raw} AS
       WITH good AS (SELECT line, row_number() OVER (ORDER BY line) AS _record FROM range(2, ${lines + 1}) t(line)
                     WHERE line NOT IN (SELECT _line FROM ${malformed}))
       SELECT p.* EXCLUDE (_record), g.line AS _line FROM parsed_csv p JOIN good g USING (_record) ORDER BY _line`,
    );
  } else {
    warnings.push(
      `${name}: some records span several lines, so quarantine line numbers are record numbers + 1`,
    );
    await exec(
      connection,
      `CREATE OR REPLACE TABLE ${raw} AS SELECT * EXCLUDE (_record), _record + 1 AS _line FROM parsed_csv`,
    );
  }
  await exec(
    connection,
    `DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scans}; DROP TABLE parsed_csv`,
  );
  const columns = await describe(connection, raw);
  if (records + bad === 0) warnings.push(`${name}: the file has a header but no rows`);
  return {
    source,
    columns,
    rowsRead: records + bad,
    malformed: bad,
    numbering: oneRecordPerLine ? 'line' : 'row',
    warnings,
  };
}
