import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { claimOutputs } from './outputs.js';
import type { Lang, PersonaDocument } from '../personas/types.js';
import { campaignSection, type CampaignSectionData } from '../report/campaign-section.js';
import { renderReport, reportFileNames, type RenderedReport } from '../report/render-report.js';

/** personas.json: the persona document, with the campaign and cross-sell figures when the run had them. */
export type ReportDocument = PersonaDocument & { readonly campaignSection?: CampaignSectionData };

export interface WrittenReport {
  readonly html: string;
  readonly markdown: string;
  readonly charts: readonly string[];
}

/** Writes a rendered report into DIR/report/: the HTML, the Markdown and charts/<name>.{png,svg,vl.json}. */
export async function writeRenderedReport(runDir: string, report: RenderedReport): Promise<WrittenReport> {
  const names = reportFileNames(report.lang);
  const reportDir = join(runDir, 'report');
  const chartDir = join(reportDir, names.chartDir);
  // Charts of an older render must not linger next to the new ones.
  await rm(chartDir, { recursive: true, force: true });
  await mkdir(chartDir, { recursive: true });
  const html = join(reportDir, names.html);
  const markdown = join(reportDir, names.markdown);
  await writeFile(html, report.html, 'utf8');
  await writeFile(markdown, report.markdown, 'utf8');
  const charts: string[] = [];
  for (const chart of report.charts) {
    const base = join(chartDir, chart.name);
    await writeFile(`${base}.png`, chart.png);
    await writeFile(`${base}.svg`, chart.svg, 'utf8');
    await writeFile(`${base}.vl.json`, `${JSON.stringify(chart.spec, null, 2)}\n`, 'utf8');
    charts.push(`${base}.png`);
  }
  return { html, markdown, charts };
}

/** Writes DIR/personas.json (the document the report is rendered from). */
export async function writePersonaDocument(runDir: string, doc: ReportDocument): Promise<string> {
  await mkdir(runDir, { recursive: true });
  const path = join(runDir, 'personas.json');
  await writeFile(path, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
  return path;
}

/** Reads DIR/personas.json, with a clear message when it is missing or not a persona document. */
export async function readPersonaDocument(runDir: string): Promise<ReportDocument> {
  const path = join(runDir, 'personas.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    inputError('report.personas-missing', `no persona document at ${path}`, 'pass --run with the output folder of a `personae run` (it holds personas.json)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    inputError('report.personas-json', `${path} is not valid JSON: ${(error as Error).message}`, 're-run the pipeline to rewrite it');
  }
  const doc = parsed as Partial<PersonaDocument> | null;
  if (!doc || doc.kind !== 'personae.personas' || !Array.isArray(doc.personas)) {
    inputError('report.personas-kind', `${path} is not a Personae persona document (kind "personae.personas")`, 'pass --run with the output folder of a `personae run`');
  }
  if (doc.schemaVersion !== 2) {
    inputError('report.personas-version', `${path} has schema version ${String(doc.schemaVersion)}; this personae reads version 2`, 're-run the pipeline with this version of personae');
  }
  return doc as ReportDocument;
}

/** Renders DIR/personas.json in a language and writes it into DIR/report/. */
export async function renderReportFromRun(runDir: string, lang: Lang): Promise<WrittenReport> {
  const doc = await readPersonaDocument(runDir);
  const names = reportFileNames(lang);
  // This language's report files belong to this command now (recorded as the run's other outputs are).
  const claim = await claimOutputs(runDir, [`report/${names.html}`, `report/${names.markdown}`, `report/${names.chartDir}`]);
  const extra = doc.campaignSection ? campaignSection(doc.campaignSection, lang) : undefined;
  const written = await writeRenderedReport(runDir, await renderReport(doc, { lang, ...(extra ? { extra } : {}) }));
  await claim.finish();
  return written;
}
