// Per-customer predictions of the timing stage (predictCustomers with Pareto/NBD, the lifetime model of the
// generated data at 100k customers): daily customers with up to 3 years of history. Reference measured in the
// same run on the same customers: the same predictions with nothing kept between calls (a fresh model for each
// call). predictCustomers computes each unique (x, t_x, T) once, in (x, T) order, and Pareto/NBD keeps what
// depends on (x, T) alone (the integral to infinity, the quantiles, P(n purchases | alive)) and the last
// P(alive). Both must give identical predictions.
// Usage: npm run bench timing [-- customers]   (default 100,000)
import { readFileSync } from 'node:fs';
import { groupRfm, type PurchaseCountModel } from '../../src/timing/base-fitter.js';
import { predictCustomers } from '../../src/timing/btyd-predictions.js';
import { ParetoNbdModel, type ParetoNbdParams } from '../../src/timing/pareto-nbd.js';
import { simulateParetoNbd } from '../../src/timing/simulate.js';

const customers = Number(process.argv[2] ?? 100_000);
// Estimated by the timing stage on 100k generated customers (personae generate --customers 100000 --seed 7).
const params: ParetoNbdParams = { r: 1.86, alpha: 157.4, s: 0.294, beta: 133.5 };
const data = simulateParetoNbd(params, { customers, seed: 7, minAge: 1, maxAge: 1095, wholeUnits: true });
const history = {
  timeUnit: 'day' as const,
  customerIds: Array.from({ length: customers }, (_, i) => `c${i}`),
  frequency: data.frequency,
  recency: data.recency,
  age: data.age,
  monetary: new Float64Array(customers).fill(42),
};
const spend = { conditionalExpectedSpend: (): number => 42 };

/** Every call on a model of its own: no value carried from one call to the next. */
function unshared(p: ParetoNbdParams): PurchaseCountModel {
  const fresh = (): ParetoNbdModel => ParetoNbdModel.withParams(p);
  return {
    type: fresh().type,
    params: { ...p },
    expectedPurchases: (t) => fresh().expectedPurchases(t),
    conditionalExpectedPurchases: (t, x, tx, T) => fresh().conditionalExpectedPurchases(t, x, tx, T),
    pAlive: (x, tx, T) => fresh().pAlive(x, tx, T),
    pPurchases: (n, t, x, tx, T) => fresh().pPurchases(n, t, x, tx, T),
    pEverPurchaseAgain: (x, tx, T) => fresh().pEverPurchaseAgain(x, tx, T),
    nextPurchaseQuantile: (q, x, tx, T) => fresh().nextPurchaseQuantile(q, x, tx, T),
  };
}

function cpuSeconds<T>(fn: () => T): [T, number] {
  const start = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(start);
  return [out, (used.user + used.system) / 1e6];
}

const [shared, sharedSeconds] = cpuSeconds(() =>
  predictCustomers(history, ParetoNbdModel.withParams(params), spend),
);
const [reference, referenceSeconds] = cpuSeconds(() => predictCustomers(history, unshared(params), spend));
const same = JSON.stringify(shared) === JSON.stringify(reference);
const triples = groupRfm(history.frequency, history.recency, history.age).frequency.length;
const pairs = groupRfm(history.frequency, new Float64Array(customers), history.age).frequency.length;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `Pareto/NBD predictions for ${customers.toLocaleString('en')} daily customers: ${sharedSeconds.toFixed(2)} s CPU ` +
    `vs ${referenceSeconds.toFixed(2)} s CPU without kept values (×${(referenceSeconds / sharedSeconds).toFixed(2)}); ` +
    `identical predictions: ${same ? 'yes' : 'NO'}; ${triples.toLocaleString('en')} unique (x, t_x, T), ` +
    `${pairs.toLocaleString('en')} unique (x, T); load average ${load}`,
);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
if (!same) process.exitCode = 1;
