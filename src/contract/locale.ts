import { quoteLiteral as lit } from '../io/sql.js';

/**
 * How numbers and dates are written in a file: the decimal mark, and the order of day and month in
 * `dd/mm/yyyy`-style dates. French Excel writes `1 234,50` (a space, a no-break space or a narrow no-break
 * space between thousands) and `03/01/2025`; exports for the US write `1234.50` and `01/03/2025`.
 *
 * Pure SQL builders and decisions; src/io/detect-locale.ts runs them on a file.
 */
export type DecimalMark = '.' | ',';
export type DayOrder = 'day-first' | 'month-first';

/** How a table's numbers and dates are read, and whether the config or the file said so. */
export interface ReadSettings {
  readonly decimal: DecimalMark;
  readonly decimalFrom: 'config' | 'detected' | 'default';
  /** Set when the data cannot tell (`1,234` only, or commas and points mixed): the setting is required. */
  readonly decimalUndecided?: 'ambiguous' | 'mixed';
  readonly dateFormat?: string;
  readonly dateFormatFrom?: 'config' | 'detected';
  /** Set when `03/01/2025`-like dates cannot tell day from month: date_format is required. */
  readonly dateUndecided?: { readonly separator: string };
}

/** Characters that separate groups of thousands when the decimal mark is a comma. */
const GROUP = '[ \u00A0\u202F.]';
/** A number with a decimal comma: `12,5`, `-1234,50`, `1 234,50`, `1.234.567,8`, `1234`. */
const COMMA_NUMBER = `^[+-]?(\\d{1,3}(${GROUP}\\d{3})+|\\d+)(,\\d+)?$`;
/** `1,234` or `12,345,678`: a comma decimal or US thousands — the data cannot say which. */
const AMBIGUOUS_COMMA = '^[+-]?\\d{1,3}(,\\d{3})+$';
/** `1.234` or `12.345.678`: a point decimal or European thousands — the data cannot say which. */
const AMBIGUOUS_POINT = '^[+-]?\\d{1,3}(\\.\\d{3})+$';

/** Text → DOUBLE with this decimal mark, NULL when it is not a number written that way. */
export function numberSql(text: string, decimal: DecimalMark = '.'): string {
  if (decimal === '.') return `TRY_CAST(${text} AS DOUBLE)`;
  return `CASE WHEN regexp_full_match(${text}, ${lit(COMMA_NUMBER)})
    THEN TRY_CAST(replace(regexp_replace(${text}, ${lit(GROUP)}, '', 'g'), ',', '.') AS DOUBLE) END`;
}

/** Counts over one column's trimmed, non-empty text values that tell which decimal mark it uses. */
export interface DecimalEvidence {
  /** Values read only with a decimal comma (`12,50`, `1 234,5`). */
  readonly comma: number;
  /** Values read only with a decimal point (`12.50`). */
  readonly point: number;
  /** Values such as `1,234` that are a number either way, with different values. */
  readonly ambiguous: number;
}

/** Aggregates giving DecimalEvidence (aliases `<prefix>comma`, `<prefix>point`, `<prefix>ambiguous`). */
export function decimalEvidenceSql(text: string, prefix: string): string[] {
  const byPoint = `${numberSql(text, '.')} IS NOT NULL`;
  const byComma = `${numberSql(text, ',')} IS NOT NULL`;
  const ambiguous = `(regexp_full_match(${text}, ${lit(AMBIGUOUS_COMMA)}) OR regexp_full_match(${text}, ${lit(AMBIGUOUS_POINT)}))`;
  return [
    `count(*) FILTER (WHERE ${byComma} AND NOT ${byPoint} AND NOT ${ambiguous}) AS ${prefix}comma`,
    `count(*) FILTER (WHERE ${byPoint} AND NOT ${byComma} AND NOT ${ambiguous}) AS ${prefix}point`,
    `count(*) FILTER (WHERE ${ambiguous}) AS ${prefix}ambiguous`,
  ];
}

export type DecimalDecision =
  | { readonly kind: 'decided'; readonly decimal: DecimalMark }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'mixed' };

/**
 * The file's decimal mark from the evidence of all its number columns: a comma only when some value can
 * only be read with one and none only with a point. Values such as `1,234` alone decide nothing.
 */
export function decideDecimal(evidence: readonly DecimalEvidence[]): DecimalDecision {
  const comma = evidence.reduce((n, e) => n + e.comma, 0);
  const point = evidence.reduce((n, e) => n + e.point, 0);
  const ambiguous = evidence.reduce((n, e) => n + e.ambiguous, 0);
  if (comma > 0 && point > 0) return { kind: 'mixed' };
  if (comma > 0) return { kind: 'decided', decimal: ',' };
  if (point > 0 || ambiguous === 0) return { kind: 'decided', decimal: '.' };
  return { kind: 'ambiguous' };
}

/** `03/01/2025`, `3.1.2025`, `03-01-2025`, optionally followed by `14:05` or `14:05:59` (groups: a, b, sep). */
const NUMERIC_DATE = '^(\\d{1,2})([/.-])(\\d{1,2})[/.-]\\d{4}([ T]\\d{1,2}:\\d{2}(:\\d{2})?)?$';

/** What a column's `dd/mm/yyyy`-like dates say about the order of day and month. */
export interface DateEvidence {
  /** Non-empty values, and those of the numeric form above. */
  readonly values: number;
  readonly numeric: number;
  /** The largest first and second field among them. */
  readonly maxFirst: number | null;
  readonly maxSecond: number | null;
  /** The separator most of them use. */
  readonly separator: string | null;
}

/** Aggregates giving DateEvidence (aliases `<prefix>numeric`, `<prefix>max_first`, …). */
export function dateEvidenceSql(text: string, prefix: string): string[] {
  const match = `regexp_full_match(${text}, ${lit(NUMERIC_DATE)})`;
  const field = (group: number): string =>
    `CASE WHEN ${match} THEN TRY_CAST(regexp_extract(${text}, ${lit(NUMERIC_DATE)}, ${group}) AS INTEGER) END`;
  const separator = `CASE WHEN ${match} THEN regexp_extract(${text}, ${lit(NUMERIC_DATE)}, 2) END`;
  return [
    `count(${text}) AS ${prefix}values`,
    `count(*) FILTER (WHERE ${match}) AS ${prefix}numeric`,
    `max(${field(1)}) AS ${prefix}max_first`,
    `max(${field(3)}) AS ${prefix}max_second`,
    // Ordered so that a tie between separators is broken the same way on every run (DuckDB's plain mode is not).
    `mode(${separator} ORDER BY ${separator}) AS ${prefix}separator`,
  ];
}

export type DateDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'decided'; readonly order: DayOrder; readonly separator: string }
  | { readonly kind: 'ambiguous'; readonly separator: string };

/**
 * Day first when some first field is above 12 and no second field is; month first the other way round.
 * When every field is 12 or less, the data cannot tell (`03/01/2025`): the setting is required. Only a
 * column written mostly this way is judged: a few `12/25/2024` among ISO dates stay unreadable (bad_date).
 */
export function decideDateOrder(evidence: DateEvidence): DateDecision {
  const { numeric, maxFirst, maxSecond } = evidence;
  if (numeric === 0 || numeric * 2 < evidence.values || maxFirst === null || maxSecond === null) return { kind: 'none' };
  const separator = evidence.separator ?? '/';
  if (maxFirst > 12 && maxSecond <= 12) return { kind: 'decided', order: 'day-first', separator };
  if (maxSecond > 12 && maxFirst <= 12) return { kind: 'decided', order: 'month-first', separator };
  if (maxFirst <= 12 && maxSecond <= 12) return { kind: 'ambiguous', separator };
  return { kind: 'none' };
}

/** The strptime format of a date order, e.g. `%d/%m/%Y`. */
export function dateFormatOf(order: DayOrder, separator: string): string {
  return order === 'day-first' ? `%d${separator}%m${separator}%Y` : `%m${separator}%d${separator}%Y`;
}

/** A date format and the same followed by a time, which exports add to dates (`03/01/2025 14:05`). */
export function withTimes(format: string): string[] {
  if (/%[HIMSTXc]/.test(format)) return [format];
  return [`${format} %H:%M:%S`, `${format} %H:%M`, format];
}
