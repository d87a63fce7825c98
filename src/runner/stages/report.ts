import { writePersonaDocument, writeRenderedReport } from '../../io/write-report.js';
import { campaignSection, campaignSectionData } from '../../report/campaign-section.js';
import { renderReport } from '../../report/render-report.js';
import { toIsoDate } from '../../core/time.js';
import { withAudiences } from '../../personas/audiences.js';
import type { RunContext } from '../context.js';
import type { CampaignKpis } from './campaigns.js';
import type { CrossSellResult } from './cross-sell.js';
import type { Personas } from './personas.js';
import type { ScoresOutput } from './scores.js';
import type { Segments } from './segments.js';

export interface ReportOutput {
  readonly personasJson: string;
  readonly html: string;
  readonly markdown: string;
  readonly charts: number;
}

/** Stage 8: personas.json and the persona report (HTML + Markdown + chart images) in the configured language, with the audience lists of each persona. */
export async function reportStage(
  ctx: RunContext,
  personas: Personas,
  scores?: ScoresOutput,
  campaigns?: CampaignKpis,
  crossSell?: CrossSellResult,
  segments?: Segments,
): Promise<[ReportOutput]> {
  // The persona × channel lists the scores stage exported, with their counts, go into personas.json and the report.
  const section =
    campaigns || crossSell
      ? campaignSectionData({
          kpis: campaigns,
          crossSell,
          scores: scores?.rows ?? [],
          asOf: toIsoDate(ctx.asOf),
          currency: personas.document.run.currency,
          ...(segments ? { ruleLabels: segments.ruleLabels } : {}),
          personaNames: Object.fromEntries(personas.document.personas.map((p) => [p.id, { en: p.name.en, fr: p.name.fr }])),
        })
      : undefined;
  // The persona × channel lists the scores stage exported, with their counts, go into personas.json and the report;
  // so do the campaign and cross-sell figures, so that `personae report --lang` can render them in either language.
  const document = { ...withAudiences(personas.document, scores?.exports), ...(section ? { campaignSection: section } : {}) };
  const personasJson = await writePersonaDocument(ctx.outDir, document);
  const lang = ctx.config.report.lang;
  const extra = section ? campaignSection(section, lang) : undefined;
  const rendered = await renderReport(document, { lang, ...(extra ? { extra } : {}) });
  const written = await writeRenderedReport(ctx.outDir, rendered);
  ctx.log.info(`report: ${written.html}`);
  return [{ personasJson, html: written.html, markdown: written.markdown, charts: rendered.charts.length }];
}
