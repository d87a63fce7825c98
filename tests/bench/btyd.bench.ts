// BTYD fitting at scale: 1,000,000 simulated customers (daily log, 6–12 months of history), BG/NBD and
// Pareto/NBD fitted on unique (x, t_x, T) rows. Reference measured in the same run: one likelihood +
// gradient evaluation on the uncompressed per-customer rows (every customer its own term, as a plain
// vectorised implementation does), and the fit time that this would imply at the same number of evaluations.
// Note: recording whole days merges same-day purchases (about 2% of them here, mostly heavy buyers), so
// the estimates sit a few standard errors from the truth (α about +5%); continuous-time simulations of the
// same size recover it (tests/timing/simulate.test.ts checks recovery at small sizes).
import { compressRfm, indexRows, type IndexedRows, type LikelihoodKernel, type PurchaseCountModel } from '../../src/timing/base-fitter.js';
import { BetaGeoModel, bgNbdKernel } from '../../src/timing/bgnbd.js';
import { ParetoNbdModel, paretoNbdKernel } from '../../src/timing/pareto-nbd.js';
import { simulateBgNbd, simulateParetoNbd, type SimulatedRfm } from '../../src/timing/simulate.js';

const CUSTOMERS = Number(process.env.BTYD_BENCH_CUSTOMERS ?? 1_000_000);
const options = { customers: CUSTOMERS, seed: 2026, minAge: 180, maxAge: 365, wholeUnits: true };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Wall time in ms; the CPU time of this (single-threaded) process is printed beside it, since on a shared
 * machine the wall clock also counts other processes. */
function time<T>(fn: () => T): [T, number, number] {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(cpu);
  return [out, performance.now() - start, (used.user + used.system) / 1000];
}

/** Every customer as its own row and its own (x, T) / (x, t_x) pair: no sharing of any term. */
function perCustomerRows(data: SimulatedRfm): IndexedRows {
  const n = data.frequency.length;
  const distinct = [...new Set(data.frequency)].sort((a, b) => a - b);
  const position = new Map(distinct.map((x, i) => [x, i]));
  const frequencyIndex = Int32Array.from(data.frequency, (x) => position.get(x) as number);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const pairs = (time: Float64Array) => ({ frequencyIndex, frequency: data.frequency, time, rowIndex: identity });
  return {
    frequency: data.frequency,
    recency: data.recency,
    age: data.age,
    weight: new Float64Array(n).fill(1),
    distinctFrequencies: Float64Array.from(distinct),
    frequencyIndex,
    agePairs: pairs(data.age),
    recencyPairs: pairs(data.recency),
  };
}

function evaluationMs(kernel: LikelihoodKernel<IndexedRows>, rows: IndexedRows, logParams: number[], repeats: number): number {
  const lp = Float64Array.from(logParams);
  const gradient = new Float64Array(lp.length);
  kernel.negLogLikelihoodGradient?.(lp, rows, gradient); // warm-up
  const start = performance.now();
  for (let k = 0; k < repeats; k++) kernel.negLogLikelihoodGradient?.(lp, rows, gradient);
  return (performance.now() - start) / repeats;
}

function bench(name: string, data: SimulatedRfm, fit: () => { params: Record<string, number>; standardErrors: Record<string, number>; evaluations: number; uniqueRows: number }, kernel: LikelihoodKernel<IndexedRows>, truth: Record<string, number>): void {
  const [result, fitMs, fitCpuMs] = time(fit);
  const compressed = indexRows(compressRfm(data.frequency, data.recency, data.age));
  const logParams = Object.keys(truth).map((k) => Math.log(result.params[k] as number));
  const compressedEval = evaluationMs(kernel, compressed, logParams, 5);
  const naiveEval = evaluationMs(kernel, perCustomerRows(data), logParams, 2);
  const estimate = Object.entries(truth)
    .map(([k, v]) => `${k} ${(result.params[k] as number).toPrecision(4)} ± ${(result.standardErrors[k] as number).toPrecision(2)} (true ${v})`)
    .join(', ');
  console.log(`${name}: fit ${seconds(fitMs)} (CPU ${seconds(fitCpuMs)}) on ${CUSTOMERS.toLocaleString('en')} customers → ${result.uniqueRows.toLocaleString('en')} unique rows, ${result.evaluations} evaluations`);
  console.log(`  ${estimate}`);
  console.log(
    `  one likelihood+gradient evaluation: ${compressedEval.toFixed(1)} ms compressed vs ${naiveEval.toFixed(1)} ms per customer (×${(naiveEval / compressedEval).toFixed(1)}); ` +
      `the same fit without compression ≈ ${seconds(naiveEval * result.evaluations * 2)} (evaluations × 2 for value and gradient)`,
  );
}

const [bgData, bgSimMs, bgSimCpu] = time(() => simulateBgNbd({ r: 0.25, alpha: 30, a: 0.8, b: 2.5 }, options));
console.log(`simulated ${CUSTOMERS.toLocaleString('en')} BG/NBD customers in ${seconds(bgSimMs)} (CPU ${seconds(bgSimCpu)})`);
bench(
  'BG/NBD',
  bgData,
  () => {
    const fit = new BetaGeoModel().fit(bgData, { seed: 1 }).fitResult!;
    return { params: fit.params, standardErrors: fit.standardErrors, evaluations: fit.evaluations, uniqueRows: fit.uniqueRows };
  },
  bgNbdKernel,
  { r: 0.25, alpha: 30, a: 0.8, b: 2.5 },
);

const [paretoData, paretoSimMs, paretoSimCpu] = time(() => simulateParetoNbd({ r: 0.55, alpha: 75, s: 0.6, beta: 80 }, options));
console.log(`simulated ${CUSTOMERS.toLocaleString('en')} Pareto/NBD customers in ${seconds(paretoSimMs)} (CPU ${seconds(paretoSimCpu)})`);
bench(
  'Pareto/NBD',
  paretoData,
  () => {
    const fit = new ParetoNbdModel().fit(paretoData, { seed: 1 }).fitResult!;
    return { params: fit.params, standardErrors: fit.standardErrors, evaluations: fit.evaluations, uniqueRows: fit.uniqueRows };
  },
  paretoNbdKernel,
  { r: 0.55, alpha: 75, s: 0.6, beta: 80 },
);

// Predictions at daily scale with long histories (up to 3 years, the shape of data/sample): milliseconds per
// 1,000 customers for each Pareto/NBD prediction, against BG/NBD's on the same customers (measured here).
// Parameters as estimated on data/sample before its 2025-12-31 regeneration, one of them at the
// constant-dropout limit (s and β in the millions), where 2F1 is needed at 1 − z ≈ 1e-7.

const PREDICTION_CUSTOMERS = 5000;
const daily = simulateParetoNbd({ r: 1.7, alpha: 168, s: 0.8, beta: 370 }, { customers: PREDICTION_CUSTOMERS, seed: 7, minAge: 1, maxAge: 1095, wholeUnits: true });

function msPer1000(model: PurchaseCountModel, predict: (m: PurchaseCountModel, x: number, tx: number, T: number) => number): number {
  const start = performance.now();
  for (let i = 0; i < PREDICTION_CUSTOMERS; i++) predict(model, daily.frequency[i] as number, daily.recency[i] as number, daily.age[i] as number);
  return ((performance.now() - start) / PREDICTION_CUSTOMERS) * 1000;
}

const predictions: [string, (m: PurchaseCountModel, x: number, tx: number, T: number) => number][] = [
  ['pAlive', (m, x, tx, T) => m.pAlive(x, tx, T)],
  ['conditionalExpectedPurchases(90)', (m, x, tx, T) => m.conditionalExpectedPurchases(90, x, tx, T)],
  ['pPurchases(0, 90)', (m, x, tx, T) => m.pPurchases(0, 90, x, tx, T)],
  ['nextPurchaseQuantile(0.5)', (m, x, tx, T) => m.nextPurchaseQuantile(0.5, x, tx, T)],
];
const reference = BetaGeoModel.withParams({ r: 1.7, alpha: 168, a: 0.3, b: 2.5 });
for (const [label, params] of [
  ['Pareto/NBD (s 0.8, β 370)', { r: 1.7, alpha: 168, s: 0.8, beta: 370 }],
  ['Pareto/NBD (s 1.3e6, β 9.6e8)', { r: 1.7, alpha: 168, s: 1.26e6, beta: 9.58e8 }],
] as const) {
  const model = ParetoNbdModel.withParams(params);
  const rows = predictions.map(([name, predict]) => {
    const ms = msPer1000(model, predict);
    return `${name} ${ms.toFixed(1)} ms (BG/NBD ${msPer1000(reference, predict).toFixed(1)} ms)`;
  });
  console.log(`${label}, per 1,000 daily customers: ${rows.join('; ')}`);
}
