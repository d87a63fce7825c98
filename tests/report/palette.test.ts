import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import type { PersonaDocument } from '../../src/personas/types.js';
import { buildCharts } from '../../src/report/charts.js';
import { LIFECYCLE_COLORS, personaColor } from '../../src/report/palette.js';
import { renderHtmlReport } from '../../src/report/render-report.js';
import { chartToSvg } from '../../src/report/render-chart.js';

const doc = buildPersonas(buildDemoPersonaInput({ seed: 21, customers: 2000 }));

type Scale = { domain: string[]; range: string[] };
function colorScale(name: string, d: PersonaDocument, lang: 'en' | 'fr' = 'en'): Scale {
  const spec = buildCharts(d, lang).find((c) => c.name === name)?.spec as unknown as {
    encoding?: { color?: { scale: Scale } };
    layer?: { encoding?: { color?: { scale: Scale } } }[];
  };
  const scale = spec.encoding?.color?.scale ?? spec.layer?.find((l) => l.encoding?.color)?.encoding?.color?.scale;
  if (!scale) throw new Error(`${name} has no colour scale`);
  return scale;
}

describe('semantic palette', () => {
  it('lifecycle segments have fixed colours that mean what the segment means, in both languages', () => {
    for (const lang of ['en', 'fr'] as const) {
      const scale = colorScale('lifecycle', doc, lang);
      const segments = doc.population.lifecycle?.map((s) => s.segment) ?? [];
      expect(segments).toContain('active');
      segments.forEach((segment, i) => expect(scale.range[i], `${segment} (${lang})`).toBe(LIFECYCLE_COLORS[segment]));
    }
    // Green for active, amber for at risk, red for lapsed: hue order, not a scheme's position.
    expect(LIFECYCLE_COLORS.active).toBe('#2e9e4f');
    expect(LIFECYCLE_COLORS.at_risk).toBe('#f0a30a');
    expect(LIFECYCLE_COLORS.lapsed).toBe('#d73a2f');
  });

  it('a lifecycle colour does not depend on which segments a run has', () => {
    const lifecycle = doc.population.lifecycle ?? [];
    const without = { ...doc, population: { ...doc.population, lifecycle: lifecycle.filter((s) => s.segment !== 'new' && s.segment !== 'prospect') } } as PersonaDocument;
    const scale = colorScale('lifecycle', without);
    const active = scale.domain.findIndex((w) => w === 'active');
    expect(scale.range[active]).toBe(LIFECYCLE_COLORS.active);
  });

  it('a persona has its colour by id in every chart and on its card', () => {
    for (const chart of ['pca', 'buy30']) {
      const scale = colorScale(chart, doc);
      doc.personas.forEach((p, i) => expect(scale.range[i], `${chart} ${p.id}`).toBe(personaColor(p.id)));
    }
    expect(personaColor('P3')).not.toBe(personaColor('P4'));
    // Dropping P1 leaves P2 its colour.
    const rest = { ...doc, personas: doc.personas.slice(1) } as PersonaDocument;
    expect(colorScale('buy30', rest).range[0]).toBe(personaColor('P2'));
    const html = renderHtmlReport(doc, 'en');
    for (const p of doc.personas) expect(html).toContain(`id="persona-${p.id}" style="--accent: ${personaColor(p.id)}"`);
  });
});

describe('chart text', () => {
  it('French charts write numbers as the French tables do ("10 %", "1 234,5")', async () => {
    const svg = await chartToSvg(buildCharts(doc, 'fr').find((c) => c.name === 'buy30')?.spec as never);
    expect(svg).toMatch(/\d\u202f%/);
    expect(svg).not.toMatch(/\d%/);
    const en = await chartToSvg(buildCharts(doc, 'en').find((c) => c.name === 'buy30')?.spec as never);
    expect(en).toMatch(/\d%/);
  });

  it('labels the reference line with what it is and its value', async () => {
    const svg = await chartToSvg(buildCharts(doc, 'en').find((c) => c.name === 'buy30')?.spec as never);
    expect(svg).toContain('all customers: ');
  });

  it('names the map axes by the features that weigh most in them, never "PC1"', () => {
    const withAxes = {
      ...doc,
      pca: { ...doc.pca, axes: [[{ column: 'monetary_total', weight: 0.6 }, { column: 'recency_days', weight: -0.4 }], [{ column: 'declared_preferred_channel=email', weight: 0.5 }]] },
    } as PersonaDocument;
    const spec = (lang: 'en' | 'fr') => JSON.stringify(buildCharts(withAxes, lang).find((c) => c.name === 'pca')?.spec);
    const label = (name: string, lang: 'en' | 'fr') => withAxes.features.find((f) => f.name === name)?.label[lang];
    expect(spec('en')).toContain(`more ${label('monetary_total', 'en')}; less ${label('recency_days', 'en')}`);
    expect(spec('fr')).toContain('e-mail');
    for (const lang of ['en', 'fr'] as const) {
      expect(spec(lang)).not.toMatch(/PC\d/);
      expect(JSON.stringify(buildCharts(doc, lang).find((c) => c.name === 'pca')?.spec)).not.toMatch(/PC\d/);
    }
  });
});
