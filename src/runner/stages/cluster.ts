import { bootstrapStability, type ClusterStability } from '../../cluster/stability.js';
import { initialPersonaIds, matchPersonas, type Lineage } from '../../cluster/lineage.js';
import { PCA } from '../../cluster/pca.js';
import { selectK, type KChoice, type KScores } from '../../cluster/selectK.js';
import { stopWorkers } from '../../cluster/threadPool.js';
import { featureMatrix, type FeatureMatrix } from '../../cluster/types.js';
import type { KMeans } from '../../cluster/kmeans.js';
import { fitPreprocessing, transform, type PreprocessingParams } from '../../features/preprocessing.js';
import type { RunContext } from '../context.js';
import type { PreviousState } from '../previous.js';
import type { FeatureTable } from './features.js';

export interface Clustering {
  readonly preprocessing: PreprocessingParams;
  readonly matrix: FeatureMatrix;
  readonly columns: readonly string[];
  readonly model: KMeans;
  readonly labels: Int32Array;
  readonly k: number;
  readonly kScores: readonly KScores[];
  readonly kRule: string;
  /** The same choice as data (branch of the rule and its numbers) with the k range searched, for reports. */
  readonly kChoice: KChoice;
  readonly kRange: readonly [number, number];
  /** Persona id of each cluster (index = label), stable across retrains through lineage. */
  readonly personaIds: readonly string[];
  readonly lineage: Lineage | undefined;
  readonly stability: ClusterStability;
  readonly pca: {
    readonly points: { x: number; y: number; label: number }[];
    readonly explained: [number, number];
    /** The features that weigh most in each of the two map axes, signed so the first weighs positively. */
    readonly axes: [MapAxisLoading[], MapAxisLoading[]];
  };
}

/**
 * Stage 3: preprocess the clustering features, choose k (or take it from the config) among the ks whose
 * clusters are large enough and reproducible under bootstrap resampling, fit k-means, report stability,
 * project a PCA map, and keep persona ids through lineage with the previous run.
 */
export async function clusterStage(
  ctx: RunContext,
  features: FeatureTable,
  previous?: PreviousState,
): Promise<[Clustering]> {
  const settings = ctx.config.clustering;
  const preprocessing = fitPreprocessing(features.columns, features.catalogue);
  const prepared = transform(features.columns, preprocessing);
  const matrix = featureMatrix(prepared.matrix, prepared.rows, prepared.columns.length);
  const n = matrix.nRows;
  const selection = selectK(matrix, {
    kMin: Math.min(settings.k_min, Math.max(2, n - 1)),
    kMax: Math.min(settings.k_max, Math.max(2, n - 1)),
    ...(settings.k === 'auto' ? {} : { fixedK: settings.k }),
    minClusterSize: settings.min_persona_size,
    nInit: settings.n_init,
    stabilityBoot: 10,
    stabilitySample: 5000,
    seed: ctx.config.seed,
  }, { onProgress: (done, total) => ctx.log.progress('clustering: choosing k', done, total) });
  const model = selection.model;
  const k = selection.chosenK;
  const labels = Int32Array.from(model.labels);
  // selectK measured the chosen k's stability (it gates the choice of k); the same measure is reported.
  const stability =
    selection.stability ??
    bootstrapStability(matrix, labels, k, { seed: ctx.config.seed, nBoot: 10, maxRows: 5000, nInit: settings.n_init });
  const pca = new PCA({}).fit(matrix);
  const sample = pca.projectSample(matrix, { sampleSize: 2000, seed: ctx.config.seed });
  const d = prepared.columns.length;
  const axes = [0, 1].map((j) => axisLoadings(pca.state.components.subarray(j * d, (j + 1) * d), prepared.columns)) as [
    ReturnType<typeof axisLoadings>,
    ReturnType<typeof axisLoadings>,
  ];
  const points = Array.from(sample.rows, (row, i) => ({
    x: axes[0].sign * (sample.coordinates[i * 2] as number),
    y: axes[1].sign * (sample.coordinates[i * 2 + 1] as number),
    label: labels[row] as number,
  }));
  const ratio = pca.state.explainedVarianceRatio;
  let lineage: Lineage | undefined;
  let personaIds = initialPersonaIds(k);
  if (previous && previous.membership.size > 0) {
    lineage = matchPersonas(
      {
        personas: previousCentroids(previous, features.customerIds, matrix),
        membership: previous.membership,
        retiredIds: previous.retiredIds,
      },
      { centroids: model.centres, nFeatures: matrix.nCols, customerIds: features.customerIds, labels },
    );
    personaIds = lineage.ids;
  }
  ctx.log.info(`clustering: k = ${k} (${selection.reason}); personas ${personaIds.join(', ')}`);
  // The k-means threads keep their shared memory (a centred copy of the matrix and the fits' arrays) for the next
  // fit: no later stage of a run fits k-means, and at 10M customers that memory is ~2 GB the timing stage needs.
  await stopWorkers();
  return [
    {
      preprocessing,
      matrix,
      columns: prepared.columns,
      model,
      labels,
      k,
      kScores: selection.scores,
      kRule: selection.reason,
      kChoice: selection.choice,
      kRange: [selection.kMin, selection.kMax],
      personaIds,
      lineage,
      stability,
      pca: { points, explained: [ratio[0] ?? 0, ratio[1] ?? 0], axes: [axes[0].loadings, axes[1].loadings] },
    },
  ];
}

export interface MapAxisLoading {
  /** A clustering feature, or `feature=level` for a one-hot level of a categorical feature. */
  readonly column: string;
  readonly weight: number;
}

/**
 * The three features that weigh most in a principal component (a component's sign is arbitrary: it is turned
 * so that the heaviest feature grows along the axis, and the map's coordinates are turned with it).
 */
function axisLoadings(component: ArrayLike<number>, columns: readonly string[]): { sign: 1 | -1; loadings: MapAxisLoading[] } {
  const order = columns.map((column, i) => ({ column, weight: component[i] ?? 0 })).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.column.localeCompare(b.column));
  const sign = (order[0]?.weight ?? 0) < 0 ? -1 : 1;
  return { sign, loadings: order.slice(0, 3).map((l) => ({ column: l.column, weight: sign * l.weight })) };
}

/**
 * Old personas expressed in the current feature space: the mean current features of the customers who were
 * in each old persona (the previous run's preprocessing may differ, so its centroids are not comparable).
 */
function previousCentroids(previous: PreviousState, customerIds: readonly string[], matrix: FeatureMatrix) {
  const d = matrix.nCols;
  const sums = new Map<string, { sum: Float64Array; n: number }>();
  customerIds.forEach((id, row) => {
    const persona = previous.membership.get(id);
    if (!persona) return;
    let acc = sums.get(persona);
    if (!acc) sums.set(persona, (acc = { sum: new Float64Array(d), n: 0 }));
    for (let j = 0; j < d; j++) acc.sum[j] = (acc.sum[j] as number) + (matrix.values[row * d + j] as number);
    acc.n++;
  });
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([id, { sum, n }]) => ({ id, centroid: sum.map((v) => v / n) }));
}
