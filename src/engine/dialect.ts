import { quoteIdent as q, quoteLiteral as lit } from '../io/sql.js';
import type { Dialect } from './engine.js';

/**
 * The constructs in which DuckDB's and PostgreSQL's SQL differ, as small pure builders: one logical query is
 * written once against this object and reads the same on either engine. Everything not listed here is SQL
 * both engines read alike. DuckDB's builders give back exactly the text Personae wrote before the dialects
 * existed, so its outputs keep their bytes.
 */
export interface SqlDialect {
  readonly name: Dialect;
  /**
   * Whether each per-customer computation is written as one plain aggregate over its sources (no window
   * function, no anti-join, no aggregate of an aggregate): the forms a postgres_fdw coordinator of PostgreSQL
   * 15 sends whole to the shard that holds the customer's rows. DuckDB keeps the forms it runs fastest, and
   * its query text.
   */
  readonly shardable: boolean;
  /**
   * Appended to the GROUP BY of a per-customer aggregate: a condition every group meets (`count(*) > 0`), which
   * PostgreSQL's planner nevertheless expects to keep a third of the groups. A coordinator then counts a third
   * of the rows fetched when the shards group, and sends the grouping even where a customer has one row or
   * so (customers, carts, answers), which it would otherwise see no gain in and do itself. Empty for DuckDB.
   */
  readonly everyGroup: string;
  /** The 64-bit floating point type. */
  readonly double: string;
  /** A 64-bit integer hash of a text expression: for grouping and joining only, never an output. */
  hash(text: string): string;
  /** Month (1–12) of a DATE. */
  month(date: string): string;
  /** Year of a DATE as an integer. */
  year(date: string): string;
  /** 1-based position of `expr` among text `values` (NULL when absent). */
  position(values: readonly string[], expr: string): string;
  /** An interval of `hours` hours. */
  hours(hours: number): string;
  /** The aggregate: `expr` of the first row in `orderBy` order of each group (of its rows matching `filter`). */
  firstBy(expr: string, orderBy: string, filter?: string): string;
  /** `text` as an INTEGER, NULL when it does not read as a number (DuckDB's TRY_CAST). */
  tryInteger(text: string): string;
  /** The items of a multi-valued text ("running | Yoga") as a list of lower-case trimmed non-empty values. */
  items(text: string): string;
  /**
   * Whether `list` (from `items`) holds the text `value` (a SQL expression). Of a NULL text, DuckDB's items
   * are NULL (so is this test) and PostgreSQL's an empty array (false): callers coalesce to FALSE.
   */
  listContains(list: string, value: string): string;
  /**
   * `expr`, or `fallback` when it is NULL, in SQL a coordinator can send to its shards (postgres_fdw of
   * PostgreSQL 15 ships CASE but not COALESCE).
   */
  ifNull(expr: string, fallback: string): string;
  /** Floating-point division (PostgreSQL truncates a division of integers). */
  divide(numerator: string, denominator: string): string;
  /** `expr` for ORDER BY in byte order, whatever the database's collation. */
  binaryOrder(expr: string): string;
  /** Statements that (re)create table `target` from `select`. */
  createTableAs(target: string, select: string): string;
  /** A query counting the tables (or views) named `name` where unqualified names resolve. */
  tableExistsSql(name: string): string;
  /** A query listing `column_name` of table `name` in column order. */
  tableColumnsSql(name: string): string;
}

export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  shardable: false,
  everyGroup: '',
  double: 'DOUBLE',
  hash: (text) => `hash(${text})`,
  month: (date) => `month(${date})`,
  year: (date) => `year(${date})`,
  position: (values, expr) => `list_position([${values.map(lit).join(', ')}]::VARCHAR[], ${expr})`,
  hours: (hours) => `INTERVAL ${Math.trunc(hours)} HOUR`,
  firstBy: (expr, orderBy, filter) => `first(${expr} ORDER BY ${orderBy})${filter === undefined ? '' : ` FILTER (WHERE ${filter})`}`,
  tryInteger: (text) => `TRY_CAST(${text} AS INTEGER)`,
  items: (text) =>
    `list_filter(list_transform(string_split(${text}, '|'), x -> lower(trim(x))), x -> x <> '')`,
  listContains: (list, value) => `list_contains(${list}, ${value})`,
  ifNull: (expr, fallback) => `coalesce(${expr}, ${fallback})`,
  divide: (numerator, denominator) => `${numerator} / ${denominator}`,
  binaryOrder: (expr) => expr,
  createTableAs: (target, select) => `CREATE OR REPLACE TABLE ${q(target)} AS\n${select}`,
  tableExistsSql: (name) => `SELECT count(*) FROM information_schema.tables WHERE table_name = ${lit(name)}`,
  tableColumnsSql: (name) =>
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${lit(name)} ORDER BY ordinal_position`,
};

/**
 * A number as DuckDB's TRY_CAST to INTEGER reads it: optional sign, digits with a decimal part (rounded half
 * away from zero) or an exponent, surrounding white space; out of the INTEGER range gives NULL. DuckDB also
 * reads hexadecimal (0x7C6) and digit separators (1_990): PostgreSQL's version gives NULL for those.
 */
const NUMBER_PATTERN = `'^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?\\s*$'`;

/**
 * The month of a DATE in integer arithmetic (the civil calendar from a day count, after Howard Hinnant's
 * civil_from_days): extract() and date_part() take the field as a text constant, and postgres_fdw ships no
 * function whose text argument does not come from a foreign column, so a month by extract() would keep every
 * order's aggregate on a coordinator. Days are counted from 2000-03-01, the start of a 400-year cycle whose
 * years begin in March; the double modulo keeps earlier dates in range.
 */
function monthOfDate(date: string): string {
  const dayOfCycle = `(((${date} - DATE '2000-03-01') % 146097 + 146097) % 146097)`;
  const yearOfCycle = `((${dayOfCycle} - ${dayOfCycle} / 1460 + ${dayOfCycle} / 36524 - ${dayOfCycle} / 146096) / 365)`;
  const dayOfYear = `(${dayOfCycle} - (365 * ${yearOfCycle} + ${yearOfCycle} / 4 - ${yearOfCycle} / 100))`;
  // 0 = March … 9 = December, 10 = January, 11 = February.
  const monthFromMarch = `((5 * ${dayOfYear} + 2) / 153)`;
  return `(${monthFromMarch} + CASE WHEN ${monthFromMarch} < 10 THEN 3 ELSE -9 END)`;
}

export const POSTGRESQL: SqlDialect = {
  name: 'postgresql',
  shardable: true,
  everyGroup: ' HAVING count(*) > 0',
  double: 'DOUBLE PRECISION',
  // hashtextextended is PostgreSQL's own 64-bit text hash (the one hash partitioning uses), seed 0.
  hash: (text) => `hashtextextended(${text}, 0)`,
  month: monthOfDate,
  year: (date) => `CAST(extract(year FROM ${date}) AS INTEGER)`,
  position: (values, expr) => `array_position(ARRAY[${values.map(lit).join(', ')}]::text[], ${expr})`,
  hours: (hours) => `INTERVAL '${Math.trunc(hours)} hours'`,
  firstBy: (expr, orderBy, filter) =>
    `(array_agg(${expr} ORDER BY ${orderBy})${filter === undefined ? '' : ` FILTER (WHERE ${filter})`})[1]`,
  tryInteger: (text) =>
    `CASE WHEN ${text} ~ ${NUMBER_PATTERN} AND abs(CAST(${text} AS NUMERIC)) < 2147483647.5 THEN CAST(round(CAST(${text} AS NUMERIC)) AS INTEGER) END`,
  items: (text) =>
    `ARRAY(SELECT item FROM (SELECT lower(trim(x)) AS item FROM unnest(string_to_array(${text}, '|')) AS parts (x)) AS items WHERE item <> '')`,
  listContains: (list, value) => `(${value} = ANY(${list}))`,
  ifNull: (expr, fallback) => `CASE WHEN ${expr} IS NULL THEN ${fallback} ELSE ${expr} END`,
  divide: (numerator, denominator) => `CAST(${numerator} AS DOUBLE PRECISION) / ${denominator}`,
  binaryOrder: (expr) => `${expr} COLLATE "C"`,
  createTableAs: (target, select) =>
    `DROP TABLE IF EXISTS ${q(target)};\nCREATE TABLE ${q(target)} AS\n${select}`,
  tableExistsSql: (name) =>
    `SELECT count(*) FROM information_schema.tables WHERE table_name = ${lit(name)} AND table_schema = current_schema()`,
  tableColumnsSql: (name) =>
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${lit(name)} AND table_schema = current_schema() ORDER BY ordinal_position`,
};

export function sqlDialect(name: Dialect): SqlDialect {
  return name === 'postgresql' ? POSTGRESQL : DUCKDB;
}
