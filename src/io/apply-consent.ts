import type { DuckDBConnection } from '@duckdb/node-api';
import { toIsoDate } from '../core/time.js';
import { consentAuditSql, consentStateSql, suppressedContactsSql } from '../contract/consent-sql.js';
import type { TableName } from '../contract/schema.js';
import { exec, queryRows, queryValue, tableExists } from './duckdb.js';
import { quoteIdent as q } from './sql.js';

export interface ConsentAudit {
  readonly basis: 'consent' | 'legitimate_interest';
  readonly customers: number;
  readonly included: number;
  readonly excluded_erased: number;
  readonly excluded_withdrawn: number;
  /** Profiling consent that cannot be read as granted or withdrawn (tied with or superseded by an unreadable record). */
  readonly excluded_ambiguous: number;
  readonly excluded_never_asked: number;
  /** Customers whose only erasure requests are dated after the as-of date: they wait for a later run. */
  readonly erasure_pending: number;
  /** Erased customers whose request has no readable, plausible date (erased all the same). */
  readonly erasure_undated: number;
  readonly email_reachable: number;
  readonly sms_reachable: number;
  /** Rows of each table removed because their customer is not included (no consent or erased). */
  readonly rowsExcluded: Partial<Record<TableName, number>>;
}

const DATA_TABLES: TableName[] = ['customers', 'orders', 'events', 'zero_party', 'consent'];

/**
 * Resolves consent at the as-of date into `consent_state` and `eligible(customer_id)`, then removes every
 * row of a customer who is not eligible from the working tables, so no later stage can leak them.
 */
export async function applyConsent(
  connection: DuckDBConnection,
  options: { asOf: Date; basis: 'consent' | 'legitimate_interest' },
): Promise<ConsentAudit> {
  const present: TableName[] = [];
  for (const t of DATA_TABLES) if (await tableExists(connection, t)) present.push(t);
  await exec(
    connection,
    consentStateSql({
      asOfEnd: `${toIsoDate(options.asOf)} 23:59:59.999999`,
      basis: options.basis,
      hasConsent: await tableExists(connection, 'consent_records'),
      hasErasure: await tableExists(connection, 'erasure_requests'),
      customerTables: present.filter((t) => t !== 'consent'),
    }),
  );
  await exec(
    connection,
    'CREATE OR REPLACE TABLE eligible AS SELECT customer_id FROM consent_state WHERE eligible ORDER BY customer_id',
  );
  const [audit] = await queryRows<Omit<ConsentAudit, 'basis' | 'rowsExcluded'>>(
    connection,
    consentAuditSql(),
  );
  // Addresses of customers who are out, before their rows go: exports suppress them on other records too.
  if (present.includes('customers')) await exec(connection, suppressedContactsSql());
  const rowsExcluded: Partial<Record<TableName, number>> = {};
  for (const table of present) {
    const before = Number(await queryValue(connection, `SELECT count(*) FROM ${q(table)}`));
    await exec(
      connection,
      `DELETE FROM ${q(table)} WHERE customer_id NOT IN (SELECT customer_id FROM eligible)`,
    );
    const after = Number(await queryValue(connection, `SELECT count(*) FROM ${q(table)}`));
    rowsExcluded[table] = before - after;
  }
  return { basis: options.basis, ...(audit as Omit<ConsentAudit, 'basis' | 'rowsExcluded'>), rowsExcluded };
}
