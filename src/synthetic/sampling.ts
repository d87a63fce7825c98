/** Small sampling helpers over the seeded Rng, shared by the synthetic generators. */
import type { Rng } from '../core/rng.js';
import type { Weights } from './personas.js';

/** Picks a key with probability proportional to its weight (keys in declaration order, so seeded runs agree). */
export function pickWeighted<K extends string>(rng: Rng, weights: Weights<K>): K {
  let table = tables.get(weights);
  if (!table) {
    const keys = Object.keys(weights);
    table = { keys, weights: keys.map((k) => (weights as Record<string, number>)[k] ?? 0) };
    tables.set(weights, table);
  }
  return table.keys[rng.weightedIndex(table.weights)] as K;
}

// Weight objects are constants of the persona definitions: their key/weight arrays are built once.
const tables = new WeakMap<object, { keys: string[]; weights: number[] }>();

/** A log-normal draw with the given median and log-scale sigma. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Zero-padded decimal digits, e.g. digits(rng, 8) → "04718233". */
export function randomDigits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(rng.int(10));
  return out;
}

/** Index of the first element of a sorted array that is >= value. */
export function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
