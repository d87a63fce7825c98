// The package as a user gets it: `npm pack` (which builds dist/ through the prepare script), `npm install
// <tarball>` into an empty directory, then, there, the `personae` binary (--version, --help, a small run on
// generated data) and the public API from plain JavaScript and from TypeScript through the shipped
// declaration files. Nothing here reads the repository's sources: only the installed package.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** The environment without what `npm test` exports to its children, so the inner npm acts as a user's would. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return env;
}

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the test worker (npm install takes minutes). */
function run(command: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function ok(finished: Promise<Finished>, what: string): Promise<string> {
  const result = await finished;
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Every file under dir, relative to it, with its size. */
function listFiles(dir: string, base = dir): Map<string, number> {
  const files = new Map<string, number>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [p, s] of listFiles(path, base)) files.set(p, s);
    else files.set(relative(base, path), statSync(path).size);
  }
  return files;
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string }>;
}

const work = mkdtempSync(join(tmpdir(), 'personae-package-'));
const app = join(work, 'app');
const installed = join(app, 'node_modules', ...MANIFEST.name.split('/'));
const bin = join(app, 'node_modules', '.bin', 'personae');
let packed: PackResult;

beforeAll(async () => {
  const pack = await ok(run('npm', ['pack', '--json', '--pack-destination', work], REPO, 600_000), 'npm pack');
  // Lifecycle scripts (prepare builds dist/) may print before npm's JSON.
  packed = (JSON.parse(pack.slice(pack.indexOf('[\n'))) as PackResult[])[0] as PackResult;
  mkdirSync(app);
  await ok(run('npm', ['install', join(work, packed.filename), '--no-audit', '--no-fund'], app, 900_000), 'npm install <tarball>');
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('holds the build, the example configs and the documents, and nothing of the repository besides', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'data/README.md',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/bin.js',
      'dist/src/cluster/worker.mjs',
      'dist/src/cluster/kernels.d.mts',
      'dist/src/report/assets/DejaVuSans.ttf',
      'dist/pipelines/main.js',
      'pipelines/conf/sample.yaml',
      'pipelines/conf/segments.yaml',
    ]) {
      expect(paths).toContain(needed);
    }
    const stray = paths.filter((p) => !/^(dist|pipelines\/conf)\//.test(p) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'data/README.md'].includes(p));
    expect(stray).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    // What was measured when the files field was written: 2.4 MB unpacked, the fonts being half of it.
    expect(packed.unpackedSize).toBeLessThan(5_000_000);
    process.stdout.write(
      `packed ${packed.filename}: ${(packed.size / 1e6).toFixed(2)} MB, ${packed.entryCount} files, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked\n`,
    );
  });
});

describe('what npm installs with the package', () => {
  it('leaves out the native TensorFlow backend (an opt-in peer) and stays near its measured size', () => {
    // npm writes the resolved tree to the app's lock even where an optional package then fails to install.
    const resolved = Object.keys((JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> }).packages);
    expect(resolved.filter((key) => /node_modules\/@tensorflow\/tfjs(-node)?$/.test(key))).toEqual([]);
    const bytes = [...listFiles(join(app, 'node_modules')).values()].reduce((sum, size) => sum + size, 0);
    process.stdout.write(`installed: ${(bytes / 1e6).toFixed(0)} MB in node_modules, ${resolved.length - 1} packages\n`);
    // Measured when tfjs-node became a peer: 230 MB (du); with it and the @tensorflow/tfjs bundle it pulls: 448 MB.
    expect(bytes).toBeLessThan(300_000_000);
  });
});

describe('the personae binary of the installed package', () => {
  it('--version prints the package version', async () => {
    expect((await ok(run(bin, ['--version'], app), '--version')).trim()).toBe(MANIFEST.version);
  });

  it('--help lists the commands', async () => {
    const help = await ok(run(bin, ['--help'], app), '--help');
    for (const command of ['generate', 'validate', 'run', 'start', 'retrain', 'score', 'report', 'btyd', 'features', 'models']) {
      expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('generates 800 customers and runs the whole pipeline on them, writing only under the current directory', async () => {
    const before = listFiles(installed);
    await ok(run(bin, ['generate', '--customers', '800', '--seed', '7', '--out', 'data', '--quiet'], app), 'generate');
    writeFileSync(join(app, 'small.yaml'), 'currency: EUR\nclustering:\n  k_max: 4\ntiming:\n  neural_epochs: 3\n');
    const result = await ok(
      run(bin, ['run', '--data', 'data', '--as-of', '2025-12-31', '--out', 'out', '--config', 'small.yaml'], app, 600_000),
      'run',
    );
    expect(result).toContain(`persona report: ${join(app, 'out', 'report', 'personas.html')}`);
    const manifest = JSON.parse(readFileSync(join(app, 'out', 'run.json'), 'utf8')) as {
      personae: string;
      backend: string | null;
      rows: { orders: { read: number; accepted: number; quarantined: number } };
      timing: { evaluation: { models: Array<{ model: string }> } };
    };
    expect(manifest.personae).toBe(MANIFEST.version);
    expect(manifest.rows.orders.read).toBe(manifest.rows.orders.accepted + manifest.rows.orders.quarantined);
    // The neural model trained on a TensorFlow.js backend that the installed package could load.
    expect(['tensorflow', 'wasm']).toContain(manifest.backend);
    expect(manifest.timing.evaluation.models.map((m) => m.model)).toContain('neural');
    for (const file of ['personas.json', 'scores.csv', 'report/personas.html', 'report/personas.md']) {
      expect(existsSync(join(app, 'out', file))).toBe(true);
    }
    expect(listFiles(installed)).toEqual(before);
  }, 900_000); // generate and a whole run: minutes on a loaded machine
});

describe('the public API of the installed package', () => {
  it('imports from plain JavaScript (.mjs) and computes', async () => {
    writeFileSync(
      join(app, 'use.mjs'),
      `import { KMeans, featureMatrix, BetaGeoModel, parseConfig, PersonaeError, chartToSvg } from '${MANIFEST.name}';
const points = Float64Array.from([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]);
const model = new KMeans({ nClusters: 2, nInit: 3 }).fit(featureMatrix(points, 6, 2), { seed: 1 });
let code;
try { parseConfig({ clustring: { k: 3 } }); } catch (error) { code = error instanceof PersonaeError ? error.code : 'not a PersonaeError'; }
const svg = await chartToSvg({ data: { values: [{ x: 'a', y: 1 }] }, mark: 'bar', encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } } });
const pAlive = BetaGeoModel.withParams({ r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 }).pAlive(0, 0, 38.86);
console.log(JSON.stringify({ labels: Array.from(model.labels), centres: Array.from(model.centres), code, svg: svg.slice(0, 4), pAlive }));
`,
    );
    const out = JSON.parse(await ok(run(process.execPath, ['use.mjs'], app), 'node use.mjs')) as {
      labels: number[];
      centres: number[];
      code: string;
      svg: string;
      pAlive: number;
    };
    const [a, b] = [out.labels[0] as number, out.labels[3] as number];
    expect(a).not.toBe(b);
    expect(out.labels).toEqual([a, a, a, b, b, b]);
    // Centres are the groups' means: (1/3, 1/3) and (31/3, 31/3).
    expect(out.centres[a * 2]).toBeCloseTo(1 / 3, 12);
    expect(out.centres[b * 2 + 1]).toBeCloseTo(31 / 3, 12);
    expect(out.code).toBe('config_invalid');
    expect(out.svg).toBe('<svg');
    expect(out.pAlive).toBe(1);
  });

  it("runs the README's example (fit.mjs) as written", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const example = /```js\n(\/\/ fit\.mjs[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    writeFileSync(join(app, 'fit.mjs'), example as string);
    writeFileSync(join(app, 'cdnow_sample.csv'), readFileSync(join(REPO, 'tests', 'fixtures', 'cdnow', 'cdnow_sample.csv')));
    const out = await ok(run(process.execPath, ['fit.mjs'], app), 'node fit.mjs');
    // The figures the README quotes in its comments.
    const number = (pattern: RegExp): number => Number(pattern.exec(out)?.[1]);
    expect(number(/\br: ([\d.]+)/)).toBeCloseTo(0.2536, 4);
    expect(number(/\balpha: ([\d.]+)/)).toBeCloseTo(5.447, 3);
    expect(number(/\ba: ([\d.]+)/)).toBeCloseTo(0.6074, 4);
    expect(number(/\bb: ([\d.]+)/)).toBeCloseTo(2.647, 3);
    const [pAlive, expected] = (out.trim().split('\n').pop() as string).split(' ').map(Number);
    expect(pAlive).toBeCloseTo(0.523, 3);
    expect(expected).toBeCloseTo(0.727, 3);
  });

  it('type-checks a TypeScript consumer against the shipped declarations, and refuses a wrong type', async () => {
    const tsc = (file: string) =>
      run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(REPO, 'node_modules', '@types'), file], app);
    writeFileSync(
      join(app, 'good.mts'),
      `import { KMeans, featureMatrix, parseConfig, createLogger, type Config, type Logger } from '${MANIFEST.name}';
const config: Config = parseConfig({ clustering: { k: 3 } });
const k: number | 'auto' = config.clustering.k;
const log: Logger = createLogger({ json: true });
const labels: Int32Array = new KMeans({ nClusters: 2 }).fit(featureMatrix(new Float64Array(8), 4, 2), { seed: 1 }).labels;
log.info(String(k) + labels.length);
`,
    );
    writeFileSync(join(app, 'bad.mts'), `import { parseConfig } from '${MANIFEST.name}';\nconst seed: string = parseConfig({}).seed;\nconsole.log(seed);\n`);
    const good = await tsc('good.mts');
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    const bad = await tsc('bad.mts');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.mts\(2,7\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 300_000);
});
