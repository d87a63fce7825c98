import { describe, expect, it } from 'vitest';
import { withAudiences } from '../../src/personas/audiences.js';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { renderHtmlReport, renderMarkdownReport } from '../../src/report/render-report.js';
import type { ExportSummary, ListSummary } from '../../src/segments/exports.js';

const doc = buildPersonas(buildDemoPersonaInput({ seed: 21, customers: 2000 }));
const p1 = doc.personas[0]?.id as string;

const list = (channel: 'email' | 'sms', over: Partial<ListSummary>): ListSummary => ({
  name: `${channel}_persona_${p1.toLowerCase()}`,
  channel,
  kind: 'persona',
  segment: p1,
  candidates: 600,
  included: 412,
  left_out_erased: 0,
  left_out_no_consent: 120,
  left_out_missing_contact: 65,
  left_out_suppressed: 3,
  ...over,
});
const summary: ExportSummary = {
  as_of: '2025-12-31',
  channels: ['email', 'sms'],
  reachable: {},
  lists: [
    list('email', {}),
    list('sms', { included: 600, left_out_no_consent: 0, left_out_missing_contact: 0, left_out_suppressed: 0 }),
    { ...list('email', {}), name: 'email_lifecycle_active', kind: 'lifecycle', segment: 'active' },
  ],
};

describe('persona audience lists in the report', () => {
  const withLists = withAudiences(doc, summary);

  it('records only the persona lists, with every candidate accounted for', () => {
    expect(withLists.audiences).toEqual([
      { persona: p1, channel: 'email', file: `exports/email_persona_${p1.toLowerCase()}.csv`, candidates: 600, included: 412, leftOut: { erased: 0, noConsent: 120, missingContact: 65, suppressed: 3 } },
      { persona: p1, channel: 'sms', file: `exports/sms_persona_${p1.toLowerCase()}.csv`, candidates: 600, included: 600, leftOut: { erased: 0, noConsent: 0, missingContact: 0, suppressed: 0 } },
    ]);
    expect(withAudiences(doc, undefined)).toBe(doc);
  });

  it('lists each file with its count and why the others are out, small counts not exact (privacy floor)', () => {
    const section = buildReportModel(withLists, 'en').personas[0];
    expect(section?.audiences).toEqual([
      `email: 412 customers in exports/email_persona_${p1.toLowerCase()}.csv (of 600; 120 without email consent, 65 without a usable address, fewer than ${doc.settings.minSize} whose address is also held by a customer who was erased or withdrew)`,
      `SMS: 600 customers in exports/sms_persona_${p1.toLowerCase()}.csv (of 600; none left out)`,
    ]);
    const fr = buildReportModel(withLists, 'fr').personas[0];
    expect(fr?.audiences?.[0]).toBe(`e-mail\u00a0: 412 clients dans exports/email_persona_${p1.toLowerCase()}.csv (sur 600\u00a0; 120 sans consentement e-mail, 65 sans adresse utilisable, moins de ${doc.settings.minSize} dont l’adresse est aussi celle d’un client effacé ou qui a retiré son consentement)`);
    expect(buildReportModel(doc, 'en').personas[0]?.audiences).toBeNull();
    expect(renderHtmlReport(withLists, 'en')).toContain(`exports/email_persona_${p1.toLowerCase()}.csv`);
    expect(renderMarkdownReport(withLists, 'fr')).toContain('Listes d’audience');
  });
});
