import { quoteIdent as q, quoteLiteral as lit } from '../io/sql.js';
import { PHONE_SEPARATORS } from './contact.js';
import { CONSENT_PURPOSES, CONSENT_STATUSES } from './schema.js';

/**
 * Consent rules of the data contract, as SQL. Privacy fails closed: a consent or erasure record that cannot
 * be read is still evidence, and it only ever takes a customer out.
 *
 * Consent, per customer and purpose, at the as-of date:
 * - the latest dated record wins; records at the same UTC instant tie, and a tie resolves to withdrawn,
 *   else to ambiguous when one of them has a status that cannot be read (`maybe`, `pending`, empty):
 *   ambiguous consent is no consent;
 * - a withdrawal, or a record whose status cannot be read, that cannot be dated (unreadable, empty or
 *   implausible date) takes the customer out of that purpose whatever the other records say;
 * - a grant that cannot be dated grants nothing; a record dated after the as-of date is not in force yet;
 * - a record whose purpose cannot be read (`profilling`, empty) counts for every purpose when it withdraws
 *   or cannot be read, and grants nothing when it grants;
 * - a consent line that cannot be parsed at all takes the customer it names out of every purpose.
 * Profiling consent gates everything; email/sms consent gates each channel's export. With basis
 * legitimate_interest an explicit or ambiguous profiling withdrawal (an objection) is still honoured.
 *
 * Erasure: every request with a customer id erases that customer, whatever its date says (unreadable,
 * empty, implausible); only a request dated after the as-of date waits. A line that cannot be parsed
 * erases the customer it names. Erased customers are out of everything, whatever their consent.
 */
export interface ConsentPlan {
  readonly asOfEnd: string;
  readonly basis: 'consent' | 'legitimate_interest';
  readonly hasConsent: boolean;
  readonly hasErasure: boolean;
  /** Tables holding customer ids (present ones only). */
  readonly customerTables: readonly string[];
}

/** How a governance table (consent, erasure) was checked: the columns it has and the earliest plausible date. */
export interface GovernancePlan {
  readonly table: 'consent' | 'erasure';
  /** Canonical columns present in the file. */
  readonly columns: readonly string[];
  readonly minYear: number;
}

/** Every value of a line that cannot be parsed, as candidate customer ids (matched against real ids later). */
function malformedIdsSql(table: string): string {
  return `SELECT DISTINCT trim(token) AS customer_id
  FROM (SELECT unnest(regexp_split_to_array(content, '[,;|\\t"]')) AS token FROM ${q(`malformed_${table}`)})
  WHERE trim(token) <> ''`;
}

function column(plan: GovernancePlan, name: string, type: string): string {
  return plan.columns.includes(name) ? q(`p_${name}`) : `NULL::${type}`;
}

/** A date before the plausible range is as good as no date. */
function datedSql(plan: GovernancePlan, name: string): string {
  const value = column(plan, name, 'TIMESTAMP');
  return `CASE WHEN ${value} >= TIMESTAMP '${plan.minYear}-01-01' THEN ${value} END`;
}

/**
 * `consent_records(customer_id, purpose, status, recorded_at)` from `checked_consent`, quarantined rows
 * included: NULL means "could not be read" (purpose, status) or "cannot be dated" (recorded_at).
 */
export function consentRecordsSql(plan: GovernancePlan): string {
  const purposes = CONSENT_PURPOSES.map(lit).join(', ');
  const statuses = CONSENT_STATUSES.map(lit).join(', ');
  return `CREATE OR REPLACE TABLE consent_records AS
SELECT "p_customer_id" AS customer_id,
  CASE WHEN "p_purpose" IN (${purposes}) THEN "p_purpose" END AS purpose,
  CASE WHEN "p_status" IN (${statuses}) THEN "p_status" END AS status,
  ${datedSql(plan, 'recorded_at')} AS recorded_at
FROM checked_consent WHERE "p_customer_id" IS NOT NULL
UNION ALL
SELECT customer_id, NULL, NULL, NULL FROM (${malformedIdsSql('consent')})`;
}

/** `erasure_requests(customer_id, requested_at)` from `checked_erasure`; NULL requested_at: cannot be dated. */
export function erasureRequestsSql(plan: GovernancePlan): string {
  return `CREATE OR REPLACE TABLE erasure_requests AS
SELECT "p_customer_id" AS customer_id, ${datedSql(plan, 'requested_at')} AS requested_at
FROM checked_erasure WHERE "p_customer_id" IS NOT NULL
UNION ALL
SELECT customer_id, NULL FROM (${malformedIdsSql('erasure')})`;
}

/** Per customer: erased now, and whether a request cannot be dated or waits for a later as-of date. */
export function erasureStateSql(asOfEnd: string): string {
  return `SELECT customer_id,
    bool_or(requested_at IS NULL OR requested_at <= TIMESTAMP ${lit(asOfEnd)}) AS erased,
    bool_or(requested_at IS NULL) AS undated,
    bool_or(requested_at > TIMESTAMP ${lit(asOfEnd)}) AS pending
  FROM erasure_requests GROUP BY customer_id`;
}

/** The state of each purpose per customer: granted, withdrawn, ambiguous, or NULL (never asked). */
function purposeStateSql(asOfEnd: string): string {
  const purposes = CONSENT_PURPOSES.map((p) => `(${lit(p)})`).join(', ');
  return `WITH expanded AS (
    SELECT r.customer_id, p.purpose, r.status, r.recorded_at
    FROM consent_records r JOIN (VALUES ${purposes}) p(purpose)
      ON r.purpose = p.purpose OR (r.purpose IS NULL AND r.status IS DISTINCT FROM 'granted')
    WHERE r.recorded_at IS NULL OR r.recorded_at <= TIMESTAMP ${lit(asOfEnd)}),
  undated AS (
    SELECT customer_id, purpose,
      CASE WHEN bool_or(status = 'withdrawn') THEN 'withdrawn' ELSE 'ambiguous' END AS state
    FROM expanded WHERE recorded_at IS NULL AND status IS DISTINCT FROM 'granted' GROUP BY ALL),
  latest AS (
    SELECT customer_id, purpose,
      CASE WHEN bool_or(status = 'withdrawn') THEN 'withdrawn' WHEN bool_or(status IS NULL) THEN 'ambiguous'
        ELSE 'granted' END AS state
    FROM (SELECT *, rank() OVER (PARTITION BY customer_id, purpose ORDER BY recorded_at DESC) AS rk
          FROM expanded WHERE recorded_at IS NOT NULL)
    WHERE rk = 1 GROUP BY ALL)
  SELECT customer_id, purpose, coalesce(u.state, l.state) AS state
  FROM latest l FULL JOIN undated u USING (customer_id, purpose)`;
}

export function consentStateSql(plan: ConsentPlan): string {
  const universe = plan.customerTables.map((t) => `SELECT customer_id FROM ${t}`).join(' UNION ');
  const states = plan.hasConsent
    ? purposeStateSql(plan.asOfEnd)
    : `SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS purpose, NULL::VARCHAR AS state WHERE false`;
  const erasure = plan.hasErasure
    ? erasureStateSql(plan.asOfEnd)
    : 'SELECT NULL::VARCHAR AS customer_id, false AS erased, false AS undated, false AS pending WHERE false';
  const profilingOk =
    plan.basis === 'consent'
      ? `l.profiling = 'granted'`
      : `coalesce(l.profiling, 'none') NOT IN ('withdrawn', 'ambiguous')`;
  const notErased = 'NOT coalesce(e.erased, false)';
  return `CREATE OR REPLACE TABLE consent_state AS
WITH universe AS (SELECT DISTINCT customer_id FROM (${universe}) WHERE customer_id IS NOT NULL),
latest AS (SELECT customer_id,
    any_value(state) FILTER (WHERE purpose = 'profiling') AS profiling,
    any_value(state) FILTER (WHERE purpose = 'email') AS email,
    any_value(state) FILTER (WHERE purpose = 'sms') AS sms
  FROM (${states}) GROUP BY customer_id),
erasure AS (${erasure})
SELECT u.customer_id, l.profiling, l.email, l.sms,
  coalesce(e.erased, false) AS erased,
  coalesce(e.erased AND e.undated, false) AS erasure_undated,
  coalesce(${notErased} AND e.pending, false) AS erasure_pending,
  ${notErased} AND coalesce(${profilingOk}, false) AS eligible,
  ${notErased} AND coalesce(${profilingOk}, false) AND coalesce(l.email = 'granted', false) AS email_ok,
  ${notErased} AND coalesce(${profilingOk}, false) AND coalesce(l.sms = 'granted', false) AS sms_ok
FROM universe u LEFT JOIN latest l USING (customer_id) LEFT JOIN erasure e USING (customer_id)`;
}

/** Why each customer is in or out: the consent audit of run.json. */
export function consentAuditSql(): string {
  return `SELECT
  count(*) AS customers,
  count(*) FILTER (WHERE eligible) AS included,
  count(*) FILTER (WHERE erased) AS excluded_erased,
  count(*) FILTER (WHERE NOT erased AND profiling = 'withdrawn') AS excluded_withdrawn,
  count(*) FILTER (WHERE NOT erased AND profiling = 'ambiguous') AS excluded_ambiguous,
  count(*) FILTER (WHERE NOT erased AND NOT eligible AND profiling IS NULL) AS excluded_never_asked,
  count(*) FILTER (WHERE erasure_pending) AS erasure_pending,
  count(*) FILTER (WHERE erasure_undated) AS erasure_undated,
  count(*) FILTER (WHERE email_ok) AS email_reachable,
  count(*) FILTER (WHERE sms_ok) AS sms_reachable
FROM consent_state`;
}

/**
 * `suppressed_contacts(channel, address)`: the email addresses and phone numbers held by a customer who is
 * erased, objected to profiling or withdrew that channel (or whose consent for either cannot be read).
 * Another customer record holding the same address is the same person as far as a mailing tool can tell,
 * so exports leave the address out (a mailing tool's suppression list). Run before the rows of customers
 * who are out are deleted. Addresses are compared as the exports compare them (`addressKey`).
 */
export function suppressedContactsSql(): string {
  const out = `s.erased OR s.profiling IN ('withdrawn', 'ambiguous')`;
  const phone = `regexp_replace(trim(c.phone), ${lit(PHONE_SEPARATORS)}, '', 'g')`;
  return `CREATE OR REPLACE TABLE suppressed_contacts AS
SELECT DISTINCT 'email' AS channel, lower(trim(c.email)) AS address FROM customers c JOIN consent_state s USING (customer_id)
  WHERE c.email IS NOT NULL AND (${out} OR s.email IN ('withdrawn', 'ambiguous'))
UNION
SELECT DISTINCT 'sms', ${phone} FROM customers c JOIN consent_state s USING (customer_id)
  WHERE c.phone IS NOT NULL AND (${out} OR s.sms IN ('withdrawn', 'ambiguous'))`;
}
