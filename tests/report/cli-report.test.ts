import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writePersonaDocument } from '../../src/io/write-report.js';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { buildCharts } from '../../src/report/charts.js';

let dir: string;
const doc = buildPersonas(buildDemoPersonaInput({ seed: 4, customers: 1200 }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'personae-cli-report-'));
  await writePersonaDocument(dir, doc);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('personae report --run DIR', () => {
  it('writes the French report next to the English one, from personas.json', async () => {
    const fr = await run(['report', '--run', dir, '--lang', 'fr', '--json']);
    expect(fr.code, fr.stderr).toBe(0);
    const printed = JSON.parse(fr.stdout) as { lang: string; html: string; markdown: string; charts: string[] };
    expect(printed.lang).toBe('fr');
    expect(printed.html).toBe(join(dir, 'report', 'personas.fr.html'));
    const en = await run(['report', '--run', dir]);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain(join(dir, 'report', 'personas.html'));

    const files = (await readdir(join(dir, 'report'))).sort();
    expect(files).toEqual(['charts', 'charts-fr', 'personas.fr.html', 'personas.fr.md', 'personas.html', 'personas.md']);
    const names = buildCharts(doc, 'fr').map((c) => c.name);
    const chartFiles = (await readdir(join(dir, 'report', 'charts-fr'))).sort();
    expect(chartFiles).toEqual(names.flatMap((n) => [`${n}.png`, `${n}.svg`, `${n}.vl.json`]).sort());
    const html = await readFile(printed.html, 'utf8');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(doc.personas[0]?.name.fr.replace(/'/g, '&#39;'));
    const md = await readFile(join(dir, 'report', 'personas.md'), 'utf8');
    expect(md).toContain('# Customer personas');
  });

  it('refuses a missing run folder, a broken personas.json and an unknown language with exit code 2', async () => {
    const missing = await run(['report', '--run', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no persona document at .*personas\.json/);
    expect(missing.stderr).toContain('how to fix');

    const broken = await mkdtemp(join(tmpdir(), 'personae-cli-broken-'));
    await writeFile(join(broken, 'personas.json'), '{"kind": "something else"}');
    const wrongKind = await run(['report', '--run', broken]);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('is not a Personae persona document');
    await writeFile(join(broken, 'personas.json'), '{not json');
    expect((await run(['report', '--run', broken])).stderr).toContain('is not valid JSON');
    await rm(broken, { recursive: true, force: true });

    const lang = await run(['report', '--run', dir, '--lang', 'de']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang "de" is not a report language');
  });
});
