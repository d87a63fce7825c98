import type { Config } from '../config/schema.js';
import { acceptedTableSql, checkedTableSql } from '../contract/validation-sql.js';
import { exec, queryRows, withConnection } from './duckdb.js';
import { findSources } from './find-sources.js';
import { readRawTable } from './read-raw.js';
import { validationPlan } from './validation-plan.js';

/**
 * The customer ids of the data directory's erasure table at the as-of date, validated exactly as ingest
 * validates that table (column mapping, date format; requests dated after the as-of date do not count yet).
 * Every id counts, even one no longer in any other table: a model registry may still remember that customer.
 */
export async function readErasedCustomers(dataDir: string, config: Config, asOf: Date): Promise<string[]> {
  const source = findSources(dataDir, config).erasure;
  if (!source) return [];
  return withConnection(async (connection) => {
    const raw = await readRawTable(connection, source);
    const plan = validationPlan({
      table: 'erasure',
      rawColumns: raw.columns,
      sourceName: source.name,
      config,
      asOf,
      checkCustomers: false,
    });
    await exec(connection, checkedTableSql(plan));
    await exec(connection, acceptedTableSql(plan));
    const rows = await queryRows<{ customer_id: string }>(
      connection,
      'SELECT DISTINCT customer_id FROM erasure WHERE customer_id IS NOT NULL ORDER BY customer_id',
    );
    return rows.map((r) => r.customer_id);
  });
}
