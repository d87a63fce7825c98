// Synthetic customers for the neural timing tests and benchmark: engagement (sessions, email clicks, cart
// adds) drives each customer's purchase rate more than recency does, so a model that reads engagement
// must beat a recency-only baseline. Purchases after the cutoff follow a Poisson process at that rate.
import { Rng } from '../../src/core/rng.js';
import type { TimingLabels } from '../../src/timing/labels.js';
import type { FeatureMatrix } from '../../src/timing/neural/index.js';

export interface SyntheticTiming {
  readonly matrix: FeatureMatrix;
  readonly labels: TimingLabels;
  /** Days since the last purchase at the cutoff (the naive baseline's only input). */
  readonly recencyDays: Float64Array;
  /** The true daily purchase rate of each customer. */
  readonly rate: Float64Array;
}

export const BASE_COLUMNS = ['log_recency', 'log_frequency', 'sessions_30d', 'email_clicks_30d', 'cart_adds_30d', 'declared_interest'];

export function syntheticTiming(customers: number, seed: number, options: { features?: number; windowDays?: number } = {}): SyntheticTiming {
  const features = Math.max(options.features ?? 8, BASE_COLUMNS.length);
  const windowDays = options.windowDays ?? 180;
  const rng = Rng.derive(seed, 'synthetic-timing');
  const columns = [...BASE_COLUMNS, ...Array.from({ length: features - BASE_COLUMNS.length }, (_, j) => `noise_${j + 1}`)];
  const values = new Float64Array(customers * features);
  const daysToNext = new Float64Array(customers);
  const event = new Uint8Array(customers);
  const purchases = new Float64Array(customers);
  const recencyDays = new Float64Array(customers);
  const rate = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const engagement = rng.normal();
    const recency = Math.min(720, Math.ceil(rng.exponential(1 / 80)));
    const frequency = 1 + rng.poisson(2);
    const sessions = rng.poisson(Math.exp(1 + 0.8 * engagement));
    const clicks = rng.poisson(Math.exp(-0.5 + 0.7 * engagement));
    const carts = rng.poisson(Math.exp(-1 + 0.9 * engagement));
    const interest = rng.bernoulli(0.4) ? 1 : 0;
    const row = [Math.log1p(recency), Math.log1p(frequency), sessions, clicks, carts, interest];
    for (let j = row.length; j < features; j++) row.push(rng.normal());
    values.set(row, i * features);
    // Daily rate: engagement dominates; recency, frequency and the declared interest add smaller effects.
    const lambda = Math.exp(-4.6 + 1.1 * engagement - 0.35 * (Math.log1p(recency) - 4) + 0.15 * Math.log1p(frequency) + 0.3 * interest);
    rate[i] = lambda;
    recencyDays[i] = recency;
    let t = 0;
    const days = new Set<number>();
    for (;;) {
      t += rng.exponential(lambda);
      const day = Math.ceil(t);
      if (day > windowDays) break;
      days.add(day);
    }
    purchases[i] = days.size;
    event[i] = days.size > 0 ? 1 : 0;
    daysToNext[i] = days.size > 0 ? Math.min(...days) : windowDays;
  }
  return { matrix: { matrix: values, rows: customers, columns }, labels: { daysToNext, event, purchases, windowDays }, recencyDays, rate };
}
