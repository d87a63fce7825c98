/**
 * Bootstrap cluster stability, after Hennig (2007, "Cluster-wise assessment of cluster stability";
 * R's fpc::clusterboot): cluster B bootstrap resamples; for each original cluster, its Jaccard similarity with
 * the most similar cluster of the resample's clustering, both restricted to the distinct rows drawn; averaged
 * over resamples. Hennig reads mean Jaccard ≤ 0.5 as a dissolved cluster, ≥ 0.75 as stable, ≥ 0.85 as highly stable.
 */
import { z } from 'zod';
import { Rng } from '../core/rng.js';
import { KMeans } from './kmeans.js';
import { checkLabels, compactLabels } from './labels.js';
import { parseSettings } from './params.js';
import { checkMatrix } from './prepare.js';
import { sampleRows } from './scores.js';
import type { FeatureMatrix } from './types.js';

export const stabilitySettingsSchema = z
  .object({
    nBoot: z.number().int().min(1).max(1000).default(20),
    /** Rows used (a seeded subsample of larger data), to bound the cost of nBoot refits. */
    maxRows: z.number().int().min(10).default(20_000),
    nInit: z.number().int().min(1).default(1),
    seed: z.number().int().default(0),
    algorithm: z.enum(['lloyd', 'hamerly']).default('lloyd'),
  })
  .strict();

export type StabilitySettingsInput = z.input<typeof stabilitySettingsSchema>;

export interface ClusterStability {
  /** Mean Jaccard per cluster (index = cluster label of the reference clustering). */
  meanJaccard: number[];
  /** Times each cluster dissolved (best Jaccard ≤ 0.5) and was recovered (≥ 0.75), out of `nBoot`. */
  dissolved: number[];
  recovered: number[];
  nBoot: number;
  rowsUsed: number;
}

/** `labels` is the reference clustering of `data` into clusters 0..k-1. */
export function bootstrapStability(data: FeatureMatrix, labels: ArrayLike<number>, k: number, settingsInput: StabilitySettingsInput = {}): ClusterStability {
  const settings = parseSettings(stabilitySettingsSchema, settingsInput, 'cluster.stability');
  checkMatrix(data, 'stability data');
  checkLabels(labels, data.nRows, 'stability');
  const rows = sampleRows(data.nRows, settings.maxRows, settings.seed, 'stability-rows');
  const m = rows.length;
  const d = data.nCols;
  const reference = Int32Array.from(rows, (r) => labels[r] as number);
  const sums = new Array<number>(k).fill(0);
  const dissolved = new Array<number>(k).fill(0);
  const recovered = new Array<number>(k).fill(0);
  const counted = new Array<number>(k).fill(0);
  for (let b = 0; b < settings.nBoot; b++) {
    const rng = Rng.derive(settings.seed, `stability-boot-${b}`);
    const drawn = Int32Array.from({ length: m }, () => rng.int(m));
    const values = new Float64Array(m * d);
    drawn.forEach((row, i) => values.set(data.values.subarray((rows[row] as number) * d, (rows[row] as number) * d + d), i * d));
    const model = new KMeans({ nClusters: k, nInit: settings.nInit, seed: settings.seed + b + 1, algorithm: settings.algorithm, threads: 1 });
    model.fit({ values, nRows: m, nCols: d });
    // Distinct rows drawn and their bootstrap cluster (duplicates of a row share their label).
    const bootLabel = new Int32Array(m).fill(-1);
    drawn.forEach((row, i) => (bootLabel[row] = model.labels[i] as number));
    const jaccard = bestJaccard(reference, bootLabel, k);
    jaccard.forEach((j, c) => {
      if (j === null) return;
      sums[c] = (sums[c] as number) + j;
      counted[c] = (counted[c] as number) + 1;
      if (j <= 0.5) dissolved[c] = (dissolved[c] as number) + 1;
      if (j >= 0.75) recovered[c] = (recovered[c] as number) + 1;
    });
  }
  return { meanJaccard: sums.map((s, c) => (counted[c] ? s / (counted[c] as number) : 0)), dissolved, recovered, nBoot: settings.nBoot, rowsUsed: m };
}

/** For each reference cluster, the best Jaccard with a bootstrap cluster over rows present (label ≥ 0). */
function bestJaccard(reference: Int32Array, boot: Int32Array, k: number): (number | null)[] {
  const { codes, count } = compactLabels(Array.from(boot).filter((l) => l >= 0));
  const present = Array.from(boot.keys()).filter((i) => (boot[i] as number) >= 0);
  const table = new Float64Array(k * count);
  const refSizes = new Float64Array(k);
  const bootSizes = new Float64Array(count);
  present.forEach((row, idx) => {
    const r = reference[row] as number;
    const c = codes[idx] as number;
    table[r * count + c] += 1;
    refSizes[r] += 1;
    bootSizes[c] += 1;
  });
  return Array.from({ length: k }, (_, r) => {
    if (refSizes[r] === 0) return null;
    let best = 0;
    for (let c = 0; c < count; c++) {
      const both = table[r * count + c] as number;
      best = Math.max(best, both / ((refSizes[r] as number) + (bootSizes[c] as number) - both));
    }
    return best;
  });
}
