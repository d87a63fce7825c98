import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../config/schema.js';
import { checkExpressionTree, type SerializedSelect } from '../contract/column-expression.js';
import type { RawColumn } from '../contract/mapping.js';
import type { TableName } from '../contract/schema.js';
import { configError, show } from '../core/errors.js';
import { queryValue } from './duckdb.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

const ALIAS = 'personae_column_expression';

/**
 * The config with every `{sql: …}` mapping of `table` replaced by DuckDB's rendering of the checked
 * expression (src/contract/column-expression.ts), after checking that it reads only the file's columns and
 * binds on them. A mapping that is not one such expression stops the run with a config error naming it.
 * Runs after `raw_<table>` is loaded.
 */
export async function checkColumnExpressions(
  connection: DuckDBConnection,
  table: TableName,
  config: Config,
  rawColumns: readonly RawColumn[],
  file: string,
): Promise<Config> {
  const tableConfig = config.tables[table];
  if (!tableConfig) return config;
  const columns = { ...tableConfig.columns };
  for (const [canonical, source] of Object.entries(tableConfig.columns)) {
    if (typeof source !== 'object') continue;
    const setting = `config tables.${table}.columns.${canonical}`;
    const refuse = (problem: string): never =>
      configError(
        'column_expression',
        `${setting}: ${show(source.sql)} is refused: ${problem}`,
        `Give one expression over the columns of ${file} (${rawColumns.map((c) => c.name).join(', ')}), e.g. TRY_CAST(Price AS DOUBLE) * TRY_CAST(Quantity AS DOUBLE); subqueries, file and table functions are not allowed.`,
      );
    // Parenthesised and named by us: the text must be one expression to parse as one select item.
    const select = lit(`SELECT (${source.sql}\n) AS ${ALIAS}`);
    const parsed = JSON.parse(await queryValue<string>(connection, `SELECT json_serialize_sql(${select})`)) as SerializedSelect;
    const check = checkExpressionTree(
      parsed,
      rawColumns.map((c) => c.name),
    );
    if (!check.ok) return refuse(check.problem);
    // What runs is DuckDB's rendering of the checked tree (in SQL: no number goes through JavaScript).
    const rendered = await queryValue<string>(connection, `SELECT json_deserialize_sql(json_serialize_sql(${select}))`);
    const suffix = ` AS ${ALIAS}`;
    if (!rendered.startsWith('SELECT ') || !rendered.endsWith(suffix)) return refuse('it cannot be rendered back as one expression');
    const expression = rendered.slice('SELECT '.length, -suffix.length);
    try {
      await queryValue(connection, `SELECT count(*) FROM (DESCRIBE SELECT (${expression}) FROM ${q(`raw_${table}`)})`);
    } catch (error) {
      refuse(String((error as Error).message).split('\n')[0] ?? 'it does not run on the file');
    }
    columns[canonical] = { sql: expression };
  }
  return { ...config, tables: { ...config.tables, [table]: { ...tableConfig, columns } } };
}
