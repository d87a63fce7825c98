import type { ExportSummary } from '../segments/exports.js';
import type { PersonaAudience, PersonaDocument } from './types.js';

/** The persona lists of an export summary, as the persona document records them for the report. */
export function personaAudiences(summary: ExportSummary): PersonaAudience[] {
  return summary.lists
    .filter((l) => l.kind === 'persona')
    .map((l) => ({
      persona: l.segment,
      channel: l.channel,
      file: `exports/${l.name}.csv`,
      candidates: l.candidates,
      included: l.included,
      leftOut: {
        erased: l.left_out_erased,
        noConsent: l.left_out_no_consent,
        missingContact: l.left_out_missing_contact,
        suppressed: l.left_out_suppressed,
      },
    }));
}

/** The document with the run's persona audience lists (unchanged when the run exported none). */
export function withAudiences(doc: PersonaDocument, summary: ExportSummary | undefined): PersonaDocument {
  const audiences = summary ? personaAudiences(summary) : [];
  return audiences.length > 0 ? { ...doc, audiences } : doc;
}
