import type { RunResult } from '../runner/run.js';
import { consentOut } from './print.js';

/** The end-of-run summary: row accounting, consent, what was produced and where. */
export function printRunSummary(result: RunResult, json: boolean): void {
  const m = result.manifest;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ manifest: result.manifestPath, asOf: m.asOf, rows: m.rows, consent: m.consent, report: m.report ?? null })}\n`,
    );
    return;
  }
  const lines = [`Personae run as of ${m.asOf}`];
  for (const [table, r] of Object.entries(m.rows)) {
    lines.push(
      `  ${table.padEnd(11)} read ${r.read}, accepted ${r.accepted}, quarantined ${r.quarantined}, left out by consent/erasure ${r.excludedByConsent}, used ${r.used}`,
    );
    const dropped = Object.entries(r.fieldsDropped ?? {}).filter(([, n]) => n > 0);
    if (dropped.length > 0)
      lines.push(
        `  ${''.padEnd(11)} kept without the contact field that is not usable: ${dropped.map(([code, n]) => `${code} ${n}`).join(', ')} (validation/${table}.dropped_fields.csv)`,
      );
  }
  if (m.consent) {
    lines.push(
      `  consent (${m.consent.lawfulBasis}): ${m.consent.included} of ${m.consent.customers} customers in (out: ${consentOut(m.consent)})`,
    );
  }
  if (m.features)
    lines.push(
      `  features: ${m.features.count} for ${m.features.customers} customers (${m.features.families.join(', ')})`,
    );
  for (const w of m.warnings) lines.push(`  warning: ${w}`);
  lines.push(`run manifest: ${result.manifestPath}`);
  const report = m.report as { html?: string } | undefined;
  if (report?.html) lines.push(`persona report: ${report.html}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
