// k-means against scikit-learn in the same run (issue #17): Lloyd from fixed centres, the full fit (k-means++,
// nInit 4), k-means++ seeding and the silhouette, each on 1 and 2 threads, interleaved with scikit-learn and
// repeated; prints medians with the load average beside each, ratios, quality checks and a verdict per target.
//
//   npm run bench kmeans                       (about 3 minutes on a quiet 2-core machine)
//   BENCH_ROWS=100000 BENCH_REPEATS=3 npm run bench kmeans
//
// scikit-learn is Debian's python3-sklearn, driven through tests/bench/kmeans_sklearn.py with the same data
// (written to a temporary file), the same fixed centres and iterations, and the same thread count
// (threadpoolctl). On a shared machine wall times are noisy: compare ratios, CPU times and load averages.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/rng.js';
import { createAllocator } from '../../src/cluster/arena.js';
import { KMeans } from '../../src/cluster/kmeans.js';
import { createSeeding, kmeansPlusPlus, seedingBytes } from '../../src/cluster/kmeansPlusPlus.js';
import { prepareData, preparedBytes } from '../../src/cluster/prepare.js';
import { sampleRows, silhouetteScore } from '../../src/cluster/scores.js';
import { stopWorkers } from '../../src/cluster/threadPool.js';
import { makeBlobs, toRows } from '../cluster/blobs.js';

const n = Number(process.env.BENCH_ROWS ?? 500_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const d = 16;
const k = 8;
const maxIter = 20;
const nInit = 4;
const silhouetteSizes = [3000, 10_000].filter((s) => s <= n);
const THREADS = [1, 2] as const;

// Overlapping blobs (sd 2 around centres in [-2, 2]^16): Lloyd needs 37 iterations, so all 20 run.
const { data } = makeBlobs({ n, d, k, seed: 2024, spread: 2, sd: 2 });
const init = toRows(data.values.slice(0, k * d), d);
const dir = mkdtempSync(join(tmpdir(), 'personae-kmeans-bench-'));
const dataFile = join(dir, 'x.f64');
writeFileSync(dataFile, new Uint8Array(data.values.buffer, data.values.byteOffset, data.values.byteLength));

// ---- the scikit-learn server ------------------------------------------------------------------------------
const script = fileURLToPath(new URL('./kmeans_sklearn.py', import.meta.url));
const python = spawn('/usr/bin/python3', [script, dataFile, String(d), String(k)], { stdio: ['pipe', 'pipe', 'inherit'] });
const replies = createInterface({ input: python.stdout })[Symbol.asyncIterator]();

interface Reply {
  wall: number;
  cpu: number;
  inertia: number;
  nIter: number;
  potential: number;
  score: number;
  maxRssKb: number;
}

async function sklearn(command: Record<string, unknown>): Promise<Reply> {
  python.stdin.write(`${JSON.stringify(command)}\n`);
  const line = await replies.next();
  if (line.done === true) throw new Error('the scikit-learn process ended early (is python3-sklearn installed? apt-get install -y python3-sklearn)');
  return JSON.parse(line.value) as Reply;
}

// ---- measurements -----------------------------------------------------------------------------------------
interface Series {
  wall: number[];
  cpu: number[];
  load: number[];
}
const series = new Map<string, Series>();

function record(name: string, wallMs: number, cpuMs: number, load: number): void {
  const s = series.get(name) ?? { wall: [], cpu: [], load: [] };
  s.wall.push(wallMs);
  s.cpu.push(cpuMs);
  s.load.push(load);
  series.set(name, s);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const load1 = (): number => loadavg()[0] as number;

function ours<T>(name: string, run: () => T): T {
  const load = load1();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = run();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  record(name, wall, (used.user + used.system) / 1000, load);
  return result;
}

async function theirs(name: string, command: Record<string, unknown>): Promise<Reply> {
  const load = load1();
  const reply = await sklearn(command);
  record(name, reply.wall * 1000, reply.cpu * 1000, load);
  return reply;
}

/** Runs the pair in alternating order so that neither side always runs on a warmer (or busier) machine. */
async function interleaved(rep: number, a: () => unknown, b: () => Promise<unknown>): Promise<void> {
  if (rep % 2 === 0) {
    a();
    await b();
  } else {
    await b();
    a();
  }
}

function figure(name: string): string {
  const s = series.get(name);
  if (s === undefined) return `${name}: not measured`;
  return `${name.padEnd(34)} ${median(s.wall).toFixed(0).padStart(6)} ms wall  ${median(s.cpu).toFixed(0).padStart(6)} ms cpu  (median of ${s.wall.length}; load ${median(s.load).toFixed(2)}; walls ${s.wall.map((w) => w.toFixed(0)).join(' ')})`;
}

const wallOf = (name: string): number => median((series.get(name) as Series).wall);
const cpuOf = (name: string): number => median((series.get(name) as Series).cpu);
const loadOf = (...names: string[]): string => median(names.flatMap((name) => (series.get(name) as Series).load)).toFixed(2);
const verdicts: string[] = [];

function ratioVerdict(what: string, mine: string, reference: string): void {
  const ratio = wallOf(mine) / wallOf(reference);
  const cpuRatio = cpuOf(mine) / cpuOf(reference);
  verdicts.push(`${what}: personae/scikit-learn ${ratio.toFixed(2)}× wall (${cpuRatio.toFixed(2)}× cpu), load ${loadOf(mine, reference)} — target ≤ 1.0×: ${ratio <= 1 ? 'MET' : 'NOT MET'}`);
}

function speedupVerdict(what: string, one: string, two: string, reference1: string, reference2: string): void {
  const speedup = wallOf(one) / wallOf(two);
  const theirSpeedup = wallOf(reference1) / wallOf(reference2);
  const busy = Number(loadOf(one, two)) > availableParallelism() - 1 ? ' (machine busy: two-thread figures are unreliable at this load)' : '';
  verdicts.push(`${what}: personae ×${speedup.toFixed(2)} from the second thread (scikit-learn ×${theirSpeedup.toFixed(2)}), load ${loadOf(one, two)} — target ≥ 1.7×: ${speedup >= 1.7 ? 'MET' : 'NOT MET'}${busy}`);
}

const quality: string[] = [];
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

function potentialOf(centres: Float64Array, x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += ((x[i * d + t] as number) - (centres[j * d + t] as number)) ** 2;
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

console.log(`k-means bench: ${n} × ${d}, k = ${k}; ${repeats} repeats; cores ${availableParallelism()}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// ---- 1. Lloyd from fixed centres ----------------------------------------------------------------------------
const lloydName = (who: string, threads: number): string => `lloyd  ${who} ${threads} thread${threads > 1 ? 's' : ''}`;
const fitFixed = (threads: number, algorithm: 'lloyd' | 'hamerly' = 'lloyd'): KMeans => new KMeans({ nClusters: k, init, maxIter, tol: 0, algorithm, threads }).fit(data);
for (const threads of THREADS) {
  fitFixed(threads); // warm-up: worker start, WebAssembly tier-up
  await sklearn({ op: 'lloyd', threads, maxIter });
}
let lloyd: KMeans | undefined;
const sklearnLabels = join(dir, 'sklearn-labels.i32');
let sklearnLloyd: Reply | undefined;
for (let rep = 0; rep < repeats; rep++) {
  for (const threads of THREADS) {
    await interleaved(
      rep,
      () => (lloyd = ours(lloydName('personae    ', threads), () => fitFixed(threads))),
      async () => (sklearnLloyd = await theirs(lloydName('scikit-learn', threads), { op: 'lloyd', threads, maxIter, saveLabels: rep === 0 && threads === 1 ? sklearnLabels : undefined })),
    );
  }
  ours('lloyd  personae hamerly 1 thread', () => fitFixed(1, 'hamerly'));
}
const ourLloyd = lloyd as KMeans;
const theirLloyd = sklearnLloyd as Reply;
const theirLabels = new Int32Array(readFileSync(sklearnLabels).buffer.slice(0));
const labelDiffs = ourLloyd.labels.reduce((s, l, i) => s + (l === theirLabels[i] ? 0 : 1), 0);
const lloydInertiaDiff = relative(ourLloyd.inertia, theirLloyd.inertia);
quality.push(
  `Lloyd, same centres, ${maxIter} iterations: inertia ${ourLloyd.inertia.toFixed(6)} vs scikit-learn ${theirLloyd.inertia.toFixed(6)} (relative ${lloydInertiaDiff.toExponential(2)}, target ≤ 1e-9: ${lloydInertiaDiff <= 1e-9 ? 'MET' : 'NOT MET'}); ${labelDiffs} of ${n} labels differ; iterations ${ourLloyd.nIter} vs ${theirLloyd.nIter}`,
);
console.log('\nLloyd from the first k rows as centres, 20 iterations, tol 0');
for (const threads of THREADS) {
  console.log(figure(lloydName('personae    ', threads)));
  console.log(figure(lloydName('scikit-learn', threads)));
}
console.log(figure('lloyd  personae hamerly 1 thread'));
ratioVerdict('Lloyd, fixed centres, 1 thread ', lloydName('personae    ', 1), lloydName('scikit-learn', 1));
ratioVerdict('Lloyd, fixed centres, 2 threads', lloydName('personae    ', 2), lloydName('scikit-learn', 2));
speedupVerdict('Lloyd, fixed centres, scaling  ', lloydName('personae    ', 1), lloydName('personae    ', 2), lloydName('scikit-learn', 1), lloydName('scikit-learn', 2));

// ---- 2. the full fit ---------------------------------------------------------------------------------------
const fullName = (who: string, threads: number): string => `full   ${who} ${threads} thread${threads > 1 ? 's' : ''}`;
const fullRepeats = Math.max(1, Math.ceil(repeats / 2) + 1);
const inertias: { ours: number[]; theirs: number[] } = { ours: [], theirs: [] };
for (let rep = 0; rep < fullRepeats; rep++) {
  for (const threads of THREADS) {
    await interleaved(
      rep,
      () => inertias.ours.push(ours(fullName('personae    ', threads), () => new KMeans({ nClusters: k, nInit, seed: rep, threads }).fit(data)).inertia),
      async () => inertias.theirs.push((await theirs(fullName('scikit-learn', threads), { op: 'full', threads, nInit, seed: rep })).inertia),
    );
  }
}
console.log(`\nFull fit: k-means++ and nInit ${nInit}, tol 1e-4, max 300 iterations, seeds 0–${fullRepeats - 1}`);
for (const threads of THREADS) {
  console.log(figure(fullName('personae    ', threads)));
  console.log(figure(fullName('scikit-learn', threads)));
}
const inertiaRatio = median(inertias.ours) / median(inertias.theirs);
quality.push(`Full fit: median inertia ${median(inertias.ours).toFixed(2)} vs scikit-learn ${median(inertias.theirs).toFixed(2)} (ratio ${inertiaRatio.toFixed(7)}; seeds differ, so equal only in distribution)`);
ratioVerdict('Full fit, 1 thread             ', fullName('personae    ', 1), fullName('scikit-learn', 1));
ratioVerdict('Full fit, 2 threads            ', fullName('personae    ', 2), fullName('scikit-learn', 2));
speedupVerdict('Full fit, scaling              ', fullName('personae    ', 1), fullName('personae    ', 2), fullName('scikit-learn', 1), fullName('scikit-learn', 2));

// ---- 3. k-means++ seeding ----------------------------------------------------------------------------------
const seedName = (who: string, threads: number): string => `k-means++ ${who} ${threads} thread${threads > 1 ? 's' : ''}`;
const seedAlloc = createAllocator(preparedBytes(n, d, false) + seedingBytes(n, d, k), true);
const prepared = prepareData(data, undefined, seedAlloc);
const seeding = createSeeding(prepared, k, seedAlloc);
const potentials: { ours: number[]; theirs: number[] } = { ours: [], theirs: [] };
for (let rep = 0; rep < repeats; rep++) {
  for (const threads of THREADS) {
    await interleaved(
      rep,
      () => {
        const seeds = ours(seedName('personae    ', threads), () => kmeansPlusPlus(prepared, k, Rng.derive(rep, 'bench-kmeans++'), seeding, threads));
        if (threads === 1) potentials.ours.push(potentialOf(seeds.centres, prepared.x));
      },
      async () => {
        const reply = await theirs(seedName('scikit-learn', threads), { op: 'kmeans++', threads, seed: rep });
        if (threads === 1) potentials.theirs.push(reply.potential);
      },
    );
  }
}
console.log(`\nk-means++ seeding (greedy, ${2 + Math.floor(Math.log(k))} trials per centre), on centred data with precomputed norms`);
for (const threads of THREADS) {
  console.log(figure(seedName('personae    ', threads)));
  console.log(figure(seedName('scikit-learn', threads)));
}
quality.push(`k-means++: median potential ${median(potentials.ours).toFixed(0)} vs scikit-learn ${median(potentials.theirs).toFixed(0)} (ratio ${(median(potentials.ours) / median(potentials.theirs)).toFixed(4)}; seeds differ)`);
ratioVerdict('k-means++, 1 thread            ', seedName('personae    ', 1), seedName('scikit-learn', 1));
ratioVerdict('k-means++, 2 threads           ', seedName('personae    ', 2), seedName('scikit-learn', 2));

// ---- 4. silhouette -----------------------------------------------------------------------------------------
const labelsFile = join(dir, 'labels.i32');
writeFileSync(labelsFile, new Uint8Array(ourLloyd.labels.buffer, ourLloyd.labels.byteOffset, ourLloyd.labels.byteLength));
const silName = (who: string, size: number, threads: number): string => `silhouette ${String(size).padStart(5)} ${who} ${threads}t`;
for (const size of silhouetteSizes) {
  const silRepeats = size > 5000 ? Math.max(1, Math.ceil(repeats / 2)) : repeats;
  for (let rep = 0; rep < silRepeats; rep++) {
    for (const threads of THREADS) {
      await interleaved(
        rep,
        () => ours(silName('personae    ', size, threads), () => silhouetteScore(data, ourLloyd.labels, { sampleSize: size, seed: rep, threads })),
        () => theirs(silName('scikit-learn', size, threads), { op: 'silhouette', threads, labels: labelsFile, sampleSize: size, seed: rep }),
      );
    }
  }
  // Equality on the same rows: scikit-learn's exact silhouette of our seeded sample.
  const rows = sampleRows(n, size, 0, 'silhouette-sample');
  const rowsFile = join(dir, `rows-${size}.i32`);
  writeFileSync(rowsFile, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
  const mine = silhouetteScore(data, ourLloyd.labels, { sampleSize: size, seed: 0 });
  const reference = (await sklearn({ op: 'silhouette-rows', threads: 1, rows: rowsFile, labels: labelsFile })).score;
  quality.push(`Silhouette on the same ${size} rows: ${mine.toFixed(15)} vs scikit-learn ${reference.toFixed(15)} (difference ${Math.abs(mine - reference).toExponential(2)}, target ≤ 1e-12: ${Math.abs(mine - reference) <= 1e-12 ? 'MET' : 'NOT MET'})`);
}
console.log('\nSilhouette of the Lloyd labels on a seeded sample of rows (scikit-learn: silhouette_score(sample_size=…))');
for (const size of silhouetteSizes) {
  for (const threads of THREADS) {
    console.log(figure(silName('personae    ', size, threads)));
    console.log(figure(silName('scikit-learn', size, threads)));
  }
  ratioVerdict(`Silhouette ${size} rows, 1 thread`, silName('personae    ', size, 1), silName('scikit-learn', size, 1));
  ratioVerdict(`Silhouette ${size} rows, 2 threads`, silName('personae    ', size, 2), silName('scikit-learn', size, 2));
}

// ---- summary -----------------------------------------------------------------------------------------------
const theirRss = (await sklearn({ op: 'rss', threads: 1 })).maxRssKb;
python.stdin.end();
await stopWorkers();
rmSync(dir, { recursive: true, force: true });
console.log('\nQuality');
for (const line of quality) console.log(`  ${line}`);
console.log('\nVerdicts (wall-time medians; the machine is shared, so re-run on a quiet machine before trusting thread scaling)');
for (const line of verdicts) console.log(`  ${line}`);
console.log(`\npeak RSS: personae ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, scikit-learn ${(theirRss / 1024).toFixed(0)} MB; load after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
