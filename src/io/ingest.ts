import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../config/schema.js';
import { toIsoDate } from '../core/time.js';
import { FIELD_REASON_CODES, REASON_CODES, type FieldReasonCode, type ReasonCode } from '../contract/reasons.js';
import type { TableName } from '../contract/schema.js';
import { keepGovernanceRecords } from './governance.js';
import {
  acceptedInPlace,
  acceptedInPlaceSql,
  acceptedTableSql,
  checkedTableSql,
  distinctKeysSql,
  dominantCurrencySql,
  droppedColumn,
  fieldChecks,
  otherCurrencyCountSql,
  piiSourceColumns,
  typeMismatch,
  type ValidationPlan,
} from '../contract/validation-sql.js';
import type { ReadSettings } from '../contract/locale.js';
import type { ColumnRejection } from '../contract/rejected-column.js';
import { checkColumnExpressions } from './column-expressions.js';
import { localizePlan } from './detect-locale.js';
import { findRejectedColumns } from './rejected-columns.js';
import { exec, queryRows, queryValue, tableColumns } from './duckdb.js';
import { findSources, type SourceFile } from './find-sources.js';
import { finishRawTable, lineOfRecordSql, openRawTable, readingFile, type RawTable } from './read-raw.js';
import { validationPlan } from './validation-plan.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

export interface TableValidation {
  readonly file: string;
  readonly format: string;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** Orders only: how many orders the accepted rows form, and how many are returns or refunds. */
  readonly orders?: { readonly count: number; readonly returns: number; readonly cancelled: number };
  readonly reasons: Partial<Record<ReasonCode, number>>;
  /** Accepted rows whose contact field was dropped because it is not usable (customers only). */
  readonly fieldsDropped?: Partial<Record<FieldReasonCode, number>>;
  readonly columnsMapped: string[];
  readonly lineNumbers: RawTable['numbering'];
  /** How numbers and dates were read (decimal mark, date format), from the config or detected. */
  readonly readAs?: ReadSettings;
}

export interface IngestResult {
  readonly asOf: string;
  readonly tables: Partial<Record<TableName, TableValidation>>;
  readonly currency: string | undefined;
  readonly warnings: string[];
  /** Columns none of whose values could be used (every row of their table quarantined), with the fix. */
  readonly rejectedColumns: ColumnRejection[];
}

export interface IngestOptions {
  readonly dataDir: string;
  readonly config: Config;
  readonly asOf: Date;
}

/** Validation order: customers first, so that other tables can be checked against it. */
const ORDER: TableName[] = ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure', 'campaigns'];

/**
 * Reads every table of the data directory into DuckDB and validates it: accepted rows land in the typed
 * canonical table `<t>` (all contract columns, absent ones NULL; absent tables stay absent), rejected rows in `quarantine` with a
 * reason. Rows read = accepted + quarantined for every table.
 */
export async function ingest(connection: DuckDBConnection, options: IngestOptions): Promise<IngestResult> {
  const { config, asOf } = options;
  const sources = findSources(options.dataDir, config);
  const warnings: string[] = [];
  const tables: Partial<Record<TableName, TableValidation>> = {};
  const rejectedColumns: ColumnRejection[] = [];
  let currency = config.currency;
  await exec(
    connection,
    `CREATE OR REPLACE TABLE quarantine (table_name VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR,
      column_name VARCHAR, customer_id VARCHAR, content VARCHAR);
     CREATE OR REPLACE TABLE dropped_fields (table_name VARCHAR, file VARCHAR, line BIGINT, column_name VARCHAR,
      reason VARCHAR, customer_id VARCHAR)`,
  );
  for (const table of ORDER) {
    const source = sources[table];
    if (!source) continue;
    const opened = await openRawTable(connection, source);
    const checkedConfig = await checkColumnExpressions(connection, table, config, opened.columns, source.name);
    const basePlan = await withSourceTypes(
      connection,
      source,
      validationPlan({
        table,
        rawColumns: opened.columns,
        sourceName: source.name,
        config: checkedConfig,
        asOf,
        checkCustomers: tables.customers !== undefined,
      }),
    );
    for (const column of Object.keys(basePlan.sources)) {
      const mismatch = typeMismatch(basePlan, column);
      if (mismatch) warnings.push(`${source.name}: ${mismatch}`);
    }
    const { plan, readAs } = await readingFile(source, () =>
      localizePlan(connection, basePlan, checkedConfig.tables[table]),
    );
    // Parquet and JSON read one column cheaply: whether any key repeats spares ranking every row by key. A CSV
    // file would be parsed a second time for it.
    const keysSql = source.format === 'csv' ? undefined : distinctKeysSql(plan);
    const keysDistinct =
      keysSql !== undefined && (await readingFile(source, () => queryValue<boolean>(connection, keysSql))) === true;
    const shape = { columns: opened.columns.map((c) => c.name), csv: source.format === 'csv', keysDistinct };
    const checksCurrency = table === 'orders' && 'currency' in plan.sources;
    const check = (currencyToCheck: string | undefined): Promise<void> =>
      readingFile(source, () =>
        exec(connection, checkedTableSql(currencyToCheck ? { ...plan, currency: currencyToCheck } : plan, shape)),
      );
    await check(checksCurrency ? currency : undefined);
    if (checksCurrency && !currency) {
      const [top] = await queryRows<{ currency: string }>(connection, dominantCurrencySql());
      currency = top?.currency;
      if (currency) {
        warnings.push(`orders: currency not set in the config; using the most frequent one, ${currency}`);
        // Only a file with several currencies is read again, now checking them.
        if (Number(await queryValue(connection, otherCurrencyCountSql(currency))) > 0) await check(currency);
      }
    }
    const raw = await finishRawTable(connection, opened, `checked_${table}`);
    warnings.push(...raw.warnings);
    if (table === 'orders' && raw.rowsRead === 0) {
      warnings.push(`${source.name} has no rows: there is nothing to analyse`);
    }
    const rejected = await findRejectedColumns(connection, plan, readAs, source.name, raw.rowsRead);
    rejectedColumns.push(...rejected);
    warnings.push(...rejected.map((r) => `${r.message}. How to fix: ${r.fix}`));
    const failedClosed = await keepGovernanceRecords(connection, plan, source.name);
    if (failedClosed) warnings.push(failedClosed);
    tables[table] = {
      ...(await quarantineRejected(connection, plan, raw.rowsRead, raw.numbering, source.name, source.format)),
      readAs,
    };
  }
  return { asOf: toIsoDate(asOf), tables, currency, warnings, rejectedColumns };
}

/**
 * The plan with the DuckDB type of each mapped column's source (a file column or a mapping expression), for
 * Parquet: its columns carry their types, and validation reads a fitting date or number column as it is.
 * Other formats are read as text (a CSV is text; a JSON file's types are DuckDB's guesses from its text).
 */
async function withSourceTypes(
  connection: DuckDBConnection,
  source: SourceFile,
  plan: ValidationPlan,
): Promise<ValidationPlan> {
  const columns = Object.entries(plan.sources);
  if (source.format !== 'parquet' || columns.length === 0) return plan;
  const described = await queryRows<{ column_name: string; column_type: string }>(
    connection,
    `DESCRIBE SELECT ${columns.map(([name, sql]) => `(${sql}) AS ${q(name)}`).join(', ')} FROM ${q(`raw_${plan.table}`)}`,
  );
  return { ...plan, sourceTypes: Object.fromEntries(described.map((d) => [d.column_name, d.column_type])) };
}

async function quarantineRejected(
  connection: DuckDBConnection,
  plan: ValidationPlan,
  rowsRead: number,
  lineNumbers: RawTable['numbering'],
  file: string,
  format: string,
): Promise<TableValidation> {
  const { table } = plan;
  // An unparsable line of a table with personal data cannot be masked field by field: withhold its text.
  const malformedContent =
    piiSourceColumns(plan).size > 0
      ? `'{"withheld":"the line may hold personal data; open the file at this line"}'`
      : 'content';
  const customer = 'customer_id' in plan.sources ? '"p_customer_id"' : 'NULL';
  await exec(
    connection,
    `INSERT INTO quarantine SELECT ${lit(table)}, ${lit(file)}, ${lineOfRecordSql(table, '_record')}, reason, reason_column, ${customer}, _content
     FROM ${q(`checked_${table}`)} WHERE reason IS NOT NULL;
     INSERT INTO quarantine SELECT ${lit(table)}, ${lit(file)}, _line, 'malformed_line', NULL, NULL, ${malformedContent}
     FROM ${q(`malformed_${table}`)}`,
  );
  const reasonRows = await queryRows<{ reason: ReasonCode; n: number }>(
    connection,
    `SELECT reason, count(*) AS n FROM quarantine WHERE table_name = ${lit(table)} GROUP BY 1`,
  );
  const reasons: Partial<Record<ReasonCode, number>> = {};
  for (const code of REASON_CODES) {
    const row = reasonRows.find((r) => r.reason === code);
    if (row) reasons[code] = row.n;
  }
  const quarantined = reasonRows.reduce((sum, r) => sum + r.n, 0);
  const accepted = Number(
    await queryValue(connection, `SELECT count(*) FROM ${q(`checked_${table}`)} WHERE reason IS NULL`),
  );
  if (accepted + quarantined !== rowsRead) {
    throw new Error(
      `row accounting broken for ${table}: read ${rowsRead}, accepted ${accepted}, quarantined ${quarantined}`,
    );
  }
  const fieldsDropped = await recordDroppedFields(connection, plan, file);
  // Last, once nothing else reads checked_<t>: it becomes the typed table <t> (or, for line items, <t> is
  // rolled up from it).
  const inPlace = acceptedInPlace(plan);
  await exec(
    connection,
    inPlace ? acceptedInPlaceSql(plan, await tableColumns(connection, `checked_${table}`)) : acceptedTableSql(plan),
  );
  const orders = table === 'orders' ? await orderCounts(connection) : undefined;
  await exec(
    connection,
    [...(inPlace ? [] : ['checked']), 'malformed', 'line_map'].map((t) => `DROP TABLE ${q(`${t}_${table}`)}`).join('; '),
  );
  return {
    file,
    format,
    rowsRead,
    accepted,
    quarantined,
    ...(orders !== undefined ? { orders } : {}),
    reasons,
    ...(fieldsDropped !== undefined ? { fieldsDropped } : {}),
    columnsMapped: Object.keys(plan.sources),
    lineNumbers,
  };
}

/** Lists the dropped contact fields of accepted rows in `dropped_fields` and counts them by reason. */
async function recordDroppedFields(
  connection: DuckDBConnection,
  plan: ValidationPlan,
  file: string,
): Promise<Partial<Record<FieldReasonCode, number>> | undefined> {
  const checks = fieldChecks(plan);
  if (checks.length === 0) return undefined;
  const counts: Partial<Record<FieldReasonCode, number>> = {};
  for (const check of checks) {
    await exec(
      connection,
      `INSERT INTO dropped_fields SELECT ${lit(plan.table)}, ${lit(file)}, ${lineOfRecordSql(plan.table, '_record')}, ${lit(check.column)}, ${lit(check.reason)}, "p_customer_id"
       FROM ${q(`checked_${plan.table}`)} WHERE reason IS NULL AND ${droppedColumn(check.column)}`,
    );
  }
  const rows = await queryRows<{ reason: FieldReasonCode; n: number }>(
    connection,
    `SELECT reason, count(*) AS n FROM dropped_fields WHERE table_name = ${lit(plan.table)} GROUP BY 1`,
  );
  for (const code of FIELD_REASON_CODES) {
    const row = rows.find((r) => r.reason === code);
    if (row) counts[code] = row.n;
  }
  return counts;
}

async function orderCounts(
  connection: DuckDBConnection,
): Promise<{ count: number; returns: number; cancelled: number }> {
  const [row] = await queryRows<{ count: number; returns: number; cancelled: number }>(
    connection,
    `SELECT count(*) AS count, count(*) FILTER (WHERE amount < 0 OR status IN ('returned', 'refunded')) AS returns,
       count(*) FILTER (WHERE status = 'cancelled') AS cancelled FROM orders`,
  );
  return row as { count: number; returns: number; cancelled: number };
}
