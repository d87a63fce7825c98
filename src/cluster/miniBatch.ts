/**
 * Mini-batch k-means (Sculley 2010, scikit-learn's MiniBatchKMeans update) for data that does not fit in memory:
 * `partialFit(batch)` takes one batch at a time (e.g. streamed from DuckDB), the first one seeding the centres
 * with a full k-means of that batch; `fit(data)` runs epochs of shuffled
 * batches over in-memory data with early stopping. Each centre moves to the weighted mean of everything it has
 * been assigned so far: c ← (c·W + Σ_batch w·x) / (W + Σ_batch w). A centre whose accumulated weight falls below
 * `reassignmentRatio` × the largest is moved to a row of the current batch drawn with probability ∝ w·D², which
 * keeps centres from dying on poor seeds (scikit-learn does the same with a different schedule).
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { modelId } from '../core/hash.js';
import { Rng } from '../core/rng.js';
import { assignNearest, KMeans } from './kmeans.js';
import { parseSettings } from './params.js';
import { checkMatrix, checkWeights } from './prepare.js';
import type { FeatureMatrix } from './types.js';

export const miniBatchParamsSchema = z
  .object({
    nClusters: z.number().int().min(1).max(1000),
    batchSize: z.number().int().min(1).default(2048),
    /** Epochs over the data in fit(); early stopping usually ends sooner. */
    maxEpochs: z.number().int().min(1).default(20),
    /** Stop after this many batches without improving the smoothed batch inertia. */
    maxNoImprovement: z.number().int().min(1).default(10),
    reassignmentRatio: z.number().min(0).max(1).default(0.01),
    /** k-means restarts on the first batch, which seeds the centres. */
    nInit: z.number().int().min(1).default(3),
    seed: z.number().int().default(0),
  })
  .strict();

export type MiniBatchParamsInput = z.input<typeof miniBatchParamsSchema>;
export type MiniBatchParams = z.output<typeof miniBatchParamsSchema>;

interface MiniBatchState {
  centres: Float64Array;
  /** Weight each centre has absorbed. */
  counts: Float64Array;
  nFeatures: number;
  steps: number;
  /** Inertia of the last batch before its update, per unit weight. */
  lastBatchInertia: number;
}

const artifactSchema = z.object({
  type: z.literal('minibatch-kmeans'),
  version: z.literal(1),
  id: z.string(),
  params: z.unknown(),
  state: z.object({ centres: z.array(z.array(z.number())), counts: z.array(z.number()), steps: z.number().int() }),
});

export class MiniBatchKMeans {
  static readonly type = 'minibatch-kmeans';
  static readonly version = 1;
  readonly params: MiniBatchParams;
  private learned: MiniBatchState | undefined;
  private rng: Rng;

  constructor(params: MiniBatchParamsInput) {
    this.params = parseSettings(miniBatchParamsSchema, params, 'cluster.miniBatchKMeans');
    this.rng = Rng.derive(this.params.seed, 'minibatch');
  }

  get id(): string {
    return modelId(MiniBatchKMeans.type, MiniBatchKMeans.version, this.params);
  }

  get state(): MiniBatchState {
    if (this.learned === undefined) inputError('cluster.not_fitted', 'This mini-batch k-means model has not been fitted.', 'Call partialFit(batch) or fit(data) first.');
    return this.learned;
  }

  get centres(): Float64Array {
    return this.state.centres;
  }

  /** One update from one batch; the first batch also seeds the centres (k-means++) and needs ≥ nClusters rows. */
  partialFit(batch: FeatureMatrix, options: { sampleWeight?: Float64Array } = {}): this {
    const what = `mini-batch ${this.learned?.steps ?? 0}`;
    checkMatrix(batch, what);
    checkWeights(options.sampleWeight, batch.nRows, what);
    const k = this.params.nClusters;
    const d = batch.nCols;
    if (this.learned === undefined) {
      if (batch.nRows < k) inputError('cluster.too_few_rows', `${what}: the first batch has ${batch.nRows} rows for ${k} clusters.`, 'Make the first batch at least nClusters rows long.');
      // Seeding with a full k-means of the first batch avoids starting with two centres in one group.
      const seeding = new KMeans({ nClusters: k, nInit: this.params.nInit, seed: this.rng.int(2 ** 31), threads: 1 });
      seeding.fit(batch, options.sampleWeight === undefined ? {} : { sampleWeight: options.sampleWeight });
      this.learned = { centres: Float64Array.from(seeding.centres), counts: new Float64Array(k), nFeatures: d, steps: 0, lastBatchInertia: Infinity };
    } else if (d !== this.learned.nFeatures) {
      inputError('cluster.bad_shape', `${what} has ${d} columns; earlier batches had ${this.learned.nFeatures}.`, 'Stream batches with the same feature set.');
    }
    this.learned = step(this.learned, batch, options.sampleWeight, this.params, this.rng);
    return this;
  }

  /** Epochs of shuffled mini-batches over in-memory data, stopping when the smoothed batch inertia stalls. */
  fit(data: FeatureMatrix, options: { seed?: number; sampleWeight?: Float64Array } = {}): this {
    checkMatrix(data, 'mini-batch k-means training data');
    checkWeights(options.sampleWeight, data.nRows, 'mini-batch k-means training data');
    this.rng = Rng.derive(options.seed ?? this.params.seed, 'minibatch');
    this.learned = undefined;
    const n = data.nRows;
    const d = data.nCols;
    const size = Math.min(n, Math.max(this.params.batchSize, this.params.nClusters));
    let smoothed = Infinity;
    let best = Infinity;
    let stale = 0;
    for (let epoch = 0; epoch < this.params.maxEpochs && stale < this.params.maxNoImprovement; epoch++) {
      const order = this.rng.shuffle(Array.from({ length: n }, (_, i) => i));
      for (let start = 0; start + size <= n && stale < this.params.maxNoImprovement; start += size) {
        const rows = order.slice(start, start + size);
        const values = new Float64Array(size * d);
        rows.forEach((r, i) => values.set(data.values.subarray(r * d, r * d + d), i * d));
        const weights = options.sampleWeight === undefined ? undefined : Float64Array.from(rows, (r) => options.sampleWeight?.[r] as number);
        this.partialFit({ values, nRows: size, nCols: d }, weights === undefined ? {} : { sampleWeight: weights });
        const inertia = this.state.lastBatchInertia;
        smoothed = smoothed === Infinity ? inertia : smoothed + (Math.min(1, (2 * size) / (n + 1))) * (inertia - smoothed);
        if (smoothed < best) {
          best = smoothed;
          stale = 0;
        } else {
          stale++;
        }
      }
    }
    return this;
  }

  predict(data: FeatureMatrix): Int32Array {
    const s = this.state;
    checkMatrix(data, 'mini-batch k-means input');
    if (data.nCols !== s.nFeatures) inputError('cluster.bad_shape', `mini-batch k-means input has ${data.nCols} columns; the model has ${s.nFeatures}.`, 'Use the same features as for training.');
    return assignNearest(data, s.centres, new Float64Array(s.nFeatures), this.params.nClusters, 1);
  }

  /** Σ w·‖x − nearest centre‖² over `data` (e.g. a validation batch). */
  score(data: FeatureMatrix): number {
    const labels = this.predict(data);
    const d = data.nCols;
    let s = 0;
    labels.forEach((l, i) => {
      for (let t = 0; t < d; t++) s += ((data.values[i * d + t] as number) - (this.state.centres[l * d + t] as number)) ** 2;
    });
    return s;
  }

  toArtifact(): z.infer<typeof artifactSchema> {
    const s = this.state;
    const d = s.nFeatures;
    return {
      type: 'minibatch-kmeans',
      version: 1,
      id: this.id,
      params: this.params,
      state: { centres: Array.from({ length: this.params.nClusters }, (_, j) => Array.from(s.centres.subarray(j * d, (j + 1) * d))), counts: Array.from(s.counts), steps: s.steps },
    };
  }

  static fromArtifact(artifact: unknown): MiniBatchKMeans {
    const parsed = artifactSchema.safeParse(artifact);
    if (!parsed.success) inputError('cluster.bad_artifact', `Not a mini-batch k-means artifact: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'Load a file written by MiniBatchKMeans.toArtifact().');
    const a = parsed.data;
    const model = new MiniBatchKMeans(a.params as MiniBatchParamsInput);
    if (model.id !== a.id) inputError('cluster.artifact_id', `Mini-batch k-means artifact id ${a.id} does not match its parameters (${model.id}).`, 'Retrain the model.');
    model.learned = { centres: Float64Array.from(a.state.centres.flat()), counts: Float64Array.from(a.state.counts), nFeatures: a.state.centres[0]?.length ?? 0, steps: a.state.steps, lastBatchInertia: Infinity };
    return model;
  }
}

/** One mini-batch update; returns the new state (the old one is not modified). */
function step(state: MiniBatchState, batch: FeatureMatrix, weights: Float64Array | undefined, params: MiniBatchParams, rng: Rng): MiniBatchState {
  const k = params.nClusters;
  const d = state.nFeatures;
  const centres = Float64Array.from(state.centres);
  const counts = Float64Array.from(state.counts);
  const labels = assignNearest(batch, centres, new Float64Array(d), k, 1);
  const sums = new Float64Array(k * d);
  const batchWeight = new Float64Array(k);
  const distance = new Float64Array(batch.nRows);
  let inertia = 0;
  let totalWeight = 0;
  for (let i = 0; i < batch.nRows; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    const l = labels[i] as number;
    let dist = 0;
    for (let t = 0; t < d; t++) {
      const v = batch.values[i * d + t] as number;
      sums[l * d + t] = (sums[l * d + t] as number) + w * v;
      dist += (v - (centres[l * d + t] as number)) ** 2;
    }
    distance[i] = w * dist;
    inertia += w * dist;
    totalWeight += w;
    batchWeight[l] = (batchWeight[l] as number) + w;
  }
  for (let j = 0; j < k; j++) {
    const bw = batchWeight[j] as number;
    if (bw === 0) continue;
    const total = (counts[j] as number) + bw;
    for (let t = 0; t < d; t++) centres[j * d + t] = ((centres[j * d + t] as number) * (counts[j] as number) + (sums[j * d + t] as number)) / total;
    counts[j] = total;
  }
  if (params.reassignmentRatio > 0 && state.steps > 0) {
    const largest = Math.max(...counts);
    for (let j = 0; j < k; j++) {
      if ((counts[j] as number) >= params.reassignmentRatio * largest) continue;
      const row = rng.weightedIndex(Array.from(distance));
      centres.set(batch.values.subarray(row * d, row * d + d), j * d);
      counts[j] = Math.min(...Array.from(counts).filter((_, m) => m !== j));
      distance[row] = 0;
    }
  }
  return { centres, counts, nFeatures: d, steps: state.steps + 1, lastBatchInertia: totalWeight > 0 ? inertia / totalWeight : 0 };
}
