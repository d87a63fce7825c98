import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, tableExists } from './duckdb.js';
import { copyToCsv } from './write-csv.js';
import type { IngestResult } from './ingest.js';
import { quoteLiteral as lit } from './sql.js';

/**
 * Writes OUT/validation/summary.json, one quarantine CSV per table (file, line, reason, column, content) and,
 * for tables with contact fields, `<table>.dropped_fields.csv` (file, line, column, reason).
 * The content of a quarantined row is kept only when it belongs to no customer or to an eligible one;
 * rows of erased or non-consented customers keep their file, line and reason, with the content redacted.
 */
export async function writeValidation(
  connection: DuckDBConnection,
  outDir: string,
  result: IngestResult,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const dir = join(outDir, 'validation');
  mkdirSync(dir, { recursive: true });
  const gated = await tableExists(connection, 'consent_state');
  const allowed = gated
    ? `(q.customer_id IS NULL AND (q.reason <> 'malformed_line' OR NOT EXISTS (
          SELECT 1 FROM consent_state s WHERE NOT s.eligible AND contains(q.content, s.customer_id)
            AND list_contains(regexp_split_to_array(q.content, '[,;|\\t"]'), s.customer_id))))
        OR q.customer_id IN (SELECT customer_id FROM eligible)`
    : `q.customer_id IS NULL OR q.customer_id NOT IN (SELECT customer_id FROM erasure_requests)`;
  const hasErasure = gated || (await tableExists(connection, 'erasure_requests'));
  const keep = hasErasure ? allowed : 'true';
  for (const table of Object.keys(result.tables)) {
    const path = join(dir, `${table}.quarantine.csv`);
    await copyToCsv(
      connection,
      `SELECT q.file, q.line, q.reason, q.column_name AS "column",
         CASE WHEN ${keep} THEN q.content ELSE '{"redacted":"customer not consented or erased"}' END AS content
       FROM quarantine q WHERE q.table_name = ${lit(table)} ORDER BY q.line`,
      path,
    );
  }
  // Where the dropped contact fields are (file, line, column, reason): never their value, which is personal.
  const withFields = Object.entries(result.tables).filter(([, t]) => t?.fieldsDropped !== undefined);
  for (const [table] of withFields) {
    await copyToCsv(
      connection,
      `SELECT file, line, column_name AS "column", reason FROM dropped_fields
       WHERE table_name = ${lit(table)} ORDER BY line, column_name`,
      join(dir, `${table}.dropped_fields.csv`),
    );
  }
  const totals = await queryRows<{ reason: string; n: number }>(
    connection,
    'SELECT reason, count(*) AS n FROM quarantine GROUP BY 1 ORDER BY 1',
  );
  const summary = {
    asOf: result.asOf,
    currency: result.currency ?? null,
    tables: result.tables,
    quarantinedByReason: Object.fromEntries(totals.map((r) => [r.reason, r.n])),
    warnings: result.warnings,
    rejectedColumns: result.rejectedColumns,
    ...extra,
  };
  const path = join(dir, 'summary.json');
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  return path;
}
