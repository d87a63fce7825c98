/**
 * Principal component analysis from the covariance matrix (one pass over the rows, then a symmetric
 * eigen-decomposition of the d × d matrix): explained variances (ddof = 1, as scikit-learn), their ratios,
 * components, and the 2-D projection of a seeded sample for the persona map.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { modelId } from '../core/hash.js';
import { symmetricEigen } from '../math/linalg.js';
import { covarianceOf } from './covariance.js';
import { parseSettings } from './params.js';
import { checkMatrix } from './prepare.js';
import { sampleRows } from './scores.js';
import type { FeatureMatrix } from './types.js';

export const pcaParamsSchema = z
  .object({
    /** Components kept for transform (all are computed); default: all. */
    nComponents: z.number().int().min(1).optional(),
  })
  .strict();

export type PcaParamsInput = z.input<typeof pcaParamsSchema>;
export type PcaParams = z.output<typeof pcaParamsSchema>;

export interface PcaState {
  mean: Float64Array;
  /** Rows are components, by decreasing variance: nComponents × nFeatures. */
  components: Float64Array;
  /** Variance along every principal axis (all nFeatures of them). */
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  nComponents: number;
  nFeatures: number;
  nSamples: number;
}

const artifactSchema = z.object({
  type: z.literal('pca'),
  version: z.literal(1),
  id: z.string(),
  params: z.unknown(),
  state: z.object({
    mean: z.array(z.number()),
    components: z.array(z.array(z.number())),
    explainedVariance: z.array(z.number()),
    nSamples: z.number().int(),
  }),
});

export type PcaArtifact = z.infer<typeof artifactSchema>;

export class PCA {
  static readonly type = 'pca';
  static readonly version = 1;
  readonly params: PcaParams;
  private learned: PcaState | undefined;

  constructor(params: PcaParamsInput = {}) {
    this.params = parseSettings(pcaParamsSchema, params, 'cluster.pca');
  }

  get id(): string {
    return modelId(PCA.type, PCA.version, this.params);
  }

  get state(): PcaState {
    if (this.learned === undefined) inputError('cluster.not_fitted', 'This PCA has not been fitted.', 'Call fit(data) first or load a saved model.');
    return this.learned;
  }

  /** `seed` is accepted for the common model contract; PCA itself is deterministic. */
  fit(data: FeatureMatrix, _options: { seed?: number } = {}): this {
    checkMatrix(data, 'PCA data');
    if (data.nRows < 2) inputError('cluster.too_few_rows', `PCA data: ${data.nRows} row; at least 2 are needed.`, 'Provide more customers.');
    const d = data.nCols;
    const nComponents = Math.min(this.params.nComponents ?? d, d);
    const { mean, covariance } = covarianceOf(data.values, data.nRows, d);
    const { values, vectors } = symmetricEigen(covariance, d);
    // Tiny negative eigenvalues are rounding noise of a positive semi-definite matrix.
    const explainedVariance = Float64Array.from(values, (v) => Math.max(0, v));
    const total = explainedVariance.reduce((a, v) => a + v, 0);
    this.learned = {
      mean,
      components: vectors.slice(0, nComponents * d),
      explainedVariance,
      explainedVarianceRatio: Float64Array.from(explainedVariance, (v) => (total > 0 ? v / total : 0)),
      nComponents,
      nFeatures: d,
      nSamples: data.nRows,
    };
    return this;
  }

  /** Coordinates of every row on the first `nComponents` axes (row-major n × nComponents). */
  transform(data: FeatureMatrix, nComponents = this.state.nComponents): Float64Array {
    const s = this.state;
    checkMatrix(data, 'PCA input');
    if (data.nCols !== s.nFeatures) inputError('cluster.bad_shape', `PCA input has ${data.nCols} columns; the PCA was fitted on ${s.nFeatures}.`, 'Use the same features as for fitting.');
    const c = Math.min(nComponents, s.nComponents);
    const d = s.nFeatures;
    const out = new Float64Array(data.nRows * c);
    const centred = new Float64Array(d);
    for (let i = 0; i < data.nRows; i++) {
      for (let t = 0; t < d; t++) centred[t] = (data.values[i * d + t] as number) - (s.mean[t] as number);
      for (let j = 0; j < c; j++) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += (centred[t] as number) * (s.components[j * d + t] as number);
        out[i * c + j] = dot;
      }
    }
    return out;
  }

  /** The persona map: a seeded sample of rows and their coordinates on the first two axes. */
  projectSample(data: FeatureMatrix, options: { sampleSize?: number; seed?: number } = {}): { rows: Int32Array; coordinates: Float64Array } {
    const rows = sampleRows(data.nRows, options.sampleSize ?? 5000, options.seed ?? 0, 'pca-map-sample');
    const d = data.nCols;
    const values = new Float64Array(rows.length * d);
    rows.forEach((r, i) => values.set(data.values.subarray(r * d, r * d + d), i * d));
    return { rows, coordinates: this.transform({ values, nRows: rows.length, nCols: d }, 2) };
  }

  toArtifact(): PcaArtifact {
    const s = this.state;
    const d = s.nFeatures;
    return {
      type: 'pca',
      version: 1,
      id: this.id,
      params: this.params,
      state: {
        mean: Array.from(s.mean),
        components: Array.from({ length: s.nComponents }, (_, j) => Array.from(s.components.subarray(j * d, (j + 1) * d))),
        explainedVariance: Array.from(s.explainedVariance),
        nSamples: s.nSamples,
      },
    };
  }

  static fromArtifact(artifact: unknown): PCA {
    const parsed = artifactSchema.safeParse(artifact);
    if (!parsed.success) inputError('cluster.bad_artifact', `Not a PCA artifact: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'Load a file written by PCA.toArtifact().');
    const a = parsed.data;
    const model = new PCA(a.params as PcaParamsInput);
    if (model.id !== a.id) inputError('cluster.artifact_id', `PCA artifact id ${a.id} does not match its parameters (${model.id}).`, 'The artifact was edited or written by another version; refit the PCA.');
    const d = a.state.mean.length;
    const total = a.state.explainedVariance.reduce((x, v) => x + v, 0);
    model.learned = {
      mean: Float64Array.from(a.state.mean),
      components: Float64Array.from(a.state.components.flat()),
      explainedVariance: Float64Array.from(a.state.explainedVariance),
      explainedVarianceRatio: Float64Array.from(a.state.explainedVariance, (v) => (total > 0 ? v / total : 0)),
      nComponents: a.state.components.length,
      nFeatures: d,
      nSamples: a.state.nSamples,
    };
    return model;
  }
}
