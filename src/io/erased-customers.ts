import type { Config } from '../config/schema.js';
import { erasureStateSql } from '../contract/consent-sql.js';
import { checkedTableSql } from '../contract/validation-sql.js';
import { checkColumnExpressions } from './column-expressions.js';
import { exec, queryRows, restrictFileAccess, withConnection } from './duckdb.js';
import { findSources } from './find-sources.js';
import { keepGovernanceRecords } from './governance.js';
import { finishRawTable, openRawTable, readingFile } from './read-raw.js';
import { validationPlan } from './validation-plan.js';

/**
 * The customer ids of the data directory's erasure table at the as-of date, read exactly as a run reads
 * that table (column mapping, date format; every request counts whatever its date says, unless it is dated
 * after the as-of date; a line that cannot be parsed counts for the ids it holds).
 * Every id counts, even one no longer in any other table: a model registry may still remember that customer.
 */
export async function readErasedCustomers(dataDir: string, config: Config, asOf: Date): Promise<string[]> {
  const source = findSources(dataDir, config).erasure;
  if (!source) return [];
  return withConnection(async (connection) => {
    await restrictFileAccess(connection, { readFiles: [source.path], writeDirs: [] });
    const raw = await openRawTable(connection, source);
    const plan = validationPlan({
      table: 'erasure',
      rawColumns: raw.columns,
      sourceName: source.name,
      config: await checkColumnExpressions(connection, 'erasure', config, raw.columns, source.name),
      asOf,
      checkCustomers: false,
    });
    const shape = { columns: raw.columns.map((c) => c.name), csv: source.format === 'csv' };
    await readingFile(source, () => exec(connection, checkedTableSql(plan, shape)));
    await finishRawTable(connection, raw, 'checked_erasure');
    await keepGovernanceRecords(connection, plan, source.name);
    const rows = await queryRows<{ customer_id: string }>(
      connection,
      `SELECT customer_id FROM (${erasureStateSql(plan.asOfEnd)}) WHERE erased ORDER BY customer_id`,
    );
    return rows.map((r) => r.customer_id);
  });
}
