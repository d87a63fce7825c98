// Public surface of the clustering module: k-means (full and mini-batch), k selection and scores, stability,
// PCA for the persona map, and persona lineage across retrains.
export type { FeatureMatrix } from './types.js';
export { featureMatrix } from './types.js';
export { KMeans, type KMeansArtifact, type KMeansFitOptions, type KMeansState } from './kmeans.js';
export { kmeansParamsSchema, type KMeansParams, type KMeansParamsInput } from './params.js';
export { MiniBatchKMeans, miniBatchParamsSchema, type MiniBatchParamsInput } from './miniBatch.js';
export { selectK, selectKSettingsSchema, type KScores, type KSelection, type SelectKSettingsInput } from './selectK.js';
export { silhouetteScore, daviesBouldinScore, calinskiHarabaszScore } from './scores.js';
export { adjustedRandIndex } from './adjustedRand.js';
export { bootstrapStability, stabilitySettingsSchema, type ClusterStability, type StabilitySettingsInput } from './stability.js';
export { PCA, pcaParamsSchema, type PcaArtifact, type PcaParamsInput, type PcaState } from './pca.js';
export {
  matchPersonas,
  initialPersonaIds,
  lineageSettingsSchema,
  type Lineage,
  type LineageSettingsInput,
  type MigrationMatrix,
  type PreviousPersonas,
  type CurrentClusters,
} from './lineage.js';
export { stopWorkers } from './threadPool.js';
