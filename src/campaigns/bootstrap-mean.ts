import { Rng } from '../core/rng.js';
import type { Interval } from './wilson-interval.js';

/**
 * Percentile bootstrap 95% interval of the mean of `n` values of which only `nonZero` are not zero —
 * revenue per recipient, where most recipients bring nothing. A resample of n values holds
 * K ~ Binomial(n, m/n) non-zero ones, each drawn uniformly from the m non-zero values: drawing K first
 * and then K values is the same resample as drawing n values, at the cost of m instead of n.
 * Seeded: the same values and seed give the same interval.
 */
export function bootstrapMeanInterval(
  nonZero: readonly number[],
  n: number,
  samples: number,
  seed: number,
  label: string,
): Interval | null {
  if (n <= 0) return null;
  const m = nonZero.length;
  if (m === 0) return { low: 0, high: 0 };
  const rng = Rng.derive(seed, `bootstrap/${label}`);
  const means = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    const k = binomial(rng, n, m / n);
    let total = 0;
    for (let i = 0; i < k; i++) total += nonZero[rng.int(m)] as number;
    means[s] = total / n;
  }
  means.sort();
  return { low: quantile(means, 0.025), high: quantile(means, 0.975) };
}

/**
 * Percentile bootstrap 95% interval of a ratio Σrevenue / Σdelivered resampling customers, not sends (a
 * cluster bootstrap: a customer's sends stay together, so a customer who buys after every email weighs as
 * one). `earners` are the customers with revenue, as [revenue, delivered sends]; `zeroRevenue` how many
 * customers without revenue had each number of delivered sends, as [delivered, customers]. A resample of the
 * n customers holds K ~ Binomial(n, e/n) earners drawn uniformly, and n − K others spread over the histogram
 * by a multinomial draw (successive binomials): the same resample as drawing n customers, at the cost of the
 * earners and the histogram's bins. Seeded.
 */
export function clusterBootstrapRatio(
  earners: readonly (readonly [number, number])[],
  zeroRevenue: readonly (readonly [number, number])[],
  samples: number,
  seed: number,
  label: string,
): Interval | null {
  const e = earners.length;
  const others = zeroRevenue.reduce((s, [, customers]) => s + customers, 0);
  const n = e + others;
  if (n <= 0) return null;
  if (e === 0) return { low: 0, high: 0 };
  const rng = Rng.derive(seed, `cluster-bootstrap/${label}`);
  // The earners side by side in one typed array: each draw reads two adjacent doubles instead of destructuring a
  // pair (at a million customers, samples × earners draws are ~10^9, and the pairs made them five times slower).
  const drawn = new Float64Array(2 * e);
  earners.forEach(([r, d], i) => {
    drawn[2 * i] = r;
    drawn[2 * i + 1] = d;
  });
  const ratios = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    const k = binomial(rng, n, e / n);
    let revenue = 0;
    let delivered = 0;
    for (let i = 0; i < k; i++) {
      const at = 2 * rng.int(e);
      revenue += drawn[at] as number;
      delivered += drawn[at + 1] as number;
    }
    let left = n - k;
    let weight = others;
    for (const [d, customers] of zeroRevenue) {
      if (left === 0) break;
      const drawn = customers >= weight ? left : binomial(rng, left, customers / weight);
      delivered += drawn * d;
      left -= drawn;
      weight -= customers;
    }
    ratios[s] = delivered > 0 ? revenue / delivered : 0;
  }
  ratios.sort();
  return { low: quantile(ratios, 0.025), high: quantile(ratios, 0.975) };
}

/**
 * Binomial draw: by counting successes when n is small, by inversion of the CDF when the mean is small,
 * and by the normal approximation (continuity-corrected, clamped) when n·p·(1−p) > 100, where it is
 * accurate well beyond what a 95% percentile interval can resolve.
 */
function binomial(rng: Rng, n: number, p: number): number {
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  const variance = n * p * (1 - p);
  if (variance > 100) {
    const k = Math.round(rng.normal(n * p, Math.sqrt(variance)));
    return Math.min(n, Math.max(0, k));
  }
  if (n <= 64) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k++;
    return k;
  }
  // Inversion: walk the CDF from 0; the mean is small here (p ≤ 1/2 and n·p·(1−p) ≤ 100 mean n·p ≤ 200,
  // so (1−p)^n stays far above the smallest double).
  const u = rng.next();
  const ratio = p / (1 - p);
  let probability = Math.pow(1 - p, n);
  let cumulative = probability;
  let k = 0;
  while (cumulative < u && k < n) {
    probability *= (ratio * (n - k)) / (k + 1);
    k++;
    cumulative += probability;
  }
  return k;
}

/** Linear-interpolated quantile of sorted values (NumPy's default, "linear"). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const a = sorted[lower] as number;
  return a + ((sorted[upper] as number) - a) * (position - lower);
}
