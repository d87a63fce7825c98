/**
 * Backtest evaluation of purchase-timing models on one holdout.
 *
 * Typical use (labels from src/timing/labels.ts for the window after the cutoff):
 *   const baseline = fitRecencyBaseline(trainRecency, trainLabels);
 *   const naive = predictRecencyBaseline(baseline, holdoutRecency);
 *   const evaluation = evaluateModels(holdoutLabels, [
 *     { name: 'neural', pBuy: { 30: nn.pBuy30, 60: nn.pBuy60, 90: nn.pBuy90 } },
 *     { name: 'bgnbd', pBuy: { 30: bg30, 60: bg60, 90: bg90 }, expectedPurchases: bgExpected },
 *     { name: 'recency_baseline', pBuy: naive.pBuy, expectedPurchases: naive.expectedPurchases },
 *   ]);
 *   console.log(comparisonTable(evaluation));   // evaluation itself is plain JSON for run.json
 */
export {
  evaluateModels,
  comparisonTable,
  boughtWithinDays,
  type ModelScores,
  type EvaluationOptions,
  type Evaluation,
  type ModelEvaluation,
  type HorizonMetrics,
  type PurchaseCountMetrics,
} from './evaluate.js';
export {
  auc,
  brierScore,
  logLoss,
  reliabilityTable,
  expectedCalibrationError,
  calibrationNoiseLevel,
  meanAbsoluteError,
  type ReliabilityBin,
} from './metrics.js';
export { fitRecencyBaseline, predictRecencyBaseline, type RecencyBaseline, type RecencyBaselineOptions, type BaselinePrediction } from './baseline.js';
export { qualityGrade, GRADE_THRESHOLDS, type QualityGrade, type GradeLevel } from './grade.js';
