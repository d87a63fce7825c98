/**
 * k-means with scikit-learn's semantics: greedy k-means++ (or explicit centres), `nInit` restarts keeping the
 * lowest inertia, Lloyd or Hamerly iterations, sample weights, empty-cluster relocation, tolerance relative
 * to the data variance. Deterministic for a seed, whatever the number of threads.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { modelId } from '../core/hash.js';
import { Rng } from '../core/rng.js';
import { BLOCK_ROWS } from './kernels.mjs';
import { createSeeding, kmeansPlusPlus, seedingBytes } from './kmeansPlusPlus.js';
import { createAllocator, i32Bytes } from './arena.js';
import { assign, createJob, jobBytes, runKMeans, type KMeansRun } from './lloyd.js';
import { kmeansParamsSchema, parseSettings, type KMeansParams, type KMeansParamsInput } from './params.js';
import { checkShape, checkWeights, prepareData, preparedBytes } from './prepare.js';
import { resolveThreads } from './threadPool.js';
import type { FeatureMatrix } from './types.js';

/** Below this many multiply-adds per pass (n·k·d), thread hand-offs cost more than they save. */
const PARALLEL_MIN_WORK = 4_000_000;

export interface KMeansFitOptions {
  /** Overrides params.seed for this fit. */
  seed?: number;
  sampleWeight?: Float64Array;
}

/** What fitting learned; settings stay in `params`. Centres are in the original feature space. */
export interface KMeansState {
  centres: Float64Array;
  /** Label of every training row. */
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  nFeatures: number;
  /** Column means of the training data: rows are centred on them before distances are computed. */
  offset: Float64Array;
  seed: number;
}

const artifactSchema = z.object({
  type: z.literal('kmeans'),
  version: z.literal(1),
  id: z.string(),
  params: z.unknown(),
  state: z.object({
    centres: z.array(z.array(z.number())),
    offset: z.array(z.number()),
    inertia: z.number(),
    nIter: z.number().int(),
    converged: z.boolean(),
    seed: z.number().int(),
  }),
});

export type KMeansArtifact = z.infer<typeof artifactSchema>;

export class KMeans {
  static readonly type = 'kmeans';
  static readonly version = 1;
  readonly params: KMeansParams;
  private learned: KMeansState | undefined;

  constructor(params: KMeansParamsInput) {
    this.params = parseSettings(kmeansParamsSchema, params, 'cluster.kmeans');
  }

  get id(): string {
    return modelId(KMeans.type, KMeans.version, this.params);
  }

  get state(): KMeansState {
    if (this.learned === undefined) inputError('cluster.not_fitted', 'This k-means model has not been fitted.', 'Call fit(data) first or load a saved model.');
    return this.learned;
  }

  get centres(): Float64Array {
    return this.state.centres;
  }

  get labels(): Int32Array {
    return this.state.labels;
  }

  get inertia(): number {
    return this.state.inertia;
  }

  get nIter(): number {
    return this.state.nIter;
  }

  fit(data: FeatureMatrix, options: KMeansFitOptions = {}): this {
    const { nClusters: k, init } = this.params;
    const what = 'k-means training data';
    checkShape(data, what); // values are checked while they are centred
    checkWeights(options.sampleWeight, data.nRows, what);
    if (data.nRows < k) inputError('cluster.too_few_rows', `${what}: ${data.nRows} rows for ${k} clusters.`, 'Lower nClusters or provide more customers.');
    if (Array.isArray(init) && init[0]?.length !== data.nCols) {
      inputError('cluster.bad_init', `${what}: initial centres have ${init[0]?.length} columns, the data ${data.nCols}.`, 'Give initial centres in the feature space of the data.');
    }
    const threads = chooseThreads(this.params.threads, data.nRows, k, data.nCols);
    const hamerly = this.params.algorithm === 'hamerly';
    const restarts = Array.isArray(init) ? 1 : this.params.nInit;
    const seeded = !Array.isArray(init);
    const bytes = preparedBytes(data.nRows, data.nCols, options.sampleWeight !== undefined) + jobBytes(data.nRows, data.nCols, k, hamerly) + (seeded ? seedingBytes(data.nRows, data.nCols, k) : 0) + i32Bytes(data.nRows);
    const alloc = createAllocator(bytes, threads > 1);
    const prepared = prepareData(data, options.sampleWeight, alloc, { what, threads });
    const job = createJob(prepared, k, alloc, hamerly);
    const seeding = seeded ? createSeeding(prepared, k, alloc) : undefined;
    const seed = options.seed ?? this.params.seed;
    const runOptions = { algorithm: this.params.algorithm, maxIter: this.params.maxIter, tolAbs: this.params.tol * prepared.meanVariance, threads };
    // The best run's labels wait in the arena (whose pages are already mapped) and are copied out once at the end.
    const bestLabels = alloc.i32(data.nRows);
    let best: KMeansRun | undefined;
    for (let r = 0; r < restarts; r++) {
      const start = seeding === undefined ? centredInit(init as number[][], prepared.mean) : kmeansPlusPlus(prepared, k, Rng.derive(seed, `kmeans-init-${r}`), seeding, threads).centres;
      const run = runKMeans(job, prepared, start, k, runOptions);
      if (best === undefined || run.inertia < best.inertia) {
        best = run;
        bestLabels.set(run.labels);
      }
    }
    const labels = Int32Array.from(bestLabels);
    alloc.release(); // runs hold copies of their centres; the labels were copied just above
    const chosen = best as KMeansRun;
    const d = data.nCols;
    const centres = Float64Array.from(chosen.centres, (v, i) => v + (prepared.mean[i % d] as number));
    this.learned = { centres, labels, inertia: chosen.inertia, nIter: chosen.nIter, converged: chosen.converged, nFeatures: d, offset: prepared.mean, seed };
    return this;
  }

  /** Nearest centre of each row, computed exactly as during training. */
  predict(data: FeatureMatrix): Int32Array {
    const state = this.state;
    checkShape(data, 'k-means input');
    if (data.nCols !== state.nFeatures) inputError('cluster.bad_shape', `k-means input has ${data.nCols} columns; the model was trained on ${state.nFeatures}.`, 'Build the features with the same feature set as the model.');
    return assignNearest(data, state.centres, state.offset, this.params.nClusters, chooseThreads(this.params.threads, data.nRows, this.params.nClusters, data.nCols));
  }

  toArtifact(): KMeansArtifact {
    const s = this.state;
    const d = s.nFeatures;
    const centres = Array.from({ length: this.params.nClusters }, (_, j) => Array.from(s.centres.subarray(j * d, (j + 1) * d)));
    return {
      type: 'kmeans',
      version: 1,
      id: this.id,
      params: this.params,
      state: { centres, offset: Array.from(s.offset), inertia: s.inertia, nIter: s.nIter, converged: s.converged, seed: s.seed },
    };
  }

  /** Restores a saved model; training labels are not part of an artifact (they belong to the run's data). */
  static fromArtifact(artifact: unknown): KMeans {
    const parsed = artifactSchema.safeParse(artifact);
    if (!parsed.success) inputError('cluster.bad_artifact', `Not a k-means artifact: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'Load a file written by KMeans.toArtifact().');
    const a = parsed.data;
    const model = new KMeans(a.params as KMeansParamsInput);
    if (model.id !== a.id) inputError('cluster.artifact_id', `k-means artifact id ${a.id} does not match its parameters (${model.id}).`, 'The artifact was edited or written by another version; retrain the model.');
    const d = a.state.offset.length;
    if (a.state.centres.length !== model.params.nClusters || a.state.centres.some((c) => c.length !== d)) {
      inputError('cluster.bad_artifact', 'k-means artifact: centres do not match nClusters and the feature count.', 'Retrain the model.');
    }
    model.learned = {
      centres: Float64Array.from(a.state.centres.flat()),
      labels: new Int32Array(0),
      inertia: a.state.inertia,
      nIter: a.state.nIter,
      converged: a.state.converged,
      nFeatures: d,
      offset: Float64Array.from(a.state.offset),
      seed: a.state.seed,
    };
    return model;
  }
}

function chooseThreads(requested: number | 'auto', n: number, k: number, d: number): number {
  if (n * k * d < PARALLEL_MIN_WORK || n < 2 * BLOCK_ROWS) return 1;
  return resolveThreads(requested);
}

function centredInit(init: number[][], mean: Float64Array): Float64Array {
  const d = mean.length;
  return Float64Array.from(init.flat(), (v, i) => v - (mean[i % d] as number));
}

/** Labels rows by their nearest centre, centring both on `offset` as training did. */
export function assignNearest(data: FeatureMatrix, centres: Float64Array, offset: Float64Array, k: number, threads: number): Int32Array {
  const alloc = createAllocator(preparedBytes(data.nRows, data.nCols, false) + jobBytes(data.nRows, data.nCols, k, false), threads > 1);
  const prepared = prepareData(data, undefined, alloc, { offset, what: 'k-means input', threads });
  const job = createJob(prepared, k, alloc, false);
  job.centres.set(Float64Array.from(centres, (v, i) => v - (offset[i % data.nCols] as number)));
  assign(job, prepared, Math.ceil(data.nRows / BLOCK_ROWS), { algorithm: 'lloyd', maxIter: 1, tolAbs: 0, threads }, 'init');
  const labels = Int32Array.from(job.labels);
  alloc.release();
  return labels;
}
