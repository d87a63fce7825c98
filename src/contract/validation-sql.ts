import { moneySum } from '../features/sql/exact.js';
import { quoteIdent as q, quoteLiteral as lit } from '../io/sql.js';
import type { ColumnSpec, TableName, TableSpec } from './schema.js';
import { EMAIL_PATTERN, PHONE_PATTERN, PHONE_SEPARATORS } from './contact.js';
import type { FieldReasonCode, ReasonCode } from './reasons.js';
import { numberSql, type DecimalMark } from './locale.js';
import { utcTimestampSql, type DateFormat } from './timestamp-sql.js';

/**
 * Pure SQL builders for validation. A raw table `raw_<t>` (columns as read, plus `_record`, the record's position in the file) becomes
 * `checked_<t>`: every canonical column parsed, and `reason`/`reason_column` for the first failing check.
 */
export interface ValidationPlan {
  readonly table: TableName;
  readonly spec: TableSpec;
  /** canonical column → SQL expression over raw columns; absent optional columns are missing here. */
  readonly sources: Readonly<Record<string, string>>;
  readonly asOfEnd: string;
  readonly dateFormat?: DateFormat;
  /** The file's decimal mark (src/contract/locale.ts); a point when absent. */
  readonly decimal?: DecimalMark;
  /** Orders only: the currency every order must use. */
  readonly currency?: string;
  /** Whether an accepted `customers` table exists to check references against. */
  readonly checkCustomers: boolean;
  /** Orders only: rows sharing an order_id are lines of one order. */
  readonly lineItems: boolean;
  readonly minYear: number;
  readonly maxBirthYear: number;
  /**
   * The DuckDB type of each canonical column's source, for sources whose columns carry their own types
   * (Parquet): a date, timestamp or number column of a fitting type is read as it is (typedReadSql), not
   * as text. Absent: every column is read as text.
   */
  readonly sourceTypes?: Readonly<Record<string, string>>;
}

const AMOUNT_LIMIT = 1_000_000;

export const SQL_TYPES: Record<ColumnSpec['type'], string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  number: 'DOUBLE',
  integer: 'INTEGER',
};

/** A column's trimmed text, NULL when empty (computed once per row, in checkedTableSql's `trimmed` step). */
function text(column: string): string {
  return q(`t_${column}`);
}

/**
 * `nullif(trim(value), '')`, calling trim only where it can change something: DuckDB's trim (which strips
 * spaces and the Unicode space separators) copies every value it returns and cost more than parsing the
 * column. A non-empty ASCII value (as many bytes as characters) that neither starts nor ends with a space
 * is its own trim.
 */
export function trimmedTextSql(value: string): string {
  return `CASE WHEN ${value} = '' OR starts_with(${value}, ' ') OR ends_with(${value}, ' ') OR strlen(${value}) <> length(${value})
    THEN nullif(trim(${value}), '') ELSE ${value} END`;
}

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/;
const NAIVE_TIMES = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATE']);

/**
 * How a typed source column becomes its parsed value without going through text, or undefined when the
 * column is read as text (a text column, or a type that does not fit: see typeMismatch):
 * - a timestamp from `TIMESTAMP WITH TIME ZONE` (an instant: its UTC time), from `TIMESTAMP` (taken as UTC,
 *   like a text timestamp without a zone) or from `DATE` (midnight UTC, like a text date); ±infinity is not a
 *   date (NULL, so bad_date, as the text `infinity` is). No date format applies: the column has no text.
 * - a number or integer from any integer, decimal or floating-point type, as a DOUBLE (the value the text
 *   path reads from the number's text; NaN and ±Infinity are absurd_amount either way).
 */
export function typedReadSql(plan: ValidationPlan, column: string, value: string = text(column)): string | undefined {
  const spec = plan.spec.columns[column];
  const type = plan.sourceTypes?.[column];
  if (spec === undefined || type === undefined) return undefined;
  if (spec.type === 'timestamp') {
    // The instant's microseconds since the epoch are its UTC time: make_timestamp(epoch_us(…)) is DuckDB's core
    // arithmetic, where timezone('UTC', …) or a cast goes through ICU's calendar (about 8x the CPU).
    if (type === 'TIMESTAMP WITH TIME ZONE') return `CASE WHEN isfinite(${value}) THEN make_timestamp(epoch_us(${value})) END`;
    if (NAIVE_TIMES.has(type)) return `CASE WHEN isfinite(${value}) THEN CAST(${value} AS TIMESTAMP) END`;
  }
  if ((spec.type === 'number' || spec.type === 'integer') && NUMERIC_TYPES.test(type)) return `CAST(${value} AS DOUBLE)`;
  return undefined;
}

/**
 * A typed source column whose type does not fit its contract column (a number where a date is expected, a
 * date where a number is): it is read as text, as any other column, and the text of such a value does not
 * read; this says so in one sentence with the fix. Undefined when the type fits, or the column is text.
 */
export function typeMismatch(plan: ValidationPlan, column: string): string | undefined {
  const spec = plan.spec.columns[column];
  const type = plan.sourceTypes?.[column];
  if (spec === undefined || type === undefined || type === 'VARCHAR' || typedReadSql(plan, column) !== undefined) return undefined;
  const source = plan.sources[column] as string;
  if (spec.type === 'timestamp') {
    const hint = NUMERIC_TYPES.test(type)
      ? ` If they are Unix times, map the column as {sql: "to_timestamp(${source.replaceAll('"', '')})"} (seconds) or make_timestamp(…) (microseconds).`
      : '';
    return `${plan.table}.${column}: the file's column ${source} is of type ${type}, not a date or timestamp; its values are read as text, which is not a date.${hint}`;
  }
  if (spec.type === 'number' || spec.type === 'integer') {
    return `${plan.table}.${column}: the file's column ${source} is of type ${type}, not a number; its values are read as text, which is not a number. Map the column to the right one, or as {sql: …} to a number.`;
  }
  return undefined;
}

function parsed(plan: ValidationPlan, column: string, spec: ColumnSpec): string {
  const t = text(column);
  const typed = typedReadSql(plan, column);
  if (typed !== undefined) return typed;
  switch (spec.type) {
    case 'id':
    case 'text':
      return t;
    case 'enum':
      return `lower(${t})`;
    case 'timestamp':
      // Already a TIMESTAMP (the cast costs nothing then): the typed table keeps this column as it is.
      return `CAST(${utcTimestampSql(t, plan.dateFormat)} AS TIMESTAMP)`;
    case 'number':
    case 'integer':
      return numberSql(t, plan.decimal);
  }
}

interface Check {
  reason: ReasonCode;
  column: string;
  condition: string;
}

/** Row-level checks in the order of REASONS; the first failing one is the row's reason. */
function rowChecks(plan: ValidationPlan): Check[] {
  const present = Object.entries(plan.spec.columns).filter(([name]) => name in plan.sources);
  const checks: Check[] = [];
  const p = (name: string): string => q(`p_${name}`);
  // customer_id first: it is the key people look for, and derived order ids are often built from it.
  const required = present
    .filter(([, spec]) => spec.required)
    .sort(([a], [b]) => Number(b === 'customer_id') - Number(a === 'customer_id'));
  for (const [name] of required) {
    checks.push({ reason: 'missing_key', column: name, condition: `${text(name)} IS NULL` });
  }
  const dates = present.filter(([, spec]) => spec.type === 'timestamp');
  for (const [name] of dates) {
    checks.push({
      reason: 'bad_date',
      column: name,
      condition: `${text(name)} IS NOT NULL AND ${p(name)} IS NULL`,
    });
  }
  for (const [name] of dates) {
    checks.push({
      reason: 'implausible_date',
      column: name,
      condition: `${p(name)} < TIMESTAMP '${plan.minYear}-01-01'`,
    });
  }
  for (const [name] of dates) {
    checks.push({
      reason: 'future_date',
      column: name,
      condition: `${p(name)} > TIMESTAMP ${lit(plan.asOfEnd)}`,
    });
  }
  const numbers = present.filter(([, spec]) => spec.type === 'number' || spec.type === 'integer');
  for (const [name, spec] of numbers) {
    const integral =
      spec.type === 'integer' ? ` OR (isfinite(${p(name)}) AND ${p(name)} <> round(${p(name)}))` : '';
    checks.push({
      reason: 'bad_number',
      column: name,
      condition: `${text(name)} IS NOT NULL AND (${p(name)} IS NULL${integral})`,
    });
  }
  for (const [name] of numbers) {
    checks.push({
      reason: 'absurd_amount',
      column: name,
      condition: `NOT isfinite(${p(name)}) OR abs(${p(name)}) > ${AMOUNT_LIMIT}`,
    });
  }
  for (const [name, spec] of present) {
    if (spec.type !== 'enum' || !spec.values) continue;
    checks.push({ reason: 'unknown_value', column: name, condition: notAllowedSql(p(name), spec.values) });
  }
  return checks;
}

/**
 * `value` is not one of `values` (NULL for a NULL value). list_contains, not NOT IN: DuckDB turns an IN list
 * of five values or more into a join, an extra pass over every row.
 */
function notAllowedSql(value: string, values: readonly string[]): string {
  return `NOT list_contains([${values.map(lit).join(', ')}], ${value})`;
}

/** The 1-based position of the first check that fails, NULL when none does: each condition runs once. */
function firstFailing(checks: readonly Check[]): string {
  if (checks.length === 0) return 'NULL::INTEGER';
  return `CASE ${checks.map((c, i) => `WHEN ${c.condition} THEN ${i + 1}`).join(' ')} END`;
}

/** The reason or column of check number `index` (from firstFailing). */
function pick(checks: readonly Check[], index: string, field: (c: Check) => string): string {
  if (checks.length === 0) return 'NULL::VARCHAR';
  return `[${checks.map((c) => lit(field(c))).join(', ')}][${index}]`;
}

/** Checks that need other rows or tables, applied to rows that passed the row-level checks. */
function relationalChecks(plan: ValidationPlan): Check[] {
  const checks: Check[] = [];
  const key = plan.spec.uniqueKey;
  if (key && key in plan.sources && !(plan.table === 'orders' && plan.lineItems)) {
    checks.push({ reason: 'duplicate_id', column: key, condition: 'dup_rank > 1' });
  }
  if (plan.checkCustomers && ['orders', 'events', 'zero_party'].includes(plan.table)) {
    checks.push({
      reason: 'unknown_customer',
      column: 'customer_id',
      // customers.customer_id is never NULL (a required key); a NULL p_customer_id is already missing_key.
      condition: `"p_customer_id" NOT IN (SELECT customer_id FROM customers)`,
    });
  }
  if (plan.table === 'orders' && plan.currency && 'currency' in plan.sources) {
    checks.push({
      reason: 'currency_mismatch',
      column: 'currency',
      condition: `"p_currency" IS NOT NULL AND upper("p_currency") <> ${lit(plan.currency.toUpperCase())}`,
    });
  }
  if (plan.table === 'zero_party') {
    const year = `TRY_CAST("p_answer" AS DOUBLE)`;
    checks.push({
      reason: 'implausible_answer',
      column: 'answer',
      condition: `lower("p_question") = 'birth_year' AND (${year} IS NULL OR ${year} <> round(${year}) OR ${year} < 1900 OR ${year} > ${plan.maxBirthYear})`,
    });
  }
  return checks;
}

interface FieldCheck {
  readonly reason: FieldReasonCode;
  readonly column: string;
  readonly condition: string;
}

/** Contact fields that are dropped, not the row, when they are not usable (the customer keeps their history). */
export function fieldChecks(plan: Pick<ValidationPlan, 'table' | 'sources'>): FieldCheck[] {
  if (plan.table !== 'customers') return [];
  const checks: FieldCheck[] = [];
  if ('email' in plan.sources) {
    checks.push({
      reason: 'invalid_email',
      column: 'email',
      condition: `"p_email" IS NOT NULL AND NOT regexp_full_match("p_email", ${lit(EMAIL_PATTERN)})`,
    });
  }
  if ('phone' in plan.sources) {
    const digits = `regexp_replace("p_phone", ${lit(PHONE_SEPARATORS)}, '', 'g')`;
    checks.push({
      reason: 'invalid_phone',
      column: 'phone',
      condition: `"p_phone" IS NOT NULL AND NOT regexp_full_match(${digits}, ${lit(PHONE_PATTERN)})`,
    });
  }
  return checks;
}

/** The column of `checked_<t>` telling that a field of an accepted row is dropped. */
export function droppedColumn(column: string): string {
  return q(`drop_${column}`);
}

/** Line breaks in a text value as an editor counts them (`\\r\\n`, `\\n` or a lone `\\r`). */
export function lineBreaksSql(value: string): string {
  const normalised = `replace(replace(${value}, chr(13) || chr(10), chr(10)), chr(13), chr(10))`;
  return `coalesce(length(${normalised}) - length(replace(${normalised}, chr(10), '')), 0)`;
}

/** What validation reads: the raw view's own columns, and whether it is a CSV file (which has lines). */
export interface RawShape {
  readonly columns: readonly string[];
  readonly csv: boolean;
  /** The non-empty values of the table's unique key are known to be all different (distinctKeysSql). */
  readonly keysDistinct?: boolean;
}

/**
 * SQL telling whether the non-empty values of the table's unique key in `raw_<t>` are all different (then
 * no row can be a duplicate, and checkedTableSql skips ranking them: a window over every row that costs
 * more than the rest of the table's checks); undefined for a table without one.
 */
export function distinctKeysSql(plan: ValidationPlan): string | undefined {
  const key = plan.spec.uniqueKey;
  if (key === undefined || !(key in plan.sources)) return undefined;
  const value = trimmedTextSql(`CAST((${plan.sources[key]}) AS VARCHAR)`);
  return `SELECT count(DISTINCT k) = count(k) FROM (SELECT ${value} AS k FROM ${q(`raw_${plan.table}`)})`;
}

/**
 * A rejected row as the quarantine shows it, from `row` (a struct of the raw columns): its fields as JSON,
 * personal data masked — a quarantined row shows that a value was there, not the value.
 */
export function quarantineContentSql(plan: ValidationPlan, columns: readonly string[], row: string): string {
  const piiSources = piiSourceColumns(plan);
  return `to_json(struct_pack(${columns
    .map((c) => {
      const ref = `${row}.${q(c)}`;
      return piiSources.has(q(c))
        ? `${q(c)} := CASE WHEN ${ref} IS NULL THEN NULL ELSE '[pii]' END`
        : `${q(c)} := ${ref}`;
    })
    .join(', ')}))`;
}

/** The raw columns (quoted) that hold personal data. */
export function piiSourceColumns(plan: ValidationPlan): Set<string> {
  return new Set(
    Object.entries(plan.spec.columns)
      .filter(([name, spec]) => spec.pii && name in plan.sources)
      .map(([name]) => plan.sources[name] as string),
  );
}

/**
 * SQL creating `checked_<t>` in one scan of `raw_<t>`: `_record`, parsed columns `p_*`, `reason` and
 * `reason_column` for the first failing check, `bad_*` (the text of an unusable number, date or enum value,
 * for rejected-column reports), `drop_*` per field check, `_content` (rejected rows only)
 * and, for CSV, `_breaks` (line breaks inside the record's quoted fields; NULL for none).
 */
export function checkedTableSql(plan: ValidationPlan, raw: RawShape): string {
  const present = Object.entries(plan.spec.columns).filter(([name]) => name in plan.sources);
  // A typed column read as it is (typedReadSql) keeps its type: no text, nothing to trim.
  const typed = new Set(present.filter(([name]) => typedReadSql(plan, name) !== undefined).map(([name]) => name));
  const sourceCols = present.map(([name]) =>
    typed.has(name) ? `(${plan.sources[name]}) AS ${q(`s_${name}`)}` : `CAST((${plan.sources[name]}) AS VARCHAR) AS ${q(`s_${name}`)}`,
  );
  const parsedCols = present.map(([name, spec]) => `${parsed(plan, name, spec)} AS ${q(`p_${name}`)}`);
  const checks = rowChecks(plan);
  const relational = relationalChecks(plan);
  const key = plan.spec.uniqueKey;
  const ranked = key !== undefined && key in plan.sources && raw.keysDistinct !== true;
  const dupRank = ranked
    ? `CASE WHEN reason1 IS NULL THEN row_number() OVER (PARTITION BY ${q(`p_${key}`)}, reason1 IS NULL ORDER BY _record) END`
    : 'NULL';
  // Relational reasons are one per check: the column follows from the reason (each condition runs once).
  const columnOf =
    relational.length === 0
      ? 'NULL'
      : `CASE reason2 ${relational.map((c) => `WHEN ${lit(c.reason)} THEN ${lit(c.column)}`).join(' ')} END`;
  const rawRow = '_raw';
  // The text of a value that does not read, kept for the rejected-column report; a read value's text is not
  // kept (its parsed value is): a table of text columns costs as much to write as the file costs to parse.
  const badTexts = present
    .filter(([, spec]) => BAD_TEXT_TYPES.has(spec.type))
    .map(([name, spec]) => {
      const value = typed.has(name) ? `CAST(${text(name)} AS VARCHAR)` : text(name);
      return `\n  CASE WHEN ${text(name)} IS NOT NULL AND ${unreadSql(name, spec)} THEN ${value} END AS ${badTextColumn(name)},`;
    })
    .join('');
  const breaks = raw.csv
    ? `,\n  CASE WHEN ${raw.columns
        .map((c) => `contains(${rawRow}.${q(c)}, chr(10)) OR contains(${rawRow}.${q(c)}, chr(13))`)
        .join(' OR ')} THEN ${raw.columns.map((c) => lineBreaksSql(`${rawRow}.${q(c)}`)).join(' + ')} END AS _breaks`
    : '';
  // The typed table's columns come first, in contract order, so that `<t>` is this table with the rows and
  // columns validation alone needed taken away (acceptedInPlaceSql). A value the typed table holds in
  // another form than its parsed one (an integer, a dropped field) is computed for accepted rows only.
  const fieldConditions = new Map(fieldChecks(plan).map((f) => [f.column, `coalesce(${f.condition}, false)`]));
  const accepted = acceptedColumns(plan, (c) => fieldConditions.get(c) as string);
  const leading = accepted.map((c) =>
    c.parsedAsIs ? q(`p_${c.name}`) : `CASE WHEN reason IS NULL THEN ${c.expression} END AS ${acceptedValueColumn(c.name)}`,
  );
  const parsedAfter = present.filter(([name]) => !accepted.some((c) => c.name === name && c.parsedAsIs)).map(([name]) => q(`p_${name}`));
  return `CREATE OR REPLACE TABLE ${q(`checked_${plan.table}`)} AS
WITH src AS (SELECT _record, r AS ${rawRow}, ${sourceCols.join(', ')} FROM ${q(`raw_${plan.table}`)} r),
trimmed AS (SELECT *${present.map(([name]) => `, ${typed.has(name) ? q(`s_${name}`) : trimmedTextSql(q(`s_${name}`))} AS ${text(name)}`).join('')} FROM src),
typed AS (SELECT *, ${parsedCols.join(', ')} FROM trimmed),
s0 AS (SELECT *, ${firstFailing(checks)} AS check1 FROM typed),
s1 AS (SELECT * EXCLUDE (check1), ${pick(checks, 'check1', (c) => c.reason)} AS reason1, ${pick(checks, 'check1', (c) => c.column)} AS column1 FROM s0),
s2 AS (SELECT *, ${dupRank} AS dup_rank FROM s1),
s3 AS (SELECT *, CASE WHEN reason1 IS NULL THEN ${pick(relational, firstFailing(relational), (c) => c.reason)} END AS reason2 FROM s2),
s4 AS (SELECT * EXCLUDE (reason1, column1, dup_rank, reason2), coalesce(reason1, reason2) AS reason,
  coalesce(column1, ${columnOf}) AS reason_column FROM s3)
SELECT ${[...leading, '_record', ...parsedAfter, 'reason', 'reason_column'].join(', ')},${badTexts}
  CASE WHEN reason IS NOT NULL THEN ${quarantineContentSql(plan, raw.columns, rawRow)} END AS _content${breaks}${fieldChecks(plan)
    .map((f) => `,\n  ${fieldConditions.get(f.column) as string} AS ${droppedColumn(f.column)}`)
    .join('')}
FROM s4${ranked ? ' ORDER BY _record' : ''}`;
}

const BAD_TEXT_TYPES = new Set<ColumnSpec['type']>(['number', 'integer', 'timestamp', 'enum']);

/** Whether the parsed value `p_<name>` of a non-empty text is unusable: unread, not whole, not allowed. */
function unreadSql(name: string, spec: ColumnSpec): string {
  const parsedValue = q(`p_${name}`);
  switch (spec.type) {
    case 'enum':
      return spec.values ? notAllowedSql(parsedValue, spec.values) : 'false';
    case 'integer':
      return `(${parsedValue} IS NULL OR (isfinite(${parsedValue}) AND ${parsedValue} <> round(${parsedValue})))`;
    case 'number':
    case 'timestamp':
      return `${parsedValue} IS NULL`;
    default:
      return 'false';
  }
}

/**
 * The column of `checked_<t>` holding the trimmed text of a number, date or enum value that is unusable
 * (unreadable, not a whole number, or not an allowed value), NULL otherwise.
 */
export function badTextColumn(name: string): string {
  return q(`bad_${name}`);
}

/** A column of the canonical typed table `<t>`: its value over the columns of `checked_<t>`. */
interface AcceptedColumn {
  readonly name: string;
  readonly type: string;
  readonly expression: string;
  /** The parsed column `p_<name>` holds the value as it is (same type, nothing to change). */
  readonly parsedAsIs: boolean;
}

/** The typed table's columns in contract order; `dropped(c)` tells that contact field c of the row is dropped. */
function acceptedColumns(plan: ValidationPlan, dropped: (column: string) => string): AcceptedColumn[] {
  const droppable = new Set(fieldChecks(plan).map((f) => f.column));
  return Object.entries(plan.spec.columns).map(([name, spec]) => {
    const type = SQL_TYPES[spec.type];
    const parsedValue = q(`p_${name}`);
    const column = (expression: string, parsedAsIs = false): AcceptedColumn => ({ name, type, expression, parsedAsIs });
    if (!(name in plan.sources)) {
      return column(plan.table === 'orders' && name === 'status' ? `'completed'` : `NULL::${type}`);
    }
    if (plan.table === 'orders' && name === 'status') return column(`coalesce(${parsedValue}, 'completed')`);
    if (plan.table === 'orders' && name === 'currency') return column(`upper(${parsedValue})`);
    if (droppable.has(name)) return column(`CASE WHEN ${dropped(name)} THEN NULL ELSE CAST(${parsedValue} AS ${type}) END`);
    // Integers are parsed as doubles (to tell 2.5 from 2); every other type is parsed as its own type.
    return column(`CAST(${parsedValue} AS ${type})`, spec.type !== 'integer');
  });
}

/** The column of `checked_<t>` holding an accepted column that is not its parsed column as is. */
function acceptedValueColumn(name: string): string {
  return q(`a_${name}`);
}

/** Whether `<t>` is made from `checked_<t>` in place (see acceptedInPlaceSql), not rolled up from it. */
export function acceptedInPlace(plan: ValidationPlan): boolean {
  return !(plan.table === 'orders' && plan.lineItems);
}

/**
 * SQL turning `checked_<t>` into the canonical typed table `<t>` without copying it: the rejected rows are
 * deleted, the columns validation needed are dropped and the rest renamed (DuckDB shares the kept columns'
 * data, so this costs a small fraction of writing the table again). `checkedColumns`: the columns of
 * `checked_<t>` as they are now.
 */
export function acceptedInPlaceSql(plan: ValidationPlan, checkedColumns: readonly string[]): string {
  const checked = q(`checked_${plan.table}`);
  const kept = new Map(
    acceptedColumns(plan, droppedColumn).map((c) => [c.parsedAsIs ? `p_${c.name}` : `a_${c.name}`, c.name]),
  );
  return [
    `DROP TABLE IF EXISTS ${q(plan.table)}`,
    `DELETE FROM ${checked} WHERE reason IS NOT NULL`,
    ...checkedColumns.filter((c) => !kept.has(c)).map((c) => `ALTER TABLE ${checked} DROP COLUMN ${q(c)}`),
    ...[...kept].map(([from, to]) => `ALTER TABLE ${checked} RENAME COLUMN ${q(from)} TO ${q(to)}`),
    `ALTER TABLE ${checked} RENAME TO ${q(plan.table)}`,
  ].join(';\n');
}

/**
 * SQL creating the canonical typed table `<t>` from the accepted rows of `checked_<t>` when it cannot be
 * made in place: an order given as line items is rolled up with aggregates whose result does not depend on
 * the order DuckDB's threads finish in (exact money sums, min, ordered mode), so the same file gives the
 * same orders on every run.
 */
export function acceptedTableSql(plan: ValidationPlan): string {
  const select = acceptedColumns(plan, droppedColumn).map((c) => `${c.expression} AS ${q(c.name)}`);
  const base = `SELECT ${select.join(', ')} FROM ${q(`checked_${plan.table}`)} WHERE reason IS NULL`;
  if (acceptedInPlace(plan)) return `CREATE OR REPLACE TABLE ${q(plan.table)} AS ${base}`;
  return `CREATE OR REPLACE TABLE orders AS
SELECT order_id, min(customer_id) AS customer_id, min(ordered_at) AS ordered_at, ${moneySum('amount')} AS amount,
  CASE WHEN ${moneySum('amount')} < 0 THEN 'returned' WHEN bool_or(status = 'cancelled') THEN 'cancelled'
    WHEN bool_or(status = 'refunded') THEN 'refunded' WHEN bool_or(status = 'returned') THEN 'returned'
    ELSE 'completed' END AS status,
  min(currency) AS currency, min(channel) AS channel, ${moneySum('discount_amount')} AS discount_amount,
  CAST(sum(items) AS INTEGER) AS items, mode(category ORDER BY category) AS category, mode(brand ORDER BY brand) AS brand
FROM (${base}) GROUP BY order_id`;
}

/** The data set's currency when the config does not fix it: the most frequent one among valid orders. */
export function dominantCurrencySql(): string {
  return `SELECT upper("p_currency") AS currency, count(*) AS n FROM checked_orders
WHERE reason IS NULL AND "p_currency" IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1`;
}

/** How many rows that passed every other check use another currency than `currency`. */
export function otherCurrencyCountSql(currency: string): string {
  return `SELECT count(*) FROM checked_orders
WHERE reason IS NULL AND "p_currency" IS NOT NULL AND upper("p_currency") <> ${lit(currency.toUpperCase())}`;
}
