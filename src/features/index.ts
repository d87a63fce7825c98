export { computeFeatures, FeatureOptionsSchema, type FeatureOptions, type FeaturesResult } from './compute.js';
export { referenceCatalogue, FAMILIES, type FamilyInfo } from './catalogue.js';
export {
  fitPreprocessing,
  transform,
  PreprocessingOptionsSchema,
  type PreprocessingOptions,
  type PreprocessingParams,
  type FeatureParams,
  type FeatureMatrix,
  type FeatureColumns,
} from './preprocessing.js';
export type { FeaturePlan } from './plan.js';
export type { FeatureFamily, FeatureKind, FeatureSpec, FeatureTransform } from './types.js';
