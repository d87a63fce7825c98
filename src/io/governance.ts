import type { DuckDBConnection } from '@duckdb/node-api';
import { consentRecordsSql, erasureRequestsSql } from '../contract/consent-sql.js';
import type { ValidationPlan } from '../contract/validation-sql.js';
import { exec, queryRows } from './duckdb.js';
import { quoteIdent as q } from './sql.js';

/**
 * Keeps every record of a governance table (consent, erasure), quarantined ones included, for the consent
 * rules (`consent_records`, `erasure_requests`): a record that cannot be read still counts in the
 * direction that takes people out. Runs while `checked_<t>` and `malformed_<t>` exist; returns the warning
 * telling how many quarantined rows still count (undefined when none, or for another table).
 */
export async function keepGovernanceRecords(
  connection: DuckDBConnection,
  plan: ValidationPlan,
  file: string,
): Promise<string | undefined> {
  if (plan.table !== 'consent' && plan.table !== 'erasure') return undefined;
  const governance = { table: plan.table, columns: Object.keys(plan.sources), minYear: plan.minYear };
  await exec(connection, plan.table === 'consent' ? consentRecordsSql(governance) : erasureRequestsSql(governance));
  // Grants that cannot be read grant nothing, and records dated after the as-of date are not in force yet.
  const counted =
    plan.table === 'consent'
      ? `reason <> 'future_date' AND "p_status" IS DISTINCT FROM 'granted'`
      : `reason <> 'future_date'`;
  const [row] = await queryRows<{ rows: number; lines: number }>(
    connection,
    `SELECT (SELECT count(*) FROM ${q(`checked_${plan.table}`)} WHERE reason IS NOT NULL AND "p_customer_id" IS NOT NULL AND ${counted}) AS rows,
       (SELECT count(*) FROM ${q(`malformed_${plan.table}`)}) AS lines`,
  );
  const { rows, lines } = row as { rows: number; lines: number };
  if (rows + lines === 0) return undefined;
  const what =
    plan.table === 'consent'
      ? `${rows} quarantined withdrawal(s) or record(s) whose status or purpose cannot be read`
      : `${rows} quarantined erasure request(s) whose date cannot be read or is implausible`;
  const malformed = lines > 0 ? ` and ${lines} line(s) that cannot be parsed (for the customer ids they hold)` : '';
  return `${file}: ${what}${malformed} still count: privacy fails closed, so they only ever take customers out (see the consent audit in run.json)`;
}
