import type { DuckDBConnection } from '@duckdb/node-api';
import { defuseCellSql } from '../core/spreadsheet.js';
import { exec, queryRows } from './duckdb.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

/** Column types DuckDB writes as numbers, booleans or dates: never a formula, written as they are. */
const PLAIN_TYPES = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|DATE|TIMESTAMP.*)$/;

/**
 * Writes the result of a query as a CSV file a person may open in a spreadsheet: every column that is not
 * a number, a boolean or a date is written as text and defused (src/core/spreadsheet.ts), and every cell is
 * quoted (NULL stays an empty, unquoted cell), as `csvLine` does. Every CSV the pipeline writes through
 * DuckDB goes through here.
 */
export async function copyToCsv(connection: DuckDBConnection, select: string, path: string): Promise<void> {
  const columns = await queryRows<{ column_name: string; column_type: string }>(connection, `DESCRIBE (${select})`);
  const text = columns.filter((c) => !PLAIN_TYPES.test(c.column_type)).map((c) => c.column_name);
  const cells = columns.map((c) =>
    text.includes(c.column_name)
      ? `${defuseCellSql(`CAST(${q(c.column_name)} AS VARCHAR)`)} AS ${q(c.column_name)}`
      : q(c.column_name),
  );
  await exec(
    connection,
    `COPY (SELECT ${cells.join(', ')} FROM (${select})) TO ${lit(path)} (FORMAT csv, HEADER true, DELIMITER ',', FORCE_QUOTE *)`,
  );
}
