import type { FeatureSpec } from '../features/types.js';
import type { FeatureColumn } from './types.js';

/** The most frequent levels of a categorical column (by count, then name), at most `max`. */
export function frequentLevels(column: readonly (string | null)[], max: number, minCount = 1): string[] {
  const counts = new Map<string, number>();
  for (const value of column) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([level]) => level);
}

/** One standardised dimension: a numeric/boolean feature or one level of a categorical one. */
interface Dimension {
  readonly values: (i: number) => number;
}

function numericDimension(spec: FeatureSpec, column: Float64Array): Dimension | null {
  const useLog = spec.transform.startsWith('log1p');
  const at = (i: number): number => {
    const x = column[i] as number;
    return useLog && x > -1 ? Math.log1p(x) : x;
  };
  let n = 0;
  let sum = 0;
  for (let i = 0; i < column.length; i++) {
    const x = at(i);
    if (Number.isFinite(x)) {
      n++;
      sum += x;
    }
  }
  if (n < 2) return null;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < column.length; i++) {
    const x = at(i);
    if (Number.isFinite(x)) ss += (x - mean) * (x - mean);
  }
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0)) return null;
  // Missing values sit at the mean (0 after standardising) so they neither pull nor push.
  return { values: (i) => {
    const x = at(i);
    return Number.isFinite(x) ? (x - mean) / sd : 0;
  } };
}

function levelDimension(column: readonly (string | null)[], level: string): Dimension | null {
  let n = 0;
  let hits = 0;
  for (const value of column) {
    if (value === null) continue;
    n++;
    if (value === level) hits++;
  }
  const p = n > 0 ? hits / n : 0;
  const sd = Math.sqrt(p * (1 - p));
  if (!(sd > 0)) return null;
  return { values: (i) => {
    const value = column[i];
    if (value === null || value === undefined) return 0;
    return ((value === level ? 1 : 0) - p) / sd;
  } };
}

function dimensionsOf(features: readonly FeatureSpec[], columns: Readonly<Record<string, FeatureColumn>>): Dimension[] {
  const dims: Dimension[] = [];
  for (const spec of features) {
    const column = columns[spec.name];
    if (column === undefined) continue;
    if (column instanceof Float64Array) {
      const dim = numericDimension(spec, column);
      if (dim) dims.push(dim);
    } else {
      for (const level of frequentLevels(column, 12)) {
        const dim = levelDimension(column, level);
        if (dim) dims.push(dim);
      }
    }
  }
  return dims;
}

export interface GroupGeometry {
  /** Mean standardised vector per group. */
  readonly centroids: readonly Float64Array[];
  /** Within-group variance / population variance (1 = as spread out as the whole population). */
  readonly dispersion: readonly number[];
  readonly dimension: number;
}

/**
 * Centroids and spread of groups in the standardised feature space (numeric features z-scored after their
 * catalogue log transform, categorical levels as z-scored indicators). Customers with group −1 are skipped
 * for the groups but count in the population.
 */
export function groupGeometry(
  features: readonly FeatureSpec[],
  columns: Readonly<Record<string, FeatureColumn>>,
  groupOf: Int32Array,
  groupCount: number,
): GroupGeometry {
  const dims = dimensionsOf(features, columns);
  const p = dims.length;
  const n = groupOf.length;
  const sums = Array.from({ length: groupCount }, () => new Float64Array(p));
  const squares = new Float64Array(groupCount);
  const sizes = new Float64Array(groupCount);
  let populationSquares = 0;
  const populationSums = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const dim = dims[j] as Dimension;
    for (let i = 0; i < n; i++) {
      const z = dim.values(i);
      populationSums[j] = (populationSums[j] as number) + z;
      populationSquares += z * z;
      const g = groupOf[i] as number;
      if (g < 0) continue;
      const s = sums[g] as Float64Array;
      s[j] = (s[j] as number) + z;
      squares[g] = (squares[g] as number) + z * z;
    }
  }
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    if (g >= 0) sizes[g] = (sizes[g] as number) + 1;
  }
  let populationVariance = populationSquares / Math.max(1, n);
  for (let j = 0; j < p; j++) populationVariance -= ((populationSums[j] as number) / Math.max(1, n)) ** 2;
  const centroids = sums.map((s, g) => s.map((v) => v / Math.max(1, sizes[g] as number)));
  const dispersion = centroids.map((c, g) => {
    const size = sizes[g] as number;
    if (size === 0 || !(populationVariance > 0)) return 0;
    let within = (squares[g] as number) / size;
    for (let j = 0; j < p; j++) within -= (c[j] as number) ** 2;
    return within / populationVariance;
  });
  return { centroids, dispersion, dimension: p };
}

/** Root-mean-square difference per standardised dimension between two centroids. */
export function centroidDistance(a: Float64Array, b: Float64Array): number {
  let ss = 0;
  for (let j = 0; j < a.length; j++) ss += ((a[j] as number) - (b[j] as number)) ** 2;
  return a.length > 0 ? Math.sqrt(ss / a.length) : 0;
}

/**
 * How far apart the two halves of a 2-means bisection of the group are (RMS per standardised dimension),
 * on at most `maxRows` evenly spaced members. A group made of two personas bisects into halves as far apart
 * as distinct personas; a homogeneous one into much closer halves.
 */
export function bisectionDistance(
  features: readonly FeatureSpec[],
  columns: Readonly<Record<string, FeatureColumn>>,
  members: readonly number[],
  maxRows = 1500,
): number {
  const dims = dimensionsOf(features, columns);
  const p = dims.length;
  const stride = Math.max(1, Math.ceil(members.length / maxRows));
  const rows = members.filter((_, i) => i % stride === 0);
  const m = rows.length;
  if (m < 4 || p === 0) return 0;
  const data = new Float64Array(m * p);
  dims.forEach((dim, j) => rows.forEach((row, r) => (data[r * p + j] = dim.values(row))));
  const point = (r: number): Float64Array => data.subarray(r * p, (r + 1) * p);
  const sq = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < p; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
    return s;
  };
  const mean = new Float64Array(p);
  for (let r = 0; r < m; r++) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (data[r * p + j] as number) / m;
  // Start from the principal direction (power iteration), as in principal-direction divisive partitioning:
  // outliers cannot capture a half the way farthest-point seeds do.
  let direction = new Float64Array(p).fill(1 / Math.sqrt(p));
  for (let iteration = 0; iteration < 30; iteration++) {
    const next = new Float64Array(p);
    for (let r = 0; r < m; r++) {
      let projection = 0;
      for (let j = 0; j < p; j++) projection += ((data[r * p + j] as number) - (mean[j] as number)) * (direction[j] as number);
      for (let j = 0; j < p; j++) next[j] = (next[j] as number) + projection * ((data[r * p + j] as number) - (mean[j] as number));
    }
    const norm = Math.sqrt(next.reduce((acc, v) => acc + v * v, 0));
    if (!(norm > 0)) break;
    direction = next.map((v) => v / norm);
  }
  const side0 = new Float64Array(p);
  const side1 = new Float64Array(p);
  let n0 = 0;
  for (let r = 0; r < m; r++) {
    let projection = 0;
    for (let j = 0; j < p; j++) projection += ((data[r * p + j] as number) - (mean[j] as number)) * (direction[j] as number);
    const target = projection <= 0 ? side0 : side1;
    if (projection <= 0) n0++;
    for (let j = 0; j < p; j++) target[j] = (target[j] as number) + (data[r * p + j] as number);
  }
  if (n0 === 0 || n0 === m) return 0;
  let centers = [side0.map((v) => v / n0), side1.map((v) => v / (m - n0))];
  const assign = new Uint8Array(m);
  let smaller = 0;
  for (let iteration = 0; iteration < 25; iteration++) {
    let changed = false;
    for (let r = 0; r < m; r++) {
      const side = sq(point(r), centers[0] as Float64Array) <= sq(point(r), centers[1] as Float64Array) ? 0 : 1;
      if (assign[r] !== side) changed = true;
      assign[r] = side;
    }
    const sums = [new Float64Array(p), new Float64Array(p)];
    const counts = [0, 0];
    for (let r = 0; r < m; r++) {
      const side = assign[r] as number;
      counts[side] = (counts[side] as number) + 1;
      const s = sums[side] as Float64Array;
      for (let j = 0; j < p; j++) s[j] = (s[j] as number) + (data[r * p + j] as number);
    }
    if (counts[0] === 0 || counts[1] === 0) return 0;
    centers = sums.map((s, side) => s.map((v) => v / (counts[side] as number)));
    smaller = Math.min(counts[0] as number, counts[1] as number) / m;
    if (!changed && iteration > 0) break;
  }
  // A sliver of outliers is not a second persona.
  return smaller >= 0.15 ? centroidDistance(centers[0] as Float64Array, centers[1] as Float64Array) : 0;
}
