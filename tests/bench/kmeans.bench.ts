// k-means on 500,000 × 16, k = 8, 20 iterations (tol 0) from a fixed init, next to ml-kmeans in the same run.
// Prints each time, the ratio to ml-kmeans (target ≥ 5×) and both inertias.
import { loadavg, availableParallelism } from 'node:os';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { KMeans } from '../../src/cluster/kmeans.js';
import { makeBlobs, toRows } from '../cluster/blobs.js';

const n = Number(process.env.BENCH_ROWS ?? 500_000);
const d = 16;
const k = 8;
const maxIter = 20;
// Overlapping blobs (sd 2 around centres in [-2, 2]^16): Lloyd needs 37 iterations, so all 20 run.
const { data } = makeBlobs({ n, d, k, seed: 2024, spread: 2, sd: 2 });
const init = toRows(data.values.slice(0, k * d), d);
console.log(`k-means ${n} × ${d}, k = ${k}, ${maxIter} iterations, tol 0, init = first ${k} rows; cores ${availableParallelism()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

function inertiaOf(labels: ArrayLike<number>, centres: number[][]): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = centres[labels[i] as number] as number[];
    for (let t = 0; t < d; t++) s += ((data.values[i * d + t] as number) - (c[t] as number)) ** 2;
  }
  return s;
}

/** Process CPU time (all threads) in ms: on a shared machine it shows how much of the wall time was ours. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Inertia with every row on its nearest centre: compares centres whatever labels an implementation returns. */
function nearestInertia(centres: number[][]): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (const c of centres) {
      let dist = 0;
      for (let t = 0; t < d; t++) dist += ((data.values[i * d + t] as number) - (c[t] as number)) ** 2;
      if (dist < best) best = dist;
    }
    s += best;
  }
  return s;
}

const rows = toRows(data.values, d);
let t = performance.now();
let cpu = process.cpuUsage();
const reference = mlKmeans(rows, k, { initialization: init, maxIterations: maxIter, tolerance: 0 });
const mlTime = performance.now() - t;
const mlCpu = cpuMs(cpu);
// ml-kmeans returns the labels of its last assignment with the centroids computed from them; personae (like
// scikit-learn) re-labels against the final centroids, so the inertias differ slightly after 20 unconverged steps.
const mlInertia = inertiaOf(reference.clusters, reference.centroids);
const mlNearest = nearestInertia(reference.centroids);
console.log(`ml-kmeans                      ${mlTime.toFixed(0).padStart(6)} ms wall ${mlCpu.toFixed(0).padStart(6)} ms cpu  iterations ${reference.iterations}  inertia ${mlInertia.toFixed(6)} (its labels), ${mlNearest.toFixed(6)} (nearest-centre labels)`);

const variants = [
  { label: 'personae lloyd    auto threads', algorithm: 'lloyd', threads: 'auto' },
  { label: 'personae hamerly  auto threads', algorithm: 'hamerly', threads: 'auto' },
  { label: 'personae lloyd    1 thread    ', algorithm: 'lloyd', threads: 1 },
] as const;
for (const variant of variants) {
  t = performance.now();
  cpu = process.cpuUsage();
  const model = new KMeans({ nClusters: k, init, maxIter, tol: 0, algorithm: variant.algorithm, threads: variant.threads }).fit(data);
  const time = performance.now() - t;
  const used = cpuMs(cpu);
  const relative = Math.abs(model.inertia - mlNearest) / mlNearest;
  console.log(
    `${variant.label} ${time.toFixed(0).padStart(6)} ms wall ${used.toFixed(0).padStart(6)} ms cpu  iterations ${model.nIter}  inertia ${model.inertia.toFixed(6)}  ` +
      `×${(mlTime / time).toFixed(2)} faster than ml-kmeans (wall), ×${(mlCpu / used).toFixed(2)} less CPU  (relative inertia difference to ml-kmeans's centres: ${relative.toExponential(2)})`,
  );
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
