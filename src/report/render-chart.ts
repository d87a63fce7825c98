import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FILES } from './assets.js';
import { CHART_FONT } from './charts.js';

/** Renders a vega-lite spec to SVG in Node (no browser, no canvas): vega-lite → vega → headless View. */
export async function chartToSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** vega numbers gradients and clips with a process-wide counter: renumber per SVG so output is reproducible. */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\b(gradient_|clip)(\d+)\b/g, (whole, prefix: string) => {
    let id = ids.get(whole);
    if (id === undefined) {
      id = `${prefix}${ids.size}`;
      ids.set(whole, id);
    }
    return id;
  });
}

/** Rasterises an SVG with the shipped font only, so the PNG looks the same on every machine. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return new Uint8Array(resvg.render().asPng());
}
