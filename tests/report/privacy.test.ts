import { expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { renderHtmlReport, renderMarkdownReport } from '../../src/report/render-report.js';

/**
 * The customers behind the demo input have contact data (emails, phones, names, cities) that lives in the
 * customers table and never reaches personas. Whatever the pipeline passes, the outputs must hold none of
 * it, nor any customer id.
 */
it('personas.json, the HTML and the Markdown hold no PII and no customer id', () => {
  const input = buildDemoPersonaInput({ seed: 13, customers: 1500, withPrevious: true });
  const rng = new Rng(13);
  const first = ['Camille', 'Lucas', 'Chloé', 'Hugo', 'Inès', 'Jules', 'Léa', 'Noah'];
  const last = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand'];
  const cities = ['Lyon', 'Marseille', 'Toulouse', 'Bordeaux', 'Lille', 'Nantes', 'Strasbourg', 'Montpellier'];
  const pii = input.customerIds.slice(0, 300).flatMap((id) => {
    const f = rng.pick(first);
    const l = rng.pick(last);
    return [`${f.toLowerCase()}.${l.toLowerCase()}.${id.toLowerCase()}@example.com`, `+33 6 ${String(rng.int(1e8)).padStart(8, '0')}`, `${f} ${l}`];
  });
  const doc = buildPersonas(input);
  const json = JSON.stringify(doc);
  // The inlined vega libraries are third-party code, not report content: scan the rest.
  const strip = (html: string): string => html.replace(/<script data-lib=[\s\S]*?<\/script>/g, '');
  const outputs = {
    json,
    enHtml: strip(renderHtmlReport(doc, 'en')),
    frHtml: strip(renderHtmlReport(doc, 'fr')),
    enMd: renderMarkdownReport(doc, 'en'),
    frMd: renderMarkdownReport(doc, 'fr'),
  };
  for (const [name, text] of Object.entries(outputs)) {
    for (const value of pii) expect(text.includes(value), `${name} contains ${value}`).toBe(false);
    for (const city of cities) expect(text.includes(city), `${name} contains ${city}`).toBe(false);
    expect(text, name).not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i);
    expect(text, name).not.toMatch(/\+\d{2} \d/);
    for (const id of input.customerIds) {
      if (text.includes(`"${id}"`) || text.includes(`>${id}<`) || text.includes(` ${id} `)) throw new Error(`${name} contains customer id ${id}`);
    }
  }
  // Every persona shown describes at least the minimum number of customers.
  for (const p of doc.personas) expect(p.size).toBeGreaterThanOrEqual(doc.settings.minSize);
});
