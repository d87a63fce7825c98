import { inputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { BgNbdParams } from './bgnbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import type { ParetoNbdParams } from './pareto-nbd.js';

/**
 * Seeded customer histories drawn from the BTYD models themselves, for parameter-recovery tests and
 * benchmarks. Each customer makes a first purchase at time 0 and is observed for T, drawn uniformly in
 * [minAge, maxAge]; an optional holdout of `holdoutLength` follows the observation period.
 */
export interface SimulationOptions {
  readonly customers: number;
  readonly seed: number;
  readonly minAge: number;
  readonly maxAge: number;
  readonly holdoutLength?: number;
  /**
   * Record times in whole units (days): T is a whole number, purchases in the same unit merge into one and
   * times are floored — like a real daily log, and what makes unique-row compression effective.
   */
  readonly wholeUnits?: boolean;
}

export interface SimulatedRfm {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly age: Float64Array;
  readonly holdoutFrequency: Float64Array;
}

type Lifetime = (rng: Rng) => { rate: number; purchasesUntilDeath: (rng: Rng) => (time: number) => boolean };

export function simulateBgNbd(params: BgNbdParams, options: SimulationOptions): SimulatedRfm {
  // BG/NBD: after each repeat purchase the customer drops out with probability p.
  return simulate(options, 'bgnbd', (rng) => {
    const rate = rng.gamma(params.r, params.alpha);
    const p = rng.beta(params.a, params.b);
    return {
      rate,
      purchasesUntilDeath: (inner) => {
        let alive = true;
        return () => {
          if (!alive) return false;
          alive = !inner.bernoulli(p);
          return true;
        };
      },
    };
  });
}

export function simulateParetoNbd(params: ParetoNbdParams, options: SimulationOptions): SimulatedRfm {
  // Pareto/NBD: an exponential lifetime; purchases only count while alive.
  return simulate(options, 'pareto_nbd', (rng) => {
    const rate = rng.gamma(params.r, params.alpha);
    const death = rng.exponential(rng.gamma(params.s, params.beta));
    return { rate, purchasesUntilDeath: () => (time) => time < death };
  });
}

/** Mean of x Gamma(p, ν) transaction values per customer, ν ~ Gamma(q, γ); NaN for x = 0. */
export function simulateSpend(params: GammaGammaParams, frequency: ArrayLike<number>, seed: number): Float64Array {
  const rng = Rng.derive(seed, 'gamma_gamma');
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const nu = rng.gamma(params.q, params.gamma);
    let total = 0;
    for (let k = 0; k < x; k++) total += rng.gamma(params.p, nu);
    out[i] = x > 0 ? total / x : NaN;
  }
  return out;
}

function simulate(options: SimulationOptions, label: string, draw: Lifetime): SimulatedRfm {
  const { customers, seed, minAge, maxAge, wholeUnits = false } = options;
  const holdout = options.holdoutLength ?? 0;
  if (!(customers > 0) || !Number.isInteger(customers)) inputError('simulate.customers', `customers must be a positive whole number, got ${customers}`);
  if (!(minAge > 0 && maxAge >= minAge)) inputError('simulate.age', `need 0 < minAge ≤ maxAge, got ${minAge}, ${maxAge}`);
  const rng = Rng.derive(seed, label);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const age = new Float64Array(customers);
  const holdoutFrequency = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const T = wholeUnits ? minAge + rng.int(Math.floor(maxAge - minAge) + 1) : rng.uniform(minAge, maxAge);
    const { rate, purchasesUntilDeath } = draw(rng);
    const buys = purchasesUntilDeath(rng);
    let time = 0;
    let x = 0;
    let last = 0;
    let inHoldout = 0;
    let lastUnit = 0;
    for (;;) {
      time += rng.exponential(rate);
      if (time > T + holdout) break;
      if (!buys(time)) break;
      const recorded = wholeUnits ? Math.floor(time) : time;
      if (wholeUnits && recorded === lastUnit) continue;
      lastUnit = recorded;
      if (recorded <= T) {
        x++;
        last = recorded;
      } else {
        inHoldout++;
      }
    }
    frequency[i] = x;
    recency[i] = last;
    age[i] = T;
    holdoutFrequency[i] = inHoldout;
  }
  return { frequency, recency, age, holdoutFrequency };
}
