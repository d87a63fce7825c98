import { quoteLiteral as lit } from '../io/sql.js';
import { withTimes } from './locale.js';

/**
 * A table's date format: a strptime format the user set (`date_format: '%d/%m/%Y'`; a date-only format also
 * reads the same date followed by a time), or the formats detected in the file, tried after ISO 8601.
 */
export type DateFormat = string | { readonly detected: true; readonly formats: readonly string[] };

/** A date and a time, then an optional zone (groups: day, time, zone). */
const ZONED =
  '^(\\d{4}-\\d{1,2}-\\d{1,2})[T ](\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)\\s*(Z|z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?$';

/**
 * The one parser of every timestamp of every table: text → a UTC `TIMESTAMP`, or NULL when it cannot be
 * read (the caller quarantines it, or fails closed).
 *
 * Without a format, ISO 8601 as exports write it: a date (`2025-03-01`), or a date and a time
 * (`2025-03-01T14:05`, `2025-03-01 14:05:00.123`) with an optional zone: `Z`, `UTC`, `GMT` or a numeric
 * offset (`+02`, `+0200`, `+02:00`, `-05:30`, up to ±14:00). An offset is applied: `2026-01-01T00:30:00+02:00`
 * is 2025-12-31 22:30 UTC. A timestamp without a zone is taken as UTC.
 *
 * Why a grammar and not DuckDB's casts: `CAST(… AS TIMESTAMP)` accepts an offset and silently drops it,
 * and `CAST(… AS TIMESTAMPTZ)` accepts zone names (`America/New_York`) but then reads the next rows of the
 * same vector in that zone (DuckDB 1.5.6). Anything outside the grammar (zone names, `31/12/2025`,
 * `yesterday`, `epoch`, `infinity`) is unreadable here, never read as something else.
 *
 * With a strptime `format` (a table's `date_format`), DuckDB's `strptime` reads it (a date-only format
 * also reads that date followed by `%H:%M` or `%H:%M:%S`); `%z`/`%Z` in the format give an instant that is
 * converted to UTC. Formats detected in the file (`{detected, formats}`) are tried after ISO 8601.
 */
export function utcTimestampSql(text: string, format?: DateFormat): string {
  if (format !== undefined) {
    const formats = typeof format === 'string' ? withTimes(format) : format.formats;
    const list = `[${formats.map(lit).join(', ')}]`;
    const parsed = `try_strptime(${text}, ${list})`;
    const utc = formats.some((f) => /%[zZ]/.test(f)) ? `timezone('UTC', ${parsed})` : `CAST(${parsed} AS TIMESTAMP)`;
    // A format found in the data reads its dates; ISO 8601 dates of the same column still read as ISO.
    return typeof format === 'string' ? utc : `coalesce(${isoTimestampSql(text)}, ${utc})`;
  }
  return isoTimestampSql(text);
}

function isoTimestampSql(text: string): string {
  // Most rows carry no numeric offset: DuckDB's cast reads them exactly (a Z, UTC or GMT suffix is zero
  // offset) and cheap tests, not a regular expression, pick them (the first character is a digit: no
  // 'epoch' or 'infinity'; no '+' anywhere, no '-' after the time). Only the rest pays for the grammar.
  const plain = `${text} >= '0' AND ${text} < ':' AND NOT contains(${text}, '+') AND ${text} NOT LIKE '%:%-%'`;
  const parts = `regexp_extract(${text}, ${lit(ZONED)}, ['day', 'time', 'zone'])`;
  const wall = `TRY_CAST(${parts}.day || ' ' || replace(${parts}.time, ',', '.') AS TIMESTAMP)`;
  return `coalesce(CASE WHEN ${plain} THEN TRY_CAST(${text} AS TIMESTAMP) END,
    CASE WHEN regexp_full_match(${text}, ${lit(ZONED)}) THEN ${wall} - ${offsetSql(`${parts}.zone`)} END)`;
}

/** The zone's offset from UTC as an INTERVAL (NULL for an offset no place on Earth uses). */
function offsetSql(zone: string): string {
  const digits = `replace(${zone}[2:], ':', '')`;
  const minutes = `(TRY_CAST(${digits}[1:2] AS INTEGER) * 60 + coalesce(TRY_CAST(nullif(${digits}[3:4], '') AS INTEGER), 0))`;
  // list_contains, not IN: DuckDB turns an IN list of five values into a join, which computes the zone (a
  // regular expression) for every row instead of only for the rows that reach this branch.
  return `CASE WHEN list_contains(['', 'Z', 'z', 'UTC', 'GMT'], ${zone}) THEN INTERVAL 0 MINUTE
    WHEN ${minutes} <= 14 * 60 AND coalesce(TRY_CAST(nullif(${digits}[3:4], '') AS INTEGER), 0) < 60
      THEN to_minutes(CASE WHEN ${zone}[1] = '-' THEN -1 ELSE 1 END * ${minutes}) END`;
}
