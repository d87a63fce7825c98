/**
 * Choosing the number of clusters: fit k-means for every k in a range and score each fit.
 *
 * Selection rule (documented for users and reports):
 * 1. A k is *admissible* when its smallest cluster holds at least max(minClusterSize, minClusterFraction · n)
 *    rows, so that every persona is large enough to act on.
 * 2. A k is *stable* when every one of its clusters is found again when the customers are resampled: the
 *    clustering of `stabilityBoot` bootstrap resamples (of at most `stabilitySample` rows, each fitted like the
 *    data, with `nInit` restarts) recovers each cluster with a mean Jaccard similarity ≥ `stabilityThreshold`
 *    (Hennig 2007: ≥ 0.75 is a stable cluster, ≤ 0.5 a dissolved one). A persona that a resample of the same
 *    customers splits or merges differently is an artefact of one fit, not a group to act on; k-means splits
 *    a large group arbitrarily when asked for more clusters than the data holds, so stability falls sharply
 *    past the number of real groups while indices such as the gap keep rising. `stabilityBoot: 0` turns the
 *    check off (every k counts as stable).
 * 3. With the default criterion 'gap' (Tibshirani, Walther & Hastie 2001), k̂ is the smallest k in the range
 *    with Gap(k) ≥ Gap(k+1) − s(k+1), where Gap(k) = mean_b log W*_b(k) − log W(k) compares the within-cluster
 *    sum of squares W of a seeded sample of `gapSample` rows with that of `gapReferences` uniform data sets
 *    drawn in the sample's bounding box, and s is the references' standard deviation × √(1 + 1/B) (kMax when
 *    no k qualifies). The gap keeps growing while real groups remain, so unlike the silhouette it does not
 *    stop at the coarsest split when personas come in families. The chosen k is the largest admissible,
 *    stable k ≤ k̂ (the smallest admissible, stable k when none is ≤ k̂). With criterion 'silhouette' |
 *    'calinski-harabasz' | 'davies-bouldin' it is instead the admissible, stable k with the best score (ties
 *    to the smaller k).
 * 4. If no admissible k is stable, choose the admissible k whose least stable cluster is most stable (ties to
 *    the smaller k); if no k is admissible, the k whose smallest cluster is largest (ties to the smaller k).
 *    `reason` says so.
 * 5. `fixedK` in the settings skips the choice: only that k is fitted and scored.
 * Inertia (for an elbow plot), silhouette (exact on a seeded sample of `silhouetteSample` rows),
 * Davies-Bouldin, Calinski-Harabasz, the gap and the stability are returned for every k, and the bootstrap
 * stability of every cluster of the chosen k.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { KMeans } from './kmeans.js';
import { parseSettings } from './params.js';
import { Rng } from '../core/rng.js';
import { bootstrapStability, type ClusterStability } from './stability.js';
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
    stabilityBoot: z.number().int().min(0).max(1000).default(10),
    stabilityThreshold: z.number().min(0).max(1).default(0.75),
    stabilitySample: z.number().int().min(10).default(5000),
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
  /** Bootstrap mean Jaccard of the least stable cluster (null when stabilityBoot is 0). */
  stability: number | null;
  /** Every cluster's mean Jaccard ≥ stabilityThreshold (true when not measured). */
  stable: boolean;
  smallestCluster: number;
  smallestClusterFraction: number;
  admissible: boolean;
  nIter: number;
}

/**
 * Which branch of the rule chose k, with the numbers it used: what a report needs to explain the choice in
 * its own language (`reason` is the same in English).
 */
export type KChoice =
  | { readonly rule: 'fixed' }
  | { readonly rule: 'no-admissible'; readonly minRows: number; readonly smallest: number }
  | { readonly rule: 'no-stable'; readonly minRows: number; readonly boot: number; readonly threshold: number; readonly stability: number }
  /** `gapK` is the gap statistic's own k; the chosen k differs from it when the size or stability rule excluded it. */
  | { readonly rule: 'gap'; readonly minRows: number; readonly boot: number; readonly threshold: number; readonly gapK: number }
  | { readonly rule: 'criterion'; readonly criterion: Exclude<SelectKSettings['criterion'], 'gap'>; readonly minRows: number; readonly boot: number; readonly threshold: number };

export interface KSelection {
  chosenK: number;
  reason: string;
  choice: KChoice;
  /** The k range searched (the fixed k twice when the settings fix it). */
  kMin: number;
  kMax: number;
  minClusterRows: number;
  scores: KScores[];
  model: KMeans;
  /** Bootstrap stability of the chosen k's clusters (undefined when stabilityBoot is 0). */
  stability: ClusterStability | undefined;
}

export interface SelectKOptions {
  sampleWeight?: Float64Array;
  /** Called after each k is fitted and scored, and after each k's gap statistic: `done` of `total` steps. */
  onProgress?: (done: number, total: number) => void;
}

export function selectK(data: FeatureMatrix, settingsInput: SelectKSettingsInput = {}, options: SelectKOptions = {}): KSelection {
  const settings = parseSettings(selectKSettingsSchema, settingsInput, 'cluster.selectK');
  const n = data.nRows;
  const ks = settings.fixedK !== undefined ? [settings.fixedK] : range(settings.kMin, Math.min(settings.kMax, n - 1));
  if (ks.length === 0) inputError('cluster.too_few_rows', `Choosing k: ${n} rows are too few for k ≥ ${settings.kMin}.`, 'Provide more customers or lower kMin.');
  const minClusterRows = Math.max(settings.minClusterSize, Math.ceil(settings.minClusterFraction * n));
  const models = new Map<number, KMeans>();
  const stabilities = new Map<number, ClusterStability>();
  const withGap = settings.criterion === 'gap' && settings.fixedK === undefined;
  const steps = ks.length * (withGap ? 2 : 1);
  let done = 0;
  const step = (): void => options.onProgress?.(++done, steps);
  options.onProgress?.(0, steps);
  const scores = ks.map((k) => {
    const model = new KMeans({ nClusters: k, nInit: settings.nInit, maxIter: settings.maxIter, tol: settings.tol, algorithm: settings.algorithm, seed: settings.seed, threads: settings.threads });
    model.fit(data, options.sampleWeight === undefined ? {} : { sampleWeight: options.sampleWeight });
    models.set(k, model);
    const stability = settings.stabilityBoot > 0 ? clusterStability(data, model, k, settings) : undefined;
    if (stability !== undefined) stabilities.set(k, stability);
    const scored = scoreFit(data, model, k, minClusterRows, settings, stability);
    step();
    return scored;
  });
  if (withGap) {
    const gaps = gapStatistic(data, ks, settings, step);
    scores.forEach((s, i) => {
      s.gap = (gaps[i] as { gap: number }).gap;
      s.gapError = (gaps[i] as { error: number }).error;
    });
  }
  const { chosenK, reason, choice } = chooseK(scores, settings, minClusterRows);
  const kRange = { kMin: ks[0] as number, kMax: ks[ks.length - 1] as number };
  return { chosenK, reason, choice, ...kRange, minClusterRows, scores, model: models.get(chosenK) as KMeans, stability: stabilities.get(chosenK) };
}

/** Resamples are clustered as the data was (same restarts and algorithm), so instability is the data's, not the optimiser's. */
function clusterStability(data: FeatureMatrix, model: KMeans, k: number, settings: SelectKSettings): ClusterStability {
  return bootstrapStability(data, model.labels, k, { nBoot: settings.stabilityBoot, maxRows: settings.stabilitySample, nInit: settings.nInit, algorithm: settings.algorithm, seed: settings.seed });
}

function scoreFit(data: FeatureMatrix, model: KMeans, k: number, minClusterRows: number, settings: SelectKSettings, stability: ClusterStability | undefined): KScores {
  const counts = new Array<number>(k).fill(0);
  for (const label of model.labels) counts[label] = (counts[label] as number) + 1;
  const smallest = Math.min(...counts);
  const distinct = counts.filter((c) => c > 0).length;
  const scorable = distinct >= 2 && distinct < data.nRows;
  const leastStable = stability === undefined ? Number.NaN : Math.min(...stability.meanJaccard);
  return {
    k,
    inertia: model.inertia,
    silhouette: scorable ? silhouetteScore(data, model.labels, { sampleSize: settings.silhouetteSample, seed: settings.seed, threads: settings.threads }) : null,
    daviesBouldin: scorable ? daviesBouldinScore(data, model.labels) : null,
    calinskiHarabasz: scorable ? calinskiHarabaszScore(data, model.labels) : null,
    gap: null,
    gapError: null,
    stability: stability === undefined ? null : leastStable,
    stable: stability === undefined || leastStable >= settings.stabilityThreshold,
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

function chooseK(scores: KScores[], settings: SelectKSettings, minClusterRows: number): { chosenK: number; reason: string; choice: KChoice } {
  if (settings.fixedK !== undefined) return { chosenK: settings.fixedK, reason: `k fixed at ${settings.fixedK} by the configuration`, choice: { rule: 'fixed' } };
  const admissible = scores.filter((s) => s.admissible);
  if (admissible.length === 0) {
    const best = scores.reduce((a, b) => (b.smallestCluster > a.smallestCluster ? b : a));
    return {
      chosenK: best.k,
      reason: `no k in ${settings.kMin}–${settings.kMax} keeps every cluster ≥ ${minClusterRows} rows; chose k = ${best.k}, whose smallest cluster (${best.smallestCluster} rows) is largest`,
      choice: { rule: 'no-admissible', minRows: minClusterRows, smallest: best.smallestCluster },
    };
  }
  const gates = { minRows: minClusterRows, boot: settings.stabilityBoot, threshold: settings.stabilityThreshold };
  const sizeRule = `every cluster ≥ ${minClusterRows} rows`;
  const stableRule = `every cluster found again in ${settings.stabilityBoot} bootstrap resamples (mean Jaccard ≥ ${settings.stabilityThreshold})`;
  const candidates = admissible.filter((s) => s.stable);
  if (candidates.length === 0) {
    const best = admissible.reduce((a, b) => (((b.stability as number) > (a.stability as number)) ? b : a));
    return {
      chosenK: best.k,
      reason: `no k in ${settings.kMin}–${settings.kMax} with ${sizeRule} has ${stableRule}; chose k = ${best.k}, whose least stable cluster is most stable (mean Jaccard ${(best.stability as number).toFixed(2)})`,
      choice: { rule: 'no-stable', ...gates, stability: best.stability as number },
    };
  }
  const rules = settings.stabilityBoot > 0 ? `${sizeRule} and ${stableRule}` : sizeRule;
  const criterion = settings.criterion;
  if (criterion === 'gap') {
    const gapK = (scores.find((s, i) => i + 1 < scores.length && (s.gap as number) >= ((scores[i + 1] as KScores).gap as number) - ((scores[i + 1] as KScores).gapError as number)) ?? (scores[scores.length - 1] as KScores)).k;
    const chosen = candidates.filter((s) => s.k <= gapK).pop();
    if (chosen === undefined) {
      return { chosenK: (candidates[0] as KScores).k, reason: `the gap statistic chose k = ${gapK}, but only k ≥ ${(candidates[0] as KScores).k} has ${rules}`, choice: { rule: 'gap', ...gates, gapK } };
    }
    return {
      chosenK: chosen.k,
      reason: chosen.k === gapK ? `gap statistic (smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)), with ${rules}` : `the gap statistic chose k = ${gapK}; the largest k below it with ${rules} is ${chosen.k}`,
      choice: { rule: 'gap', ...gates, gapK },
    };
  }
  const best = candidates.reduce((a, b) => (criterionValue(b, criterion) > criterionValue(a, criterion) ? b : a));
  return { chosenK: best.k, reason: `best ${criterion} among the ks with ${rules}`, choice: { rule: 'criterion', criterion, ...gates } };
}

/** Gap(k) and s(k) for each k on a seeded sample, against uniform references in its bounding box. */
function gapStatistic(data: FeatureMatrix, ks: number[], settings: SelectKSettings, onK: () => void): { gap: number; error: number }[] {
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
    onK();
    return { gap: mean - observed, error: sd * Math.sqrt(1 + 1 / simulated.length) };
  });
}

function hashSeed(seed: number, label: string): number {
  return Rng.derive(seed, label).int(2 ** 31);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
