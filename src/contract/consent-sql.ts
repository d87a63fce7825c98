import { quoteLiteral as lit } from '../io/sql.js';

/**
 * Consent rules of the data contract, as SQL over the validated tables:
 * - the latest consent record per customer and purpose at the as-of date wins (a tie on the same
 *   timestamp resolves to withdrawn: when in doubt, no consent);
 * - profiling consent gates everything; email/sms consent gates each channel's export;
 * - with basis legitimate_interest (no consent needed for profiling) an explicit profiling withdrawal
 *   (an objection) is still honoured;
 * - erased customers are out of everything, whatever their consent.
 */
export interface ConsentPlan {
  readonly asOfEnd: string;
  readonly basis: 'consent' | 'legitimate_interest';
  readonly hasConsent: boolean;
  readonly hasErasure: boolean;
  /** Tables holding customer ids (present ones only). */
  readonly customerTables: readonly string[];
}

export function consentStateSql(plan: ConsentPlan): string {
  const universe = plan.customerTables.map((t) => `SELECT customer_id FROM ${t}`).join(' UNION ');
  const latest = plan.hasConsent
    ? `SELECT customer_id, purpose, status FROM (
         SELECT customer_id, purpose, status, row_number() OVER (PARTITION BY customer_id, purpose
           ORDER BY recorded_at DESC, CASE status WHEN 'withdrawn' THEN 0 ELSE 1 END) AS rn
         FROM consent WHERE recorded_at <= TIMESTAMP ${lit(plan.asOfEnd)}) WHERE rn = 1`
    : `SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS purpose, NULL::VARCHAR AS status WHERE false`;
  const erased = plan.hasErasure
    ? 'SELECT DISTINCT customer_id FROM erasure'
    : 'SELECT NULL::VARCHAR AS customer_id WHERE false';
  const profilingOk =
    plan.basis === 'consent' ? `l.profiling = 'granted'` : `coalesce(l.profiling, 'none') <> 'withdrawn'`;
  return `CREATE OR REPLACE TABLE consent_state AS
WITH universe AS (SELECT DISTINCT customer_id FROM (${universe}) WHERE customer_id IS NOT NULL),
latest AS (SELECT customer_id,
    max(CASE WHEN purpose = 'profiling' THEN status END) AS profiling,
    max(CASE WHEN purpose = 'email' THEN status END) AS email,
    max(CASE WHEN purpose = 'sms' THEN status END) AS sms
  FROM (${latest}) GROUP BY customer_id),
erased AS (${erased})
SELECT u.customer_id, l.profiling, l.email, l.sms,
  u.customer_id IN (SELECT customer_id FROM erased) AS erased,
  (u.customer_id NOT IN (SELECT customer_id FROM erased)) AND coalesce(${profilingOk}, false) AS eligible,
  (u.customer_id NOT IN (SELECT customer_id FROM erased)) AND coalesce(${profilingOk}, false) AND coalesce(l.email = 'granted', false) AS email_ok,
  (u.customer_id NOT IN (SELECT customer_id FROM erased)) AND coalesce(${profilingOk}, false) AND coalesce(l.sms = 'granted', false) AS sms_ok
FROM universe u LEFT JOIN latest l USING (customer_id)`;
}

/** Why each customer is in or out: the consent audit of run.json. */
export function consentAuditSql(): string {
  return `SELECT
  count(*) AS customers,
  count(*) FILTER (WHERE eligible) AS included,
  count(*) FILTER (WHERE erased) AS excluded_erased,
  count(*) FILTER (WHERE NOT erased AND profiling = 'withdrawn') AS excluded_withdrawn,
  count(*) FILTER (WHERE NOT erased AND NOT eligible AND profiling IS NULL) AS excluded_never_asked,
  count(*) FILTER (WHERE email_ok) AS email_reachable,
  count(*) FILTER (WHERE sms_ok) AS sms_reachable
FROM consent_state`;
}
