// Executes every notebook in notebooks/ headlessly (`jupyter nbconvert --to notebook --execute`) on the Deno
// kernel, so a notebook can never silently rot: any cell error fails the test. Needs Jupyter (Debian:
// jupyter-nbconvert, python3-notebook) and the `deno` dev dependency; without them the test is skipped with a
// message, except in CI (process.env.CI set), where it must run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NOTEBOOKS_DIR = join(ROOT, 'notebooks');
const NOTEBOOKS = readdirSync(NOTEBOOKS_DIR)
  .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
  .sort();
const NOTEBOOK_TIMEOUT_MS = 300_000;

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}

function missingPrerequisite(): string | undefined {
  const nbconvert = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (nbconvert.status !== 0)
    return 'jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-notebook)';
  try {
    createRequire(import.meta.url).resolve('deno/package.json');
  } catch {
    return 'the `deno` dev dependency is not installed (npm ci)';
  }
  return undefined;
}

const missing = missingPrerequisite();
if (missing && process.env.CI) throw new Error(`notebook tests must run in CI, but ${missing}`);
if (missing) console.warn(`skipping the notebook tests: ${missing}`);

/** Registers the Deno kernelspec (notebooks/jupyter.mjs, the same helper `npm run notebooks` uses). */
function kernelEnv(): NodeJS.ProcessEnv {
  const result = spawnSync(process.execPath, [join(NOTEBOOKS_DIR, 'jupyter.mjs'), 'kernelspec'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kernelspec install failed: ${result.stderr}`);
  const { jupyterPath } = JSON.parse(result.stdout) as { jupyterPath: string };
  return { ...process.env, JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(':') };
}

/** Runs nbconvert without blocking the test worker (a blocked worker misses vitest's RPC heartbeats). */
function execute(
  notebook: string,
  outDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string; seconds: number }> {
  const started = performance.now();
  const args = [
    'nbconvert',
    '--to',
    'notebook',
    '--execute',
    notebook,
    '--output-dir',
    outDir,
    '--ExecutePreprocessor.timeout=600',
  ];
  return new Promise((done, fail) => {
    const child = spawn('jupyter', args, {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: NOTEBOOK_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join('') : (v ?? ''));

describe.skipIf(missing !== undefined)('notebooks (Deno kernel, nbconvert --execute)', () => {
  let env: NodeJS.ProcessEnv;
  const outDir = mkdtempSync(join(tmpdir(), 'personae-notebooks-'));
  beforeAll(() => {
    env = kernelEnv();
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('finds the notebooks (at least the three of the guide)', () => {
    expect(NOTEBOOKS).toEqual(
      expect.arrayContaining([
        '01-data-and-features.ipynb',
        '02-choosing-k-and-personas.ipynb',
        '03-timing-models.ipynb',
      ]),
    );
  });

  for (const name of NOTEBOOKS) {
    it(
      `runs ${name} without a cell error and shows its charts inline`,
      async () => {
        const run = await execute(join(NOTEBOOKS_DIR, name), outDir, env);
        console.log(`${name}: executed in ${run.seconds.toFixed(1)} s`);
        expect(run.status, run.stderr.slice(-4000)).toBe(0);
        const cells = (JSON.parse(readFileSync(join(outDir, name), 'utf8')) as { cells: Cell[] }).cells;
        const code = cells.filter((c) => c.cell_type === 'code');
        const outputs = code.flatMap((c) => c.outputs ?? []);
        expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
        expect(code.every((c) => typeof c.execution_count === 'number')).toBe(true);
        const svgs = outputs
          .filter((o) => o.data?.['image/svg+xml'])
          .map((o) => text(o.data?.['image/svg+xml']));
        expect(svgs.length).toBeGreaterThanOrEqual(2);
        for (const svg of svgs) expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
        const shown = outputs
          .map((o) => text(o.data?.['text/html']) + text(o.data?.['text/markdown']) + text(o.text))
          .join('\n');
        if (name.startsWith('01')) {
          expect(shown).toMatch(/\d{3,4} customers × \d{2,3} features; families: value, timing/);
          expect(shown).toContain('recency_days');
        }
        if (name.startsWith('02')) {
          expect(shown).toMatch(/chosen k = \d/);
          expect(shown).toMatch(/adjusted Rand index vs planted personas: 0\.\d{3}/);
        }
        if (name.startsWith('03')) {
          // BG/NBD on CDNOW: r = 0.2426 and α = 4.4137 as published (Fader, Hardie & Lee 2005).
          expect(shown).toMatch(/<td>r<\/td><td>0\.242[56]<\/td><td>0\.2426<\/td>/);
          expect(shown).toMatch(/<td>alpha<\/td><td>4\.41[34]\d<\/td><td>4\.4137<\/td>/);
          expect(shown).toMatch(/<td>neural<\/td><td>0\.\d{4}<\/td>/);
        }
      },
      // One retry: under heavy load the Deno kernel can publish a display after nbconvert has collected the cell.
      { timeout: NOTEBOOK_TIMEOUT_MS, retry: 1 },
    );
  }

  it(
    'fails when a cell throws (a broken notebook cannot pass)',
    async () => {
      // Written to notebooks/ so that it resolves 'personae-pipeline' like the real notebooks do.
      const broken = join(NOTEBOOKS_DIR, `.broken-${process.pid}.ipynb`);
      const source = (s: string) => ({
        cell_type: 'code',
        execution_count: null,
        id: s.slice(0, 8).replace(/\W/g, 'x'),
        metadata: {},
        outputs: [],
        source: s,
      });
      writeFileSync(
        broken,
        JSON.stringify({
          cells: [
            source("import { toIsoDate } from 'personae-pipeline';\ntoIsoDate(new Date(0))"),
            source("throw new Error('planted failure');"),
          ],
          metadata: { kernelspec: { name: 'deno', display_name: 'Deno', language: 'typescript' } },
          nbformat: 4,
          nbformat_minor: 5,
        }),
      );
      try {
        const run = await execute(broken, outDir, env);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain('planted failure');
      } finally {
        rmSync(broken, { force: true });
      }
    },
    NOTEBOOK_TIMEOUT_MS,
  );
});
