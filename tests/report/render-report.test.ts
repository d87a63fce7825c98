import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { renderReport } from '../../src/report/render-report.js';

const doc = buildPersonas(buildDemoPersonaInput({ seed: 8, customers: 1500, withPrevious: true }));
const [en, fr] = await Promise.all([renderReport(doc, { lang: 'en' }), renderReport(doc, { lang: 'fr' })]);

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('HTML report', () => {
  it('is one self-contained file: vega, vega-lite and vega-embed inline, nothing fetched', () => {
    const html = en.html;
    expect(html).toMatch(/<script data-lib="vega@5\.[\d.]+">/);
    expect(html).toMatch(/<script data-lib="vega-lite@5\.[\d.]+">/);
    expect(html).toMatch(/<script data-lib="vega-embed@6\.[\d.]+">/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/cdn\.jsdelivr|unpkg\.com|cdnjs/);
    expect(html.length).toBeGreaterThan(800_000);
  });

  it('has a chart container per chart, a card per persona, and every persona name', () => {
    for (const chart of en.charts) expect(en.html).toContain(`id="chart-${chart.name}"`);
    expect(en.html.match(/<article class="persona"/g)).toHaveLength(doc.personas.length);
    for (const p of doc.personas) {
      expect(en.html).toContain(p.name.en.replace(/'/g, '&#39;'));
      expect(fr.html).toContain(p.name.fr.replace(/'/g, '&#39;'));
    }
  });

  it('embeds the chart specs as JSON that parses back to the specs', () => {
    const match = /<script type="application\/json" id="chart-specs">([\s\S]*?)<\/script>/.exec(en.html);
    const specs = JSON.parse(match?.[1] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(specs)).toEqual(en.charts.map((c) => c.name));
    expect(specs['sizes']).toEqual(JSON.parse(JSON.stringify(en.charts[0]?.spec)));
  });

  it('says what happened to small personas and how the numbers were tested', () => {
    expect(en.html).toContain('P6 had');
    expect(en.html).toContain('Benjamini–Hochberg');
    expect(fr.html).toContain('P6 comptait');
    expect(fr.html).toContain('<html lang="fr">');
  });
});

describe('Markdown report and chart images', () => {
  it('references every chart as a PNG next to it and carries the persona content', () => {
    for (const chart of en.charts) expect(en.markdown).toContain(`](charts/${chart.name}.png)`);
    for (const chart of fr.charts) expect(fr.markdown).toContain(`](charts-fr/${chart.name}.png)`);
    for (const p of doc.personas) {
      expect(en.markdown).toContain(`### ${p.id} · ${p.name.en}`);
      expect(en.markdown).toContain(p.narrative.en);
      for (const a of p.actions) expect(en.markdown).toContain(a.title.en);
    }
  });

  it('PNG charts are real images rendered with the shipped font', () => {
    for (const chart of en.charts) {
      expect(Array.from(chart.png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const { width, height } = pngSize(chart.png);
      expect(width, chart.name).toBeGreaterThan(500);
      expect(height, chart.name).toBeGreaterThan(150);
      expect(chart.svg).toContain('DejaVu Sans');
      expect(chart.svg).toMatch(/<svg[^>]+width="\d+"/);
    }
  });

  it('is deterministic', async () => {
    const again = await renderReport(doc, { lang: 'en' });
    expect(again.markdown).toBe(en.markdown);
    expect(again.html).toBe(en.html);
    expect(again.charts.map((c) => c.svg)).toEqual(en.charts.map((c) => c.svg));
  });
});

it('renders a report that says so when every persona is below the minimum size', async () => {
  const small = buildPersonas(buildDemoPersonaInput({ seed: 8, customers: 300 }), { minSize: 1000, smallPersonas: 'suppress' });
  expect(small.personas).toEqual([]);
  const report = await renderReport(small, { lang: 'en' });
  expect(report.charts.map((c) => c.name)).toEqual(['k-selection']);
  expect(report.html.match(/is not shown, to protect privacy/g)?.length).toBe(small.smallPersonas.length);
  expect(report.markdown).not.toContain('<article');
});
