/**
 * Personae's public library API: `import { ... } from 'personae-pipeline'`.
 *
 * What a notebook or another program needs, in pipeline order:
 *
 *  1. data        — {@link writeDataset} (synthetic data with planted personas), {@link openEngine} (a DuckDB
 *                   engine), {@link validateData} (ingest + validation + consent, the pipeline's first stage),
 *                   or {@link ingest} and {@link applyConsent} separately; {@link readTransactionLog} for a
 *                   bare transaction log such as CDNOW.
 *  2. features    — {@link computeFeatures} (point-in-time features in DuckDB), {@link referenceCatalogue},
 *                   {@link fitPreprocessing} / {@link transform} (the model matrix).
 *  3. clustering  — {@link KMeans}, {@link selectK}, {@link PCA}, {@link bootstrapStability}, {@link matchPersonas}.
 *  4. timing      — {@link rfmSummary}, {@link BetaGeoModel}, {@link ModifiedBetaGeoModel}, {@link ParetoNbdModel}, {@link GammaGammaModel},
 *                   {@link predictCustomers}, {@link trainNeuralTimingModel}, {@link evaluateModels}.
 *  5. personas    — {@link buildPersonas}; report: {@link renderReport}, {@link buildCharts}, {@link chartToSvg}.
 *  6. segments    — {@link assignLifecycle}, {@link scoreRfm}, {@link buildExports}, rule segments.
 *  7. everything  — {@link runOnce} with a config from {@link parseConfig} / {@link loadConfig}.
 *
 * Errors a user can cause are {@link PersonaeError}s with a code, a message naming the input and a hint.
 * Everything is seeded: the same inputs and seed give the same outputs.
 *
 * The notebooks in notebooks/ are worked examples of this API.
 *
 * @packageDocumentation
 */

// ── core ────────────────────────────────────────────────────────────────────────────────────────────────
export { PersonaeError, EXIT_CODES, type ErrorKind } from './core/errors.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions, type LogLevel } from './core/log.js';
export { Rng } from './core/rng.js';
export { modelId, sha256Hex, stableStringify } from './core/hash.js';
export { MS_PER_DAY, addDays, daysBetween, parseIsoDate, toIsoDate, todayUtc } from './core/time.js';

// ── configuration ───────────────────────────────────────────────────────────────────────────────────────
export { parseConfig, loadConfig, type LoadedConfig } from './config/load.js';
export { configSchema, type Config, type TableConfig } from './config/schema.js';

// ── the data contract and synthetic data ────────────────────────────────────────────────────────────────
export {
  CONTRACT,
  CONSENT_PURPOSES,
  EVENT_TYPES,
  ORDER_CHANNELS,
  ORDER_STATUSES,
  ZERO_PARTY_QUESTIONS,
  type TableName,
  type TableSpec,
  type ColumnSpec,
} from './contract/schema.js';
export {
  generateDataset,
  parseGenerateOptions,
  GENERATOR_VERSION,
  type GenerateOptions,
  type GenerateOptionsInput,
  type GenerationSummary,
} from './synthetic/generate.js';
export { writeDataset, type WrittenDataset, type WriteDatasetHooks } from './io/write-tables.js';

// ── loading data: DuckDB engine, ingest + validation, consent, transaction logs ─────────────────────────
export {
  openEngine,
  withConnection,
  queryRows,
  queryColumns,
  queryValue,
  exec,
  tableExists,
  quoteIdent,
  quoteLiteral,
  type Engine,
  type DuckDBConnection,
} from './io/duckdb.js';
export { findSources, type SourceFile, type SourceFormat } from './io/find-sources.js';
export { ingest, type IngestOptions, type IngestResult, type TableValidation } from './io/ingest.js';
export { applyConsent, type ConsentAudit } from './io/apply-consent.js';
export { validateData, type ValidationOutcome } from './runner/validate.js';
export { readTransactionLog, type TransactionColumns, type TransactionLog } from './io/transactions.js';

// ── features and preprocessing ──────────────────────────────────────────────────────────────────────────
export {
  computeFeatures,
  FeatureOptionsSchema,
  referenceCatalogue,
  FAMILIES,
  fitPreprocessing,
  transform,
  PreprocessingOptionsSchema,
  type FeatureOptions,
  type FeaturesResult,
  type FamilyInfo,
  type PreprocessingOptions,
  type PreprocessingParams,
  type FeatureParams,
  type FeatureColumns,
  type FeaturePlan,
  type FeatureFamily,
  type FeatureKind,
  type FeatureSpec,
  type FeatureTransform,
} from './features/index.js';
/** The output of {@link transform}: a row-major n × d matrix with its column names. */
export type { FeatureMatrix as PreprocessedMatrix } from './features/preprocessing.js';

// ── clustering ──────────────────────────────────────────────────────────────────────────────────────────
export {
  featureMatrix,
  KMeans,
  kmeansParamsSchema,
  MiniBatchKMeans,
  miniBatchParamsSchema,
  selectK,
  selectKSettingsSchema,
  silhouetteScore,
  daviesBouldinScore,
  calinskiHarabaszScore,
  adjustedRandIndex,
  bootstrapStability,
  stabilitySettingsSchema,
  PCA,
  pcaParamsSchema,
  matchPersonas,
  initialPersonaIds,
  lineageSettingsSchema,
  stopWorkers,
  type FeatureMatrix,
  type KMeansArtifact,
  type KMeansFitOptions,
  type KMeansState,
  type KMeansParams,
  type KMeansParamsInput,
  type MiniBatchParamsInput,
  type KScores,
  type KSelection,
  type SelectKSettingsInput,
  type ClusterStability,
  type StabilitySettingsInput,
  type PcaArtifact,
  type PcaParamsInput,
  type PcaState,
  type Lineage,
  type LineageSettingsInput,
  type MigrationMatrix,
  type PreviousPersonas,
  type CurrentClusters,
} from './cluster/index.js';

// ── purchase timing: BTYD models ────────────────────────────────────────────────────────────────────────
export {
  rfmSummary,
  dayToDate,
  dateToDay,
  UNIT_DAYS,
  type RfmSummary,
  type RfmOptions,
  type TimeUnit,
  type TransactionRow,
} from './timing/rfm-summary.js';
export { BetaGeoModel, BGNBD_TYPE, BGNBD_VERSION, type BgNbdParams } from './timing/bgnbd.js';
export { ModifiedBetaGeoModel, MBGNBD_TYPE, MBGNBD_VERSION, type MbgNbdParams } from './timing/mbgnbd.js';
export { ParetoNbdModel, PARETO_NBD_TYPE, PARETO_NBD_VERSION, type ParetoNbdParams } from './timing/pareto-nbd.js';
export {
  GammaGammaModel,
  GAMMA_GAMMA_TYPE,
  GAMMA_GAMMA_VERSION,
  type GammaGammaParams,
  type SpendColumns,
} from './timing/gamma-gamma.js';
export type {
  BtydArtifact,
  FitResult as BtydFitResult,
  FitOptions as BtydFitOptions,
  PurchaseCountModel,
  RfmColumns,
} from './timing/base-fitter.js';
export {
  predictCustomers,
  predictionSettingsSchema,
  type PredictionSettings,
  type CustomerHistory,
  type BtydPrediction,
} from './timing/btyd-predictions.js';
export { holdoutReport, type HoldoutReport, type FrequencyBucket, type TrackingPoint } from './timing/holdout-report.js';
export { simulateBgNbd, simulateParetoNbd, simulateSpend, type SimulatedRfm, type SimulationOptions } from './timing/simulate.js';
export { timingLabels, type TimingLabels, type LabelOptions } from './timing/labels.js';
export type { CustomerPrediction } from './timing/types.js';

// ── purchase timing: neural model, backend, evaluation ──────────────────────────────────────────────────
export { selectBackend, chooseBackend, type BackendName, type BackendChoice } from './timing/backend.js';
export {
  NeuralTimingModel,
  trainNeuralTimingModel,
  neuralTimingParamsSchema,
  parseNeuralTimingParams,
  PURCHASE_HORIZONS,
  type NeuralTimingArtifact,
  type NeuralTimingState,
  type NeuralTimingParams,
  type NeuralTimingParamsInput,
  type NeuralTimingPrediction,
  type TrainingSummary,
} from './timing/neural/index.js';
export {
  evaluateModels,
  comparisonTable,
  boughtWithinDays,
  auc,
  brierScore,
  logLoss,
  reliabilityTable,
  expectedCalibrationError,
  meanAbsoluteError,
  fitRecencyBaseline,
  predictRecencyBaseline,
  qualityGrade,
  GRADE_THRESHOLDS,
  type ModelScores,
  type EvaluationOptions,
  type Evaluation,
  type ModelEvaluation,
  type HorizonMetrics,
  type PurchaseCountMetrics,
  type ReliabilityBin,
  type RecencyBaseline,
  type BaselinePrediction,
  type QualityGrade,
} from './timing/evaluate/index.js';

// ── personas and the report ─────────────────────────────────────────────────────────────────────────────
export { buildPersonas, LIFECYCLE_ORDER } from './personas/build-personas.js';
export { personaSettingsSchema, parsePersonaSettings, type PersonaSettingsInput } from './personas/settings.js';
export type {
  Lang,
  Persona,
  PersonaDocument,
  PersonaInput,
  PersonaSettings,
  Trait,
  SmallPersona,
  Suggestion,
} from './personas/types.js';
export {
  renderReport,
  renderHtmlReport,
  renderMarkdownReport,
  reportFileNames,
  type RenderedReport,
  type RenderedChart,
  type RenderOptions,
} from './report/render-report.js';
export { buildCharts, type ChartSpec } from './report/charts.js';
export { chartToSvg, svgToPng } from './report/render-chart.js';

// ── segments ────────────────────────────────────────────────────────────────────────────────────────────
export {
  assignLifecycle,
  LIFECYCLE_SEGMENTS,
  LIFECYCLE_RULES,
  segmentInputs,
  scoreRfm,
  rfmGroup,
  RFM_GROUPS,
  countTransitions,
  buildScoreRows,
  SCORE_COLUMNS,
  audiencesFromScores,
  buildExports,
  listToCsv,
  listToJson,
  type LifecycleAssignment,
  type LifecycleInput,
  type LifecycleOptions,
  type LifecycleSegment,
  type RfmScore,
  type RfmInput,
  type RfmGroup,
  type ScoreRow,
  type ExportResult,
  type AudienceList,
} from './segments/index.js';
export { parseSegmentRules, parseSegmentRulesYaml, type SegmentRule, type Condition } from './segments/rules.js';

// ── the whole pipeline ──────────────────────────────────────────────────────────────────────────────────
export { runOnce, type RunOptions, type RunResult } from './runner/run.js';
export type { RunManifest } from './runner/manifest.js';
