import { z } from 'zod';
import { configError, inputError, show } from '../core/errors.js';
import type { FeatureSpec } from './types.js';

export const PreprocessingOptionsSchema = z.strictObject({
  /** Features to prepare, in this order; by default the catalogue entries with `clustering: true`. */
  features: z.array(z.string().min(1)).optional(),
  /** Quantiles at which `winsorize` features are clipped (after log1p when both apply). */
  winsorize: z
    .tuple([z.number().min(0).max(0.5), z.number().min(0.5).max(1)])
    .default([0.01, 0.99]),
  /** At most this many one-hot levels per categorical feature; the rest go to an `__other` column. */
  maxLevels: z.number().int().min(1).max(200).default(10),
  /** Levels held by a smaller share of the rows also go to `__other`. */
  minLevelShare: z.number().min(0).max(0.5).default(0.01),
  /** Standard-scale numeric features (mean 0, sd 1 on the fitting data). */
  scale: z.boolean().default(true),
});
export type PreprocessingOptions = z.input<typeof PreprocessingOptionsSchema>;

export interface NumericParams {
  readonly name: string;
  readonly kind: 'numeric';
  /** Value used for a missing entry, before any transform (0 or the fitting median). */
  readonly fill: number;
  readonly log1p: boolean;
  /** Clip bounds on the (log1p-transformed) scale, or null. */
  readonly clip: readonly [number, number] | null;
  readonly mean: number;
  readonly sd: number;
}
export interface BooleanParams {
  readonly name: string;
  readonly kind: 'boolean';
}
export interface CategoricalParams {
  readonly name: string;
  readonly kind: 'categorical';
  readonly levels: readonly string[];
  /** Whether an `__other` column exists (levels were capped or rare); unseen levels land there too. */
  readonly other: boolean;
  /** Whether a `__missing` column exists (missing values were seen when fitting). */
  readonly missing: boolean;
}
export type FeatureParams = NumericParams | BooleanParams | CategoricalParams;

/** Fitted preprocessing: plain JSON, saved with the models so that scoring applies the same transform. */
export interface PreprocessingParams {
  readonly version: 1;
  readonly features: readonly FeatureParams[];
  /** Names of the matrix columns, in order. */
  readonly columns: readonly string[];
}

/** A column's values: JavaScript values (null when missing), or for a numeric feature a Float64Array (NaN when missing). */
export type FeatureValues = readonly unknown[] | Float64Array;
export type FeatureColumns = Readonly<Record<string, FeatureValues>>;

export interface FeatureMatrix {
  /** Row-major n × d. */
  readonly matrix: Float64Array;
  readonly rows: number;
  readonly columns: string[];
}

const OTHER = '__other';
const MISSING = '__missing';

/** Fits per-feature preprocessing on the columns of a features table (e.g. from queryColumns). */
export function fitPreprocessing(
  columns: FeatureColumns,
  catalogue: readonly FeatureSpec[],
  options: PreprocessingOptions = {},
): PreprocessingParams {
  const parsed = PreprocessingOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    configError('preprocessing.options', `invalid preprocessing option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  const settings = parsed.data;
  const byName = new Map(catalogue.map((s) => [s.name, s]));
  const names = settings.features ?? catalogue.filter((s) => s.clustering).map((s) => s.name);
  const features = names.map((name): FeatureParams => {
    const spec = byName.get(name);
    if (!spec) return configError('preprocessing.unknown-feature', `feature ${show(name)} is not in the feature catalogue`, 'list the features with `personae features --list`');
    const values = columnOf(columns, name);
    if (spec.kind === 'boolean') return { name, kind: 'boolean' };
    if (spec.kind === 'categorical') return fitCategorical(name, values, settings.maxLevels, settings.minLevelShare);
    return fitNumeric(spec, numbers(name, values), settings.winsorize, settings.scale);
  });
  return { version: 1, features, columns: features.flatMap(outputNames) };
}

/** Applies fitted preprocessing: the same columns in the same order for any data with those features. */
export function transform(columns: FeatureColumns, params: PreprocessingParams): FeatureMatrix {
  const names = params.features.flatMap(outputNames);
  const rows = params.features.length > 0 ? columnOf(columns, (params.features[0] as FeatureParams).name).length : 0;
  const d = names.length;
  const matrix = new Float64Array(rows * d);
  let offset = 0;
  for (const p of params.features) {
    const values = columnOf(columns, p.name);
    if (values.length !== rows) inputError('preprocessing.ragged', `feature ${show(p.name)} has ${values.length} values, expected ${rows}`);
    if (p.kind === 'numeric') {
      const xs = numbers(p.name, values);
      for (let i = 0; i < rows; i++) matrix[i * d + offset] = numericValue(p, xs[i] as number);
      offset += 1;
    } else if (p.kind === 'boolean') {
      for (let i = 0; i < rows; i++) matrix[i * d + offset] = values[i] === true || values[i] === 1 ? 1 : 0;
      offset += 1;
    } else {
      const index = new Map(p.levels.map((level, j) => [level, j]));
      const otherAt = p.other ? p.levels.length : -1;
      const missingAt = p.missing ? p.levels.length + (p.other ? 1 : 0) : -1;
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        const j = v === null || v === undefined ? missingAt : (index.get(String(v)) ?? otherAt);
        if (j >= 0) matrix[i * d + offset + j] = 1;
      }
      offset += outputNames(p).length;
    }
  }
  return { matrix, rows, columns: names };
}

function outputNames(p: FeatureParams): string[] {
  if (p.kind !== 'categorical') return [p.name];
  return [...p.levels.map((l) => `${p.name}=${l}`), ...(p.other ? [`${p.name}=${OTHER}`] : []), ...(p.missing ? [`${p.name}=${MISSING}`] : [])];
}

function columnOf(columns: FeatureColumns, name: string): FeatureValues {
  const values = columns[name];
  if (!values) return inputError('preprocessing.missing-column', `the features have no column ${show(name)}`, 'compute the features with the same data families as when the preprocessing was fitted');
  return values;
}

/**
 * Numbers with NaN for missing entries; anything else is an input error naming the feature. A Float64Array is
 * already that and is returned as it is (callers only read it): no copy of a million-row column per feature.
 */
function numbers(name: string, values: FeatureValues): Float64Array {
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  values.forEach((v, i) => {
    if (v === null || v === undefined) out[i] = Number.NaN;
    else if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else inputError('preprocessing.not-numeric', `feature ${show(name)} row ${i + 1} holds ${show(v)}, not a number`);
  });
  return out;
}

const signedLog1p = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));

function numericValue(p: NumericParams, raw: number): number {
  let x = Number.isNaN(raw) ? p.fill : raw;
  if (p.log1p) x = signedLog1p(x);
  if (p.clip) x = Math.min(p.clip[1], Math.max(p.clip[0], x));
  return (x - p.mean) / p.sd;
}

/** Quantile with linear interpolation between order statistics (numpy's default), on sorted values. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

function fitNumeric(spec: FeatureSpec, xs: Float64Array, quantiles: readonly [number, number], scale: boolean): NumericParams {
  const observed = xs.filter((x) => !Number.isNaN(x)).sort();
  const fill = spec.missing === 'median' && observed.length > 0 ? quantileSorted(observed, 0.5) : 0;
  const log1p = spec.transform === 'log1p' || spec.transform === 'log1p+winsorize';
  const base = { name: spec.name, kind: 'numeric' as const, fill, log1p, clip: null, mean: 0, sd: 1 };
  const transformed = xs.map((x) => numericValue(base, x)).sort();
  const clip: [number, number] | null =
    spec.transform === 'winsorize' || spec.transform === 'log1p+winsorize'
      ? [quantileSorted(transformed, quantiles[0]), quantileSorted(transformed, quantiles[1])]
      : null;
  const clipped = transformed.map((x) => (clip ? Math.min(clip[1], Math.max(clip[0], x)) : x));
  const n = clipped.length;
  const mean = scale && n > 0 ? clipped.reduce((a, b) => a + b, 0) / n : 0;
  const variance = scale && n > 0 ? clipped.reduce((a, b) => a + (b - mean) ** 2, 0) / n : 1;
  // A constant feature keeps sd 1 so that it maps to 0 instead of dividing by zero.
  const sd = scale && variance > 0 ? Math.sqrt(variance) : 1;
  return { ...base, clip: clip && Number.isFinite(clip[0]) ? clip : null, mean, sd };
}

function fitCategorical(name: string, values: FeatureValues, maxLevels: number, minShare: number): CategoricalParams {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null || v === undefined) missing++;
    else counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const minCount = minShare * values.length;
  const levels = ranked.filter(([, n]) => n >= minCount).slice(0, maxLevels).map(([level]) => level);
  return { name, kind: 'categorical', levels, other: levels.length < ranked.length, missing: missing > 0 };
}
