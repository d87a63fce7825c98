import type { Lang } from '../personas/types.js';
import { buildCharts, type ChartSpec } from './charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { chartToSvg, svgToPng } from './render-chart.js';
import { buildReportModel, type ReportInput } from './report-model.js';

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly spec: ChartSpec['spec'];
  readonly svg: string;
  readonly png: Uint8Array;
}

export interface RenderedReport {
  readonly lang: Lang;
  readonly html: string;
  readonly markdown: string;
  readonly charts: readonly RenderedChart[];
}

export interface RenderOptions {
  readonly lang?: Lang;
  /** Folder of the chart images relative to the Markdown file. */
  readonly chartDir?: string;
  /** A section rendered elsewhere (campaign performance and cross-sell), placed before the method. */
  readonly extra?: ExtraSection;
}

export interface ExtraSection {
  readonly html: string;
  /** Chart images are linked as `CHARTDIR/<name>.png`. */
  readonly markdown: string;
  readonly charts: readonly ChartSpec[];
}

/** Where a language's report files go inside report/: English keeps the plain names. */
export function reportFileNames(lang: Lang): { html: string; markdown: string; chartDir: string } {
  return lang === 'en'
    ? { html: 'personas.html', markdown: 'personas.md', chartDir: 'charts' }
    : { html: `personas.${lang}.html`, markdown: `personas.${lang}.md`, chartDir: `charts-${lang}` };
}

/** Only the HTML report (no chart images): what a browser needs. */
export function renderHtmlReport(doc: ReportInput, lang: Lang = 'en'): string {
  return renderHtml(buildReportModel(doc, lang), buildCharts(doc, lang));
}

/** Only the Markdown text (it links the chart images that renderReport draws). */
export function renderMarkdownReport(doc: ReportInput, lang: Lang = 'en'): string {
  return renderMarkdown(buildReportModel(doc, lang), buildCharts(doc, lang), reportFileNames(lang).chartDir);
}

/**
 * Renders the persona report in one language: self-contained HTML, Markdown, and each chart as its
 * vega-lite spec, SVG and PNG. Pure apart from reading the shipped assets; writing is src/io/write-report.ts.
 */
export async function renderReport(doc: ReportInput, options: RenderOptions = {}): Promise<RenderedReport> {
  const lang = options.lang ?? 'en';
  const chartDir = options.chartDir ?? reportFileNames(lang).chartDir;
  const specs = buildCharts(doc, lang);
  const model = buildReportModel(doc, lang);
  const charts: RenderedChart[] = [];
  for (const chart of [...specs, ...(options.extra?.charts ?? [])]) {
    const svg = await chartToSvg(chart.spec);
    charts.push({ name: chart.name, title: chart.title, spec: chart.spec, svg, png: svgToPng(svg) });
  }
  return {
    lang,
    html: renderHtml(model, specs, options.extra),
    markdown: renderMarkdown(model, specs, chartDir, options.extra),
    charts,
  };
}
