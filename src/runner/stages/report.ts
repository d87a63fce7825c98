import { writePersonaDocument, writeRenderedReport } from '../../io/write-report.js';
import { renderReport } from '../../report/render-report.js';
import type { RunContext } from '../context.js';
import type { Personas } from './personas.js';

export interface ReportOutput {
  readonly personasJson: string;
  readonly html: string;
  readonly markdown: string;
  readonly charts: number;
}

/** Stage 8: personas.json and the persona report (HTML + Markdown + chart images) in the configured language. */
export async function reportStage(ctx: RunContext, personas: Personas): Promise<[ReportOutput]> {
  const personasJson = await writePersonaDocument(ctx.outDir, personas.document);
  const rendered = await renderReport(personas.document, { lang: ctx.config.report.lang });
  const written = await writeRenderedReport(ctx.outDir, rendered);
  ctx.log.info(`report: ${written.html}`);
  return [{ personasJson, html: written.html, markdown: written.markdown, charts: rendered.charts.length }];
}
