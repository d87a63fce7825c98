// Display helpers for the notebooks (Deno Jupyter kernel): tables as HTML, vega-lite specs as inline SVG
// rendered by the project's own chart renderer, Markdown. Glue for notebooks only, not part of the library.
import { chartToSvg } from 'personae-pipeline';
import type { TopLevelSpec } from 'vega-lite';

const CONFIG = { font: 'DejaVu Sans', background: 'white', view: { stroke: null } };

/** Renders a vega-lite spec to SVG and shows it inline (the spec's own config wins over the defaults). */
export async function showChart(spec: TopLevelSpec): Promise<void> {
  const withConfig = { ...spec, config: { ...CONFIG, ...(spec as { config?: object }).config } } as TopLevelSpec;
  const svg = await chartToSvg(withConfig);
  await Deno.jupyter.display({ 'image/svg+xml': svg }, { raw: true });
}

/** Shows an HTML table of plain rows; numbers are rounded to `digits` significant decimals. */
export async function showTable(rows: readonly Record<string, unknown>[], options: { digits?: number; limit?: number } = {}): Promise<void> {
  const digits = options.digits ?? 3;
  const shown = rows.slice(0, options.limit ?? 50);
  const headers = [...new Set(shown.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => {
    const text =
      typeof v === 'number'
        ? Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(digits)
        : v === null || v === undefined ? '–' : String(v);
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  };
  const html = [
    '<table>',
    `<thead><tr>${headers.map((h) => `<th>${cell(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...shown.map((r) => `<tr>${headers.map((h) => `<td>${cell(r[h])}</td>`).join('')}</tr>`),
    '</tbody></table>',
    rows.length > shown.length ? `<p>… ${rows.length - shown.length} more rows</p>` : '',
  ].join('');
  await Deno.jupyter.display({ 'text/html': html, 'text/plain': `${rows.length} rows` }, { raw: true });
}

/** Shows Markdown (e.g. the evaluation's comparison table). */
export async function showMarkdown(text: string): Promise<void> {
  await Deno.jupyter.display({ 'text/markdown': text, 'text/plain': text }, { raw: true });
}
