// PCA on 500,000 × 16 next to ml-pca in the same run: time, peak memory (each in its own child process, so the
// peak RSS is that implementation's alone) and the ratio. Run: node --import tsx tests/bench/pca.bench.ts
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PCA as MlPCA } from 'ml-pca';
import { PCA } from '../../src/cluster/pca.js';
import { makeBlobs, toRows } from '../cluster/blobs.js';

const n = Number(process.env.BENCH_ROWS ?? 500_000);
const d = 16;
const which = process.argv[2];

if (which === 'personae' || which === 'ml-pca') {
  const { data } = makeBlobs({ n, d, k: 8, seed: 7, spread: 3, sd: 2 });
  const rows = which === 'ml-pca' ? toRows(data.values, d) : [];
  const before = process.memoryUsage().rss;
  const t = performance.now();
  let ratios: number[];
  if (which === 'personae') {
    ratios = Array.from(new PCA().fit(data).state.explainedVarianceRatio);
  } else {
    ratios = new MlPCA(rows).getExplainedVariance();
  }
  const time = performance.now() - t;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ time, peakMb, inputMb: before / 2 ** 20, first: ratios.slice(0, 3) }));
} else {
  console.log(`PCA ${n} × ${d}; cores ${availableParallelism()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const self = fileURLToPath(import.meta.url);
  const run = (name: string): { time: number; peakMb: number; inputMb: number; first: number[] } => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', self, name], { encoding: 'utf8', env: process.env });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop() as string) as { time: number; peakMb: number; inputMb: number; first: number[] };
  };
  const ml = run('ml-pca');
  const ours = run('personae');
  const show = (name: string, r: typeof ml): string =>
    `${name.padEnd(9)} ${r.time.toFixed(0).padStart(6)} ms  peak RSS ${r.peakMb.toFixed(0)} MB (RSS before fit ${r.inputMb.toFixed(0)} MB)  explained variance ratio ${r.first.map((v) => v.toFixed(6)).join(', ')}…`;
  console.log(show('ml-pca', ml));
  console.log(show('personae', ours));
  console.log(`personae is ×${(ml.time / ours.time).toFixed(1)} faster than ml-pca and uses ${(ml.peakMb - ml.inputMb).toFixed(0)} MB vs ${(ours.peakMb - ours.inputMb).toFixed(0)} MB above the input`);
  console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
