import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { buildCharts } from '../../src/report/charts.js';

// The JSON schema shipped with vega-lite; code optimisation off keeps compiling it to a few seconds.
const schema = JSON.parse(readFileSync('node_modules/vega-lite/build/vega-lite-schema.json', 'utf8')) as object;
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { optimize: false } }).compile(schema);

const full = buildPersonas(buildDemoPersonaInput({ seed: 21, customers: 2000, withPrevious: true }));
const { predictions: _p, lifecycle: _l, pca: _pca, kSelection: _k, ...bare } = buildDemoPersonaInput({ seed: 21, customers: 2000 });
const minimal = buildPersonas(bare);

describe('chart specs', () => {
  it('every chart of every language validates against the vega-lite JSON schema and compiles', () => {
    for (const doc of [full, minimal]) {
      for (const lang of ['en', 'fr'] as const) {
        for (const chart of buildCharts(doc, lang)) {
          const ok = validate(chart.spec);
          expect(ok, `${chart.name} (${lang}): ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
          expect(() => compile(chart.spec)).not.toThrow();
        }
      }
    }
  });

  it('the schema check is not vacuous: a broken spec fails', () => {
    const chart = buildCharts(full, 'en')[0];
    expect(validate({ ...chart?.spec, mark: 'pie-ish' })).toBe(false);
    expect(validate({ ...chart?.spec, encoding: { x: { field: 'share', type: 'numbers' } } })).toBe(false);
  });

  it('draws the issue’s charts when the data exists, and leaves out those without data', () => {
    expect(buildCharts(full, 'en').map((c) => c.name)).toEqual(['sizes', 'traits', 'pca', 'rfm', 'buy30', 'lifecycle', 'migration', 'lifecycle-transitions', 'k-selection']);
    expect(buildCharts(minimal, 'en').map((c) => c.name)).toEqual(['sizes', 'traits', 'rfm']);
  });

  it('every chart has tooltips and uses the shipped font', () => {
    for (const chart of buildCharts(full, 'en')) {
      const text = JSON.stringify(chart.spec);
      expect(text, chart.name).toContain('"tooltip"');
      expect((chart.spec as { config?: { font?: string } }).config?.font).toBe('DejaVu Sans');
    }
  });

  it('chart data carry the document’s numbers', () => {
    const sizes = buildCharts(full, 'en').find((c) => c.name === 'sizes')?.spec as unknown as { data: { values: { persona: string; share: number; count: number }[] } };
    const p1 = full.personas[0];
    const row = sizes.data.values.find((v) => v.persona.startsWith('P1 ') && v.count === p1?.size);
    expect(row?.share).toBeCloseTo(p1?.shareOfCustomers ?? NaN, 12);
    const migration = buildCharts(full, 'en').find((c) => c.name === 'migration')?.spec as unknown as { data: { values: { count: number }[] } };
    const total = full.migration?.counts.flat().reduce((a, b) => a + b, 0);
    expect(migration.data.values.reduce((s, v) => s + v.count, 0)).toBe(total);
  });

  it('the k chart shows the scores that chose k: stability and gap panels when measured, silhouette always', () => {
    const kSelection = full.kSelection;
    if (!kSelection) throw new Error('the demo document has a k selection');
    const scores = kSelection.scores.map((s, i) => ({ ...s, gap: 0.5 + 0.05 * i, gapError: 0.01, stability: i === 2 ? 0.62 : 0.9 }));
    const doc = { ...full, kSelection: { ...kSelection, scores } };
    const chart = buildCharts(doc, 'fr').find((c) => c.name === 'k-selection');
    expect(validate(chart?.spec)).toBe(true);
    const spec = chart?.spec as unknown as { data: { values: { k: number; score: string; value: number }[] }; facet: { row: { sort: string[] } } };
    expect(spec.facet.row.sort).toEqual(['stabilité (persona la moins stable)', 'statistique de gap', 'silhouette']);
    expect(spec.data.values).toHaveLength(3 * scores.length);
    const third = scores[2];
    expect(spec.data.values.find((v) => v.k === third?.k && v.score.startsWith('stabilité'))?.value).toBe(0.62);
    // Without gap and stability (criterion silhouette, stability off) only the silhouette panel is left.
    const plain = buildCharts(full, 'en').find((c) => c.name === 'k-selection')?.spec as unknown as { facet: { row: { sort: string[] } } };
    expect(plain.facet.row.sort).toEqual(['silhouette']);
  });

  it('titles and labels follow the language', () => {
    const fr = buildCharts(full, 'fr').map((c) => c.title);
    const en = buildCharts(full, 'en').map((c) => c.title);
    fr.forEach((title, i) => expect(title).not.toBe(en[i]));
    expect(fr[0]).toMatch(/Taille des personas/);
  });
});
