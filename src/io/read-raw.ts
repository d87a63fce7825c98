import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inputError } from '../core/errors.js';
import type { RawColumn } from '../contract/mapping.js';
import { lineBreaksSql } from '../contract/validation-sql.js';
import { countLines } from './count-lines.js';
import { exec, isOutOfMemory, queryRows, queryValue } from './duckdb.js';
import { scanLines } from './text-lines.js';
import type { SourceFile } from './find-sources.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

/**
 * `raw_<t>` numbers its records by `_record` (1, 2, … in file order, malformed CSV lines excluded);
 * `line_map_<t>(from_record, line_offset)` turns a record number into the line a user opens the file at:
 * `_record + line_offset` of the last `from_record <= _record` (see {@link lineOfRecordSql}).
 */
export interface RawTable {
  readonly source: SourceFile;
  readonly columns: RawColumn[];
  /** Records in the file (header excluded), malformed ones included. */
  readonly rowsRead: number;
  /** CSV lines that could not be parsed into a record, with their physical line numbers. */
  readonly malformed: number;
  /**
   * 'line': line numbers are the lines of the file as an editor shows them (header = 1), records spanning
   * several lines included; 'row': the 1-based record number (Parquet, JSON); 'approximate': a CSV file with
   * blank lines, which the reader skips without telling where, so later line numbers may be a little low.
   */
  readonly numbering: 'line' | 'row' | 'approximate';
  readonly warnings: string[];
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? '';
}

/** A file opened as the view `raw_<table>`: nothing is read until validation scans it, once. */
export interface RawSource {
  readonly source: SourceFile;
  readonly columns: RawColumn[];
  /** CSV: the file's lines as an editor counts them, counted while DuckDB parses it. */
  readonly physicalLines?: Promise<number>;
}

/**
 * Opens a file as the view `raw_<table>`: its own columns (CSV as text) and `_record`, the record's
 * position in the file. Validation reads it in one scan; CSV lines that do not parse are collected by
 * DuckDB meanwhile, and {@link finishRawTable} turns them into `malformed_<table>(_line, content)`.
 */
export async function openRawTable(connection: DuckDBConnection, source: SourceFile): Promise<RawSource> {
  const { table, path, name } = source;
  if (statSync(path).size === 0) {
    inputError(
      'file_empty',
      `${name} is empty (0 bytes)`,
      `Export the ${table} table again, with a header row.`,
    );
  }
  const raw = q(`raw_${table}`);
  const reader =
    source.format === 'csv'
      ? `(SELECT row_number() OVER () AS _record, * FROM read_csv(${lit(path)}, all_varchar = true, header = true,
          quote = '"', store_rejects = true, rejects_table = ${lit(`rejects_${table}`)},
          rejects_scan = ${lit(`reject_scans_${table}`)}, strict_mode = true${source.separator ? `, delim = ${lit(source.separator)}` : ''}))`
      : source.format === 'parquet'
        ? `(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _record
            FROM read_parquet(${lit(path)}, file_row_number = true))`
        : `(SELECT row_number() OVER () AS _record, * FROM read_json(${lit(path)}, format = 'auto'))`;
  // The quote is RFC 4180's, never sniffed: a file whose first rows hold no quote would otherwise be read
  // without one, and a quoted field further down (a comma, or a CRLF from Excel's Alt+Enter) would break.
  const columns = await readingFile(source, async () => {
    await exec(connection, `CREATE OR REPLACE VIEW ${raw} AS SELECT * FROM ${reader}`);
    return describe(connection, raw);
  });
  if (source.format !== 'csv') return { source, columns };
  const physicalLines = countLines(path);
  // Settled even if DuckDB fails first, so that no rejection is left unhandled.
  physicalLines.catch(() => undefined);
  return { source, columns, physicalLines };
}

/** Runs `read` (which reads the file), turning DuckDB's reading errors into a message about the file. */
export async function readingFile<T>(source: SourceFile, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { kind?: string }).kind || isOutOfMemory(error)) throw error;
    if (source.format === 'csv' && MAX_LINE.test(String((error as Error)?.message ?? ''))) return lineTooLong(error, source);
    return inputError(
      'file_unreadable',
      `${source.name} cannot be read as ${source.format.toUpperCase()}: ${firstLine(error)}`,
      'Check that the file is complete and in the format its extension says.',
    );
  }
}

const MAX_LINE = /Maximum line size of (\d+) bytes exceeded/;

/** DuckDB's "Maximum line size … exceeded" as a message naming the line and what usually causes it. */
async function lineTooLong(error: unknown, source: SourceFile): Promise<never> {
  const match = MAX_LINE.exec(String((error as Error)?.message ?? ''));
  if (!match) throw error;
  const max = Number(match[1]);
  const long = (await scanLines(source.path, max)).firstLongLine;
  const where = long ? `line ${long.line} is ${long.bytes.toLocaleString('en')} bytes long` : 'a record is too long';
  return inputError(
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
    .filter((r) => r.column_name !== '_record')
    .map((r) => ({ name: r.column_name, type: r.column_type }));
}

/**
 * After the one scan of `raw_<table>` into `scanned` (a table with `_record`, and for CSV `_breaks`: the
 * line breaks inside a record's quoted fields, NULL for none): `malformed_<table>` and `line_map_<table>`,
 * and the counts. Drops the view.
 */
export async function finishRawTable(
  connection: DuckDBConnection,
  raw: RawSource,
  scanned: string,
): Promise<RawTable> {
  const { table } = raw.source;
  const warnings: string[] = [];
  const malformed = q(`malformed_${table}`);
  let result: RawTable;
  if (raw.physicalLines) {
    result = await finishCsv(connection, raw, raw.physicalLines, scanned, warnings);
  } else {
    await exec(connection, `CREATE OR REPLACE TABLE ${malformed} (_line BIGINT, content VARCHAR); ${lineMapSql(table, 0)}`);
    const rowsRead = Number(await queryValue(connection, `SELECT count(*) FROM ${q(scanned)}`));
    result = { source: raw.source, columns: raw.columns, rowsRead, malformed: 0, numbering: 'row', warnings };
  }
  await exec(connection, `DROP VIEW ${q(`raw_${table}`)}`);
  return result;
}

/**
 * The line (or row) number of `record`, a `_record` of `raw_<table>` (offsets never decrease along the
 * file, so the last shift before a record is the largest). For the few rows a user is shown, not a scan.
 */
export function lineOfRecordSql(table: string, record: string): string {
  return `(${record} + (SELECT max(m.line_offset) FROM ${q(`line_map_${table}`)} m WHERE m.from_record <= ${record}))`;
}

function lineMapSql(table: string, offset: number): string {
  return `CREATE OR REPLACE TABLE ${q(`line_map_${table}`)} AS SELECT 0::BIGINT AS from_record, ${offset}::BIGINT AS line_offset`;
}

/**
 * DuckDB parsed the file once, numbering records in file order and reporting each malformed record with
 * its line counted as one line per record (blank lines included). The few exceptions to "one record per
 * line" — malformed records and records with line breaks inside quoted fields — are placed in order, and
 * `line_map_<t>` shifts the records after each one.
 */
async function finishCsv(
  connection: DuckDBConnection,
  raw: RawSource,
  physicalLines: Promise<number>,
  scanned: string,
  warnings: string[],
): Promise<RawTable> {
  const { name, table } = raw.source;
  const rejects = q(`rejects_${table}`);
  const scans = q(`reject_scans_${table}`);
  const malformed = q(`malformed_${table}`);
  const headerBreaks = raw.columns.reduce((sum, c) => sum + (c.name.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  // DuckDB gives a malformed record's text with the line break before it in a CRLF file: trimmed. A record
  // is listed once per problem (and once per scan): grouped by line.
  // Events in file order: a multi-line record (after `accepted_before` records, itself included), or a
  // malformed record (after `accepted_before` records). Each shifts the lines of the records after it.
  await exec(
    connection,
    `CREATE OR REPLACE TEMP TABLE csv_events AS
     WITH rejected AS (SELECT CAST(line AS BIGINT) AS reader_line,
                         trim(any_value(csv_line), chr(13) || chr(10)) AS content
                       FROM ${rejects} GROUP BY line),
     events AS (
       SELECT _record AS accepted_before, 0 AS is_malformed, _breaks AS breaks,
              NULL::BIGINT AS reader_line, NULL::VARCHAR AS content
       FROM ${q(scanned)} WHERE _breaks IS NOT NULL
       UNION ALL
       SELECT reader_line - 1 - row_number() OVER (ORDER BY reader_line), 1, ${lineBreaksSql('content')}, reader_line, content
       FROM rejected)
     SELECT *, sum(breaks) OVER w AS breaks_through, sum(is_malformed) OVER w AS malformed_through
     FROM events WINDOW w AS (ORDER BY accepted_before, is_malformed, reader_line ROWS UNBOUNDED PRECEDING)`,
  );
  const base = 1 + headerBreaks;
  await exec(
    connection,
    `CREATE OR REPLACE TABLE ${malformed} AS
     SELECT reader_line + ${headerBreaks} + breaks_through - breaks AS _line, content
     FROM csv_events WHERE is_malformed = 1 ORDER BY _line;
     ${lineMapSql(table, base)};
     INSERT INTO ${q(`line_map_${table}`)}
     SELECT accepted_before + 1, ${base} + max(malformed_through + breaks_through)
     FROM csv_events GROUP BY accepted_before ORDER BY 1`,
  );
  const [counts] = await queryRows<{ records: number; bad: number; breaks: number }>(
    connection,
    `SELECT (SELECT count(*) FROM ${q(scanned)}) AS records, (SELECT count(*) FROM ${malformed}) AS bad,
            (SELECT coalesce(sum(breaks), 0) FROM csv_events) AS breaks`,
  );
  const { records, bad, breaks } = counts as { records: number; bad: number; breaks: number };
  await exec(connection, `DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scans}; DROP TABLE csv_events`);
  // Every line is the header, a record or a line break inside one; any other line is a blank one.
  const blank = (await physicalLines) - (1 + headerBreaks + records + bad + Number(breaks));
  if (blank > 0) {
    warnings.push(
      `${name}: ${blank} blank line(s) inside the file are skipped; the line numbers of quarantined rows after one may be up to ${blank} too low`,
    );
  }
  if (records + bad === 0) warnings.push(`${name}: the file has a header but no rows`);
  return {
    source: raw.source,
    columns: raw.columns,
    rowsRead: records + bad,
    malformed: bad,
    numbering: blank > 0 ? 'approximate' : 'line',
    warnings,
  };
}
