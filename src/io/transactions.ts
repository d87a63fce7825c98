import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { inputError, show } from '../core/errors.js';
import { utcTimestampSql } from '../contract/timestamp-sql.js';
import type { TransactionRow } from '../timing/rfm-summary.js';
import { exec, queryColumns, queryRows, quoteIdent, quoteLiteral, withConnection, type DuckDBConnection } from './duckdb.js';

/**
 * Reads a bare transaction log (CSV or Parquet, one row per order line or order) through DuckDB and
 * returns one row per customer and UTC calendar day with the amounts summed: several rows of one customer
 * on one day form ONE transaction, as in the BTYD literature.
 *
 * CSV columns are read as text so that identifiers keep their leading zeros ("0001"). Dates may be
 * ISO dates or timestamps, YYYYMMDD (text or integer), or any strptime `dateFormat`. Rows without a customer
 * id cannot belong to anybody's purchase history: they are skipped and counted (real exports have many: the
 * UCI Online Retail file has 135,080 guest lines), and only the other rows need a valid date and amount.
 */
export interface TransactionColumns {
  readonly customerCol: string;
  readonly dateCol: string;
  readonly amountCol?: string;
  /** strptime format for the date column, e.g. "%d/%m/%Y %H:%M" (auto-detected when absent). */
  readonly dateFormat?: string;
}

export interface TransactionLog {
  readonly rows: TransactionRow[];
  readonly file: string;
  readonly rowsRead: number;
  /** Rows without a customer id (guest checkouts, blank cells): skipped, and counted here. */
  readonly rowsWithoutCustomer: number;
  /** The first such row (1-based data row), to find them in the file; null when there is none. */
  readonly firstRowWithoutCustomer: number | null;
  readonly customers: number;
  readonly hasAmount: boolean;
}

export async function readTransactionLog(file: string, columns: TransactionColumns): Promise<TransactionLog> {
  const path = resolve(file);
  if (!existsSync(path)) inputError('transactions.missing', `transaction file not found: ${file}`, 'check the --transactions path');
  const ext = extname(path).toLowerCase();
  const source =
    ext === '.parquet'
      ? `read_parquet(${quoteLiteral(path)})`
      : ext === '.csv' || ext === '.tsv' || ext === '.txt'
        ? `read_csv(${quoteLiteral(path)}, header = true, all_varchar = true)`
        : inputError('transactions.format', `unsupported transaction file type ${show(ext || '(none)')} for ${file}`, 'use a .csv or .parquet file');

  return withConnection(async (connection) => {
    await exec(connection, `SET TimeZone = 'UTC'`);
    await exec(connection, `CREATE TEMP VIEW log AS SELECT * FROM ${source}`);
    const described = await queryRows<{ column_name: string; column_type: string }>(connection, 'DESCRIBE log');
    const resolveColumn = (wanted: string, flag: string): { name: string; type: string } => {
      const match = described.find((c) => c.column_name === wanted) ?? described.find((c) => c.column_name.toLowerCase() === wanted.toLowerCase());
      if (!match) {
        inputError(
          'transactions.column',
          `column ${show(wanted)} (${flag}) not found in ${file}; available columns: ${described.map((c) => c.column_name).join(', ')}`,
          `pass one of the available columns to ${flag}`,
        );
      }
      return { name: match.column_name, type: match.column_type };
    };
    const customer = resolveColumn(columns.customerCol, '--customer-col');
    const date = resolveColumn(columns.dateCol, '--date-col');
    const amount = columns.amountCol ? resolveColumn(columns.amountCol, '--amount-col') : undefined;

    const dayExpr = dayExpression(quoteIdent(date.name), date.type, columns.dateFormat);
    const amountExpr = amount ? `TRY_CAST(${quoteIdent(amount.name)} AS DOUBLE)` : '0.0';
    await exec(
      connection,
      `CREATE TEMP TABLE parsed AS SELECT row_number() OVER () AS row_no, ${customerExpression(quoteIdent(customer.name), customer.type)} AS customer_id,
         ${quoteIdent(date.name)} AS raw_date, ${dayExpr} AS day,
         ${amount ? `${quoteIdent(amount.name)}` : 'NULL'} AS raw_amount, ${amountExpr} AS amount FROM log`,
    );
    const [counts] = await queryRows<{ n: number; anonymous: number; first: number | null }>(
      connection,
      `SELECT count(*) AS n, count(*) FILTER (WHERE ${NO_CUSTOMER}) AS anonymous, min(row_no) FILTER (WHERE ${NO_CUSTOMER}) AS first FROM parsed`,
    );
    await exec(connection, `DELETE FROM parsed WHERE ${NO_CUSTOMER}`);
    await failOnBadRows(connection, file, date.name, amount?.name);
    const rowsRead = Number(counts?.n ?? 0);
    const rowsWithoutCustomer = Number(counts?.anonymous ?? 0);
    if (rowsRead > 0 && rowsWithoutCustomer === rowsRead) {
      inputError(
        'transactions.customer',
        `${file}: none of the ${rowsRead} rows has a customer id in ${show(customer.name)}`,
        'pass the column that identifies customers to --customer-col',
      );
    }
    const aggregated = await queryColumns(
      connection,
      `SELECT customer_id, CAST(day AS INTEGER) AS day, sum(amount) AS amount FROM parsed GROUP BY customer_id, day ORDER BY customer_id, day`,
    );
    const ids = aggregated.customer_id as string[];
    const days = aggregated.day as number[];
    const amounts = aggregated.amount as number[];
    const rows: TransactionRow[] = ids.map((customerId, i) => ({ customerId, day: days[i] as number, amount: amounts[i] as number }));
    return {
      rows,
      file,
      rowsRead,
      rowsWithoutCustomer,
      firstRowWithoutCustomer: counts?.first == null ? null : Number(counts.first),
      customers: new Set(ids).size,
      hasAmount: amount !== undefined,
    };
  });
}

/** Customer ids as text; whole numbers stored as floating point (Excel exports: 12346.0) lose the ".0". */
function customerExpression(column: string, type: string): string {
  const upper = type.toUpperCase();
  if (upper === 'DOUBLE' || upper === 'FLOAT' || upper === 'REAL' || upper.startsWith('DECIMAL')) {
    return `CASE WHEN ${column} = trunc(${column}) AND abs(${column}) < 9e15 THEN CAST(CAST(${column} AS BIGINT) AS VARCHAR) ELSE CAST(${column} AS VARCHAR) END`;
  }
  return `CAST(${column} AS VARCHAR)`;
}

/** SQL giving the UTC day number (days since 1970-01-01) of a date column, by its DuckDB type. */
function dayExpression(column: string, type: string, format: string | undefined): string {
  const toDay = (dateSql: string): string => `date_diff('day', DATE '1970-01-01', CAST(${dateSql} AS DATE))`;
  if (format) return toDay(utcTimestampSql(`CAST(${column} AS VARCHAR)`, format));
  const upper = type.toUpperCase();
  if (upper === 'DATE' || upper.startsWith('TIMESTAMP')) return toDay(column);
  const text = `trim(CAST(${column} AS VARCHAR))`;
  return toDay(
    `COALESCE(${utcTimestampSql(text)}, try_strptime(${text}, '%Y%m%d'))`,
  );
}

const NO_CUSTOMER = `customer_id IS NULL OR trim(customer_id) = ''`;

async function failOnBadRows(connection: DuckDBConnection, file: string, dateName: string, amountName: string | undefined): Promise<void> {
  const badDate = await queryRows<{ row_no: number; raw_date: unknown; n: number }>(
    connection,
    `SELECT row_no, CAST(raw_date AS VARCHAR) AS raw_date, count(*) OVER () AS n FROM parsed WHERE day IS NULL ORDER BY row_no LIMIT 1`,
  );
  if (badDate[0]) {
    inputError(
      'transactions.date',
      `${file}: ${badDate[0].n} row(s) have an unreadable ${dateName}, first at data row ${badDate[0].row_no}: ${show(badDate[0].raw_date)}`,
      'use ISO dates (YYYY-MM-DD), YYYYMMDD, or pass --date-format with a strptime format',
    );
  }
  if (amountName) {
    const badAmount = await queryRows<{ row_no: number; raw_amount: unknown; n: number }>(
      connection,
      `SELECT row_no, CAST(raw_amount AS VARCHAR) AS raw_amount, count(*) OVER () AS n FROM parsed WHERE amount IS NULL OR NOT isfinite(amount) ORDER BY row_no LIMIT 1`,
    );
    if (badAmount[0]) {
      inputError('transactions.amount', `${file}: ${badAmount[0].n} row(s) have a non-numeric ${amountName}, first at data row ${badAmount[0].row_no}: ${show(badAmount[0].raw_amount)}`, 'clean the amount column (plain numbers, "." as decimal separator)');
    }
  }
}
