import { wilsonInterval, Z_95, type Interval } from './wilson-interval.js';

/**
 * A rate X / M whose trials come in clusters — a customer receives many sends, and the sends of one customer
 * are not independent (a reader opens most of them, a non-reader none). Over the customers i with x_i
 * successes in m_i trials: n customers, X = Σx_i, M = Σm_i and the second moments Σx_i², Σx_i·m_i, Σm_i².
 */
export interface ClusteredCounts {
  readonly customers: number;
  readonly successes: number;
  readonly trials: number;
  readonly successesSquared: number;
  readonly cross: number;
  readonly trialsSquared: number;
}

/**
 * Variance of the ratio estimator p = X / M with customers as clusters (Taylor linearisation, the
 * "sandwich" of survey sampling, Cochran 1977 §6.9): Σ(x_i − p·m_i)² / M². Without the small-sample factor
 * n/(n − 1), so that one send per customer gives exactly the binomial p(1 − p)/M (design effect 1, the
 * plain Wilson interval).
 */
export function clusteredVariance(c: ClusteredCounts): number {
  if (c.trials <= 0) return 0;
  const p = c.successes / c.trials;
  const residual = c.successesSquared - 2 * p * c.cross + p * p * c.trialsSquared;
  return Math.max(0, residual) / (c.trials * c.trials);
}

/**
 * Design effect (Kish): the clustered variance over the variance the same rate would have if every trial
 * were independent, p(1 − p)/M. Never below 1: sends of one customer are not taken to be more informative
 * than independent ones (a value under 1 is noise on a few customers, and would narrow the interval).
 */
export function designEffect(c: ClusteredCounts): number {
  if (c.trials <= 0) return 1;
  const p = c.successes / c.trials;
  const independent = (p * (1 - p)) / c.trials;
  if (!(independent > 0)) return 1;
  const ratio = clusteredVariance(c) / independent;
  // Rounding leaves one send per customer a hair above 1: the same interval as independent sends.
  return ratio > 1 + 1e-9 ? ratio : 1;
}

/**
 * Wilson interval on the effective number of trials M / deff (Rao & Scott 1984's correction of a binomial
 * interval for a clustered sample): as wide as the customers' clustering makes it, still inside [0, 1].
 */
export function clusteredWilson(c: ClusteredCounts, z = Z_95): Interval | null {
  if (c.trials <= 0) return null;
  const effective = c.trials / designEffect(c);
  return wilsonInterval((c.successes / c.trials) * effective, effective, z);
}

/** z statistic of the difference of two clustered rates (independent groups of customers): (p₁ − p₂) / √(V₁ + V₂). */
export function clusteredZ(a: ClusteredCounts, b: ClusteredCounts): number {
  if (a.trials <= 0 || b.trials <= 0) return 0;
  const se = Math.sqrt(clusteredVariance(a) + clusteredVariance(b));
  return se > 0 ? (a.successes / a.trials - b.successes / b.trials) / se : 0;
}

/** Adds one customer's x successes in m trials to running sums. */
export function addCustomer(sums: ClusteredCounts, x: number, m: number): ClusteredCounts {
  return {
    customers: sums.customers + 1,
    successes: sums.successes + x,
    trials: sums.trials + m,
    successesSquared: sums.successesSquared + x * x,
    cross: sums.cross + x * m,
    trialsSquared: sums.trialsSquared + m * m,
  };
}

export const NO_CUSTOMERS: ClusteredCounts = { customers: 0, successes: 0, trials: 0, successesSquared: 0, cross: 0, trialsSquared: 0 };
