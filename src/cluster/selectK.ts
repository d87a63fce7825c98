/**
 * Choosing the number of clusters: fit k-means for every k in a range and score each fit.
 *
 * Selection rule (documented for users and reports):
 * 1. A k is *admissible* when its smallest cluster holds at least max(minClusterSize, minClusterFraction · n)
 *    rows, so that every persona is large enough to act on.
 * 2. With the default criterion 'gap' (Tibshirani, Walther & Hastie 2001), k̂ is the smallest k in the range
 *    with Gap(k) ≥ Gap(k+1) − s(k+1), where Gap(k) = mean_b log W*_b(k) − log W(k) compares the within-cluster
 *    sum of squares W of a seeded sample of `gapSample` rows with that of `gapReferences` uniform data sets
 *    drawn in the sample's bounding box, and s is the references' standard deviation × √(1 + 1/B) (kMax when
 *    no k qualifies). The gap keeps growing while real groups remain, so unlike the silhouette it does not
 *    stop at the coarsest split when personas come in families. The chosen k is the largest admissible
 *    k ≤ k̂. With criterion 'silhouette' | 'calinski-harabasz' | 'davies-bouldin' it is instead the admissible
 *    k with the best score (ties to the smaller k).
 * 3. If no k is admissible, choose the k whose smallest cluster is largest (ties to the smaller k), and say so
 *    in `reason`.
 * 4. `fixedK` in the settings skips the choice: only that k is fitted and scored.
 * Inertia (for an elbow plot), silhouette (exact on a seeded sample of `silhouetteSample` rows),
 * Davies-Bouldin, Calinski-Harabasz and the gap are returned for every k.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { KMeans } from './kmeans.js';
import { parseSettings } from './params.js';
import { Rng } from '../core/rng.js';
import { calinskiHarabaszScore, daviesBouldinScore, sampleRows, silhouetteScore } from './scores.js';
import type { FeatureMatrix } from './types.js';

export const selectKSettingsSchema = z
  .object({
    kMin: z.number().int().min(2).default(2),
    kMax: z.number().int().min(2).max(100).default(10),
    fixedK: z.number().int().min(1).max(1000).optional(),
    criterion: z.enum(['gap', 'silhouette', 'calinski-harabasz', 'davies-bouldin']).default('gap'),
    gapSample: z.number().int().min(50).default(2000),
    gapReferences: z.number().int().min(2).max(100).default(5),
    minClusterFraction: z.number().min(0).max(0.5).default(0.02),
    minClusterSize: z.number().int().min(1).default(1),
    silhouetteSample: z.number().int().min(10).default(3000),
    nInit: z.number().int().min(1).default(5),
    maxIter: z.number().int().min(1).default(300),
    tol: z.number().min(0).default(1e-4),
    algorithm: z.enum(['lloyd', 'hamerly']).default('lloyd'),
    seed: z.number().int().default(0),
    threads: z.union([z.literal('auto'), z.number().int().min(1)]).default('auto'),
  })
  .strict()
  .refine((s) => s.kMin <= s.kMax, { message: 'kMin must not exceed kMax', path: ['kMin'] });

export type SelectKSettingsInput = z.input<typeof selectKSettingsSchema>;
export type SelectKSettings = z.output<typeof selectKSettingsSchema>;

export interface KScores {
  k: number;
  inertia: number;
  /** null when undefined (k = 1). */
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  /** Gap statistic and its standard error (null when the criterion is not 'gap'). */
  gap: number | null;
  gapError: number | null;
  smallestCluster: number;
  smallestClusterFraction: number;
  admissible: boolean;
  nIter: number;
}

export interface KSelection {
  chosenK: number;
  reason: string;
  minClusterRows: number;
  scores: KScores[];
  model: KMeans;
}

export function selectK(data: FeatureMatrix, settingsInput: SelectKSettingsInput = {}, options: { sampleWeight?: Float64Array } = {}): KSelection {
  const settings = parseSettings(selectKSettingsSchema, settingsInput, 'cluster.selectK');
  const n = data.nRows;
  const ks = settings.fixedK !== undefined ? [settings.fixedK] : range(settings.kMin, Math.min(settings.kMax, n - 1));
  if (ks.length === 0) inputError('cluster.too_few_rows', `Choosing k: ${n} rows are too few for k ≥ ${settings.kMin}.`, 'Provide more customers or lower kMin.');
  const minClusterRows = Math.max(settings.minClusterSize, Math.ceil(settings.minClusterFraction * n));
  const models = new Map<number, KMeans>();
  const scores = ks.map((k) => {
    const model = new KMeans({ nClusters: k, nInit: settings.nInit, maxIter: settings.maxIter, tol: settings.tol, algorithm: settings.algorithm, seed: settings.seed, threads: settings.threads });
    model.fit(data, options.sampleWeight === undefined ? {} : { sampleWeight: options.sampleWeight });
    models.set(k, model);
    return scoreFit(data, model, k, minClusterRows, settings);
  });
  if (settings.criterion === 'gap' && settings.fixedK === undefined) {
    const gaps = gapStatistic(data, ks, settings);
    scores.forEach((s, i) => {
      s.gap = (gaps[i] as { gap: number }).gap;
      s.gapError = (gaps[i] as { error: number }).error;
    });
  }
  const { chosenK, reason } = chooseK(scores, settings, minClusterRows);
  return { chosenK, reason, minClusterRows, scores, model: models.get(chosenK) as KMeans };
}

function scoreFit(data: FeatureMatrix, model: KMeans, k: number, minClusterRows: number, settings: SelectKSettings): KScores {
  const counts = new Array<number>(k).fill(0);
  for (const label of model.labels) counts[label] = (counts[label] as number) + 1;
  const smallest = Math.min(...counts);
  const distinct = counts.filter((c) => c > 0).length;
  const scorable = distinct >= 2 && distinct < data.nRows;
  return {
    k,
    inertia: model.inertia,
    silhouette: scorable ? silhouetteScore(data, model.labels, { sampleSize: settings.silhouetteSample, seed: settings.seed }) : null,
    daviesBouldin: scorable ? daviesBouldinScore(data, model.labels) : null,
    calinskiHarabasz: scorable ? calinskiHarabaszScore(data, model.labels) : null,
    gap: null,
    gapError: null,
    smallestCluster: smallest,
    smallestClusterFraction: smallest / data.nRows,
    admissible: smallest >= minClusterRows,
    nIter: model.nIter,
  };
}

/** Larger is better for every criterion after this transform. */
function criterionValue(s: KScores, criterion: Exclude<SelectKSettings['criterion'], 'gap'>): number {
  const value = criterion === 'silhouette' ? s.silhouette : criterion === 'calinski-harabasz' ? s.calinskiHarabasz : s.daviesBouldin === null ? null : -s.daviesBouldin;
  return value ?? -Infinity;
}

function chooseK(scores: KScores[], settings: SelectKSettings, minClusterRows: number): { chosenK: number; reason: string } {
  if (settings.fixedK !== undefined) return { chosenK: settings.fixedK, reason: `k fixed at ${settings.fixedK} by the configuration` };
  const admissible = scores.filter((s) => s.admissible);
  if (admissible.length === 0) {
    const best = scores.reduce((a, b) => (b.smallestCluster > a.smallestCluster ? b : a));
    return { chosenK: best.k, reason: `no k in ${settings.kMin}–${settings.kMax} keeps every cluster ≥ ${minClusterRows} rows; chose k = ${best.k}, whose smallest cluster (${best.smallestCluster} rows) is largest` };
  }
  const criterion = settings.criterion;
  if (criterion === 'gap') {
    const gapK = (scores.find((s, i) => i + 1 < scores.length && (s.gap as number) >= ((scores[i + 1] as KScores).gap as number) - ((scores[i + 1] as KScores).gapError as number)) ?? (scores[scores.length - 1] as KScores)).k;
    const chosen = admissible.filter((s) => s.k <= gapK).pop();
    if (chosen === undefined) {
      return { chosenK: (admissible[0] as KScores).k, reason: `the gap statistic chose k = ${gapK}, but only k ≥ ${(admissible[0] as KScores).k} keeps every cluster ≥ ${minClusterRows} rows` };
    }
    return {
      chosenK: chosen.k,
      reason: chosen.k === gapK ? `gap statistic (smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)); every cluster ≥ ${minClusterRows} rows` : `the gap statistic chose k = ${gapK}; the largest k below it whose clusters all have ≥ ${minClusterRows} rows is ${chosen.k}`,
    };
  }
  const best = admissible.reduce((a, b) => (criterionValue(b, criterion) > criterionValue(a, criterion) ? b : a));
  return { chosenK: best.k, reason: `best ${criterion} among ks whose smallest cluster has ≥ ${minClusterRows} rows` };
}

/** Gap(k) and s(k) for each k on a seeded sample, against uniform references in its bounding box. */
function gapStatistic(data: FeatureMatrix, ks: number[], settings: SelectKSettings): { gap: number; error: number }[] {
  const d = data.nCols;
  const rows = sampleRows(data.nRows, settings.gapSample, settings.seed, 'gap-sample');
  const m = rows.length;
  const sample = new Float64Array(m * d);
  rows.forEach((r, i) => sample.set(data.values.subarray(r * d, r * d + d), i * d));
  const low = new Float64Array(d).fill(Infinity);
  const high = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < d; t++) {
      low[t] = Math.min(low[t] as number, sample[i * d + t] as number);
      high[t] = Math.max(high[t] as number, sample[i * d + t] as number);
    }
  }
  const logW = (values: Float64Array, k: number, label: string): number => {
    const model = new KMeans({ nClusters: k, nInit: settings.nInit, maxIter: settings.maxIter, tol: settings.tol, algorithm: settings.algorithm, seed: settings.seed, threads: 1 });
    return Math.log(Math.max(model.fit({ values, nRows: m, nCols: d }, { seed: hashSeed(settings.seed, label) }).inertia, Number.MIN_VALUE));
  };
  const references = Array.from({ length: settings.gapReferences }, (_, b) => {
    const rng = Rng.derive(settings.seed, `gap-reference-${b}`);
    return Float64Array.from({ length: m * d }, (_, i) => rng.uniform(low[i % d] as number, high[i % d] as number));
  });
  return ks.map((k) => {
    const observed = logW(sample, k, `gap-observed-${k}`);
    const simulated = references.map((ref, b) => logW(ref, k, `gap-ref-${b}-${k}`));
    const mean = simulated.reduce((a, v) => a + v, 0) / simulated.length;
    const sd = Math.sqrt(simulated.reduce((a, v) => a + (v - mean) ** 2, 0) / simulated.length);
    return { gap: mean - observed, error: sd * Math.sqrt(1 + 1 / simulated.length) };
  });
}

function hashSeed(seed: number, label: string): number {
  return Rng.derive(seed, label).int(2 ** 31);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
