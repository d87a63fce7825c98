// `personae report --run DIR --lang …` renders the same report as the run did, campaign and cross-sell section
// included: the section's figures are kept in personas.json (issue 16: "a section of the persona report (both
// languages)"). Before, a re-render dropped the section, so the French report of a run had no campaign figures.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { tempDir } from '../helpers/data-dir.js';

let dir: string;
let out: string;
let runJson: { campaigns: { sends: number; available: boolean }; crossSell: { backtest: { evaluated: number } } };

beforeAll(async () => {
  dir = tempDir('personae-rerender-');
  const data = join(dir, 'data');
  await writeDataset({ customers: 1500, seed: 5, end: '2025-12-31' }, data);
  const config = parse(readFileSync('pipelines/conf/sample.yaml', 'utf8')) as Record<string, unknown>;
  delete config['data'];
  delete config['out'];
  delete config['as_of'];
  config['segments'] = { rules_file: join(process.cwd(), 'pipelines/conf/segments.yaml') };
  config['timing'] = { neural: false };
  writeFileSync(join(dir, 'config.yaml'), stringify(config));
  out = join(dir, 'out');
  const code = await main(['run', '--data', data, '--config', join(dir, 'config.yaml'), '--as-of', '2025-12-31', '--out', out, '--json']);
  expect(code).toBe(0);
  runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as typeof runJson;
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('personae report --run DIR after a run with campaigns', () => {
  it('renders the English report byte for byte as the run did, campaign and cross-sell section included', async () => {
    expect(runJson.campaigns.available).toBe(true);
    const html = join(out, 'report', 'personas.html');
    const md = join(out, 'report', 'personas.md');
    copyFileSync(html, join(dir, 'run.html'));
    copyFileSync(md, join(dir, 'run.md'));
    expect(readFileSync(html, 'utf8')).toContain('<h2 id="campaigns">Campaign performance</h2>');
    expect(await main(['report', '--run', out, '--lang', 'en', '--json'])).toBe(0);
    // Compared whole, reported briefly: the HTML embeds the chart library.
    expect(readFileSync(html, 'utf8') === readFileSync(join(dir, 'run.html'), 'utf8'), 'the re-rendered HTML is the run’s').toBe(true);
    expect(readFileSync(md, 'utf8') === readFileSync(join(dir, 'run.md'), 'utf8'), 'the re-rendered Markdown is the run’s').toBe(true);
  });

  it('renders the section in French with the run’s figures', async () => {
    expect(await main(['report', '--run', out, '--lang', 'fr', '--json'])).toBe(0);
    const fr = readFileSync(join(out, 'report', 'personas.fr.md'), 'utf8');
    expect(fr).toContain('Performance des campagnes');
    expect(fr).toContain('Vente croisée : la prochaine catégorie');
    // French groups thousands with a narrow no-break space.
    const french = (n: number): string => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(n);
    expect(fr).toContain(french(runJson.campaigns.sends));
    expect(fr).toContain(french(runJson.crossSell.backtest.evaluated));
  });

  it('keeps counts per group in personas.json, never a customer id', () => {
    const personas = readFileSync(join(out, 'personas.json'), 'utf8');
    const doc = JSON.parse(personas) as { campaignSection?: { kpis?: unknown; crossSell?: { personas: unknown[] } } };
    expect(doc.campaignSection?.kpis).toBeDefined();
    expect(doc.campaignSection?.crossSell?.personas.length).toBeGreaterThan(1);
    const ids = readFileSync(join(out, 'scores.csv'), 'utf8').split('\n').slice(1, 200).map((line) => line.split(',')[0]?.replace(/"/g, ''));
    for (const id of ids.filter((x) => x && x.length > 3)) expect(personas).not.toContain(`"${id}"`);
  });
});
