import type { ConsentAudit } from '../io/apply-consent.js';
import type { ValidationOutcome } from '../runner/validate.js';

function pad(text: string | number, width: number, right = false): string {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

/** Why customers are out, in words: every reason of the consent audit, with the erasure requests that wait. */
export function consentOut(c: Omit<ConsentAudit, 'basis' | 'rowsExcluded'>): string {
  const undated = c.erasure_undated > 0 ? ` (${c.erasure_undated} by a request without a readable date)` : '';
  const pending =
    c.erasure_pending > 0 ? `; ${c.erasure_pending} erasure request(s) dated after the as-of date wait` : '';
  return `${c.excluded_never_asked} never asked, ${c.excluded_withdrawn} withdrawn, ${c.excluded_ambiguous} ambiguous, ${c.excluded_erased} erased${undated}${pending}`;
}

/** Row accounting per table, and the quarantine reasons, as people read them. */
export function validationTable(outcome: ValidationOutcome): string {
  const lines = [
    `${pad('table', 12)}${pad('read', 11, true)}${pad('accepted', 11, true)}${pad('quarantined', 13, true)}  reasons`,
  ];
  for (const [table, v] of Object.entries(outcome.ingest.tables)) {
    const reasons = Object.entries(v.reasons)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    lines.push(
      `${pad(table, 12)}${pad(v.rowsRead, 11, true)}${pad(v.accepted, 11, true)}${pad(v.quarantined, 13, true)}  ${reasons || '-'}`,
    );
  }
  for (const [table, v] of Object.entries(outcome.ingest.tables)) {
    const dropped = Object.entries(v.fieldsDropped ?? {}).map(([code, n]) => `${code} ${n}`);
    if (dropped.length > 0)
      lines.push(`${table}: kept, without the contact field that is not usable: ${dropped.join(', ')} (validation/${table}.dropped_fields.csv)`);
  }
  for (const [table, v] of Object.entries(outcome.ingest.tables)) {
    const readAs = v.readAs;
    const detected = [
      readAs?.decimalFrom === 'detected' ? `decimal comma` : '',
      readAs?.dateFormatFrom === 'detected' ? `dates as ${readAs.dateFormat}` : '',
    ].filter(Boolean);
    if (detected.length > 0) lines.push(`${table}: ${v.file} read with ${detected.join(' and ')} (detected from the data; settings: tables.${table}.decimal, date_format)`);
  }
  const c = outcome.consent;
  if (c) {
    lines.push(
      `consent (${c.basis}): ${c.included} of ${c.customers} customers included; out: ${consentOut(c)}; reachable by email ${c.email_reachable}, by SMS ${c.sms_reachable}`,
    );
  }
  const orders = outcome.ingest.tables.orders?.orders;
  if (orders) {
    lines.push(
      `orders: ${orders.count} accepted, of which ${orders.returns} returns/refunds and ${orders.cancelled} cancelled (kept as data)`,
    );
  }
  lines.push(`summary: ${outcome.summaryPath}`);
  return lines.join('\n');
}

export function printValidation(outcome: ValidationOutcome, json: boolean): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ summary: outcome.summaryPath, tables: outcome.ingest.tables, consent: outcome.consent ?? null, warnings: outcome.ingest.warnings })}\n`,
    );
  } else {
    process.stdout.write(`${validationTable(outcome)}\n`);
  }
}
