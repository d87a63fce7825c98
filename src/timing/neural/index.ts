/**
 * Neural timing model (TensorFlow.js): P(buy within 30/60/90 days) and days to the next purchase from
 * the preprocessed customer features, via a censored discrete-time hazard.
 *
 * Typical use:
 *   await selectBackend();                                  // from src/timing/backend.ts
 *   const labels = timingLabels(purchases, { cutoff, windowDays: 180 });
 *   const model = await trainNeuralTimingModel(matrix, labels, { seed: 42 });
 *   const { pBuy30, medianDays } = model.predict(scoringMatrix);
 *   const artifact = await model.toArtifact();              // plain JSON for the registry
 *   const again = await NeuralTimingModel.fromArtifact(artifact);
 */
export {
  NeuralTimingModel,
  trainNeuralTimingModel,
  NEURAL_ARTIFACT_FORMAT,
  type NeuralTimingArtifact,
  type NeuralTimingState,
  type FitOptions,
} from './model.js';
export { neuralTimingParamsSchema, parseNeuralTimingParams, type NeuralTimingParams, type NeuralTimingParamsInput } from './params.js';
export {
  PURCHASE_HORIZONS,
  type FeatureMatrix,
  type NeuralTimingPrediction,
  type CalibrationState,
  type TrainingSummary,
} from './types.js';
export { makeBins, hazardTargets, survivalAt, timeQuantile, hazardNegLogLik, type HazardBins, type HazardTargets } from './hazard.js';
export { fitPlatt, fitIsotonic, applyCorrection, type ProbabilityCorrection } from './calibration.js';
