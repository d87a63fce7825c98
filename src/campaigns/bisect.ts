import { Rng } from '../core/rng.js';

export interface Bisection {
  /** 0 or 1 per member, in the order of `rows`. */
  readonly side: Uint8Array;
  /** Mean point of each half. */
  readonly centres: readonly [Float64Array, Float64Array];
}

/**
 * Seeded 2-means of some rows of a row-major n × d matrix: k-means++ seeds (the second drawn in proportion
 * to the squared distance to the first), then Lloyd iterations until no member changes side. Same rows and
 * seed, same halves. Fewer than two distinct points give everybody side 0.
 */
export function bisectRows(values: Float64Array, d: number, rows: readonly number[], seed: number, label: string): Bisection {
  const m = rows.length;
  const side = new Uint8Array(m);
  const point = (r: number): Float64Array => values.subarray((rows[r] as number) * d, ((rows[r] as number) + 1) * d);
  const sq = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
    return s;
  };
  const mean = (which: number): Float64Array => {
    const out = new Float64Array(d);
    let count = 0;
    for (let r = 0; r < m; r++) {
      if (side[r] !== which) continue;
      count++;
      const x = point(r);
      for (let j = 0; j < d; j++) out[j] = (out[j] as number) + (x[j] as number);
    }
    return count > 0 ? out.map((v) => v / count) : out;
  };
  if (m < 2) return { side, centres: [mean(0), new Float64Array(d)] };
  const rng = Rng.derive(seed, `bisect/${label}`);
  const first = Float64Array.from(point(rng.int(m)));
  const weights = Array.from({ length: m }, (_, r) => sq(point(r), first));
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) return { side, centres: [mean(0), new Float64Array(d)] };
  let u = rng.next() * total;
  let pick = 0;
  while (pick < m - 1 && u >= (weights[pick] as number)) u -= weights[pick++] as number;
  let centres: [Float64Array, Float64Array] = [first, Float64Array.from(point(pick))];
  for (let iteration = 0; iteration < 100; iteration++) {
    let changed = iteration === 0;
    for (let r = 0; r < m; r++) {
      const x = point(r);
      const s = sq(x, centres[0]) <= sq(x, centres[1]) ? 0 : 1;
      if (side[r] !== s) changed = true;
      side[r] = s;
    }
    if (!changed) break;
    centres = [mean(0), mean(1)];
  }
  return { side, centres };
}
