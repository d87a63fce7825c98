import type { ProbabilityCorrection } from './calibration.js';
import type { ReliabilityBin } from '../evaluate/metrics.js';

/**
 * The preprocessed feature matrix at a cutoff: row-major n×d values with the column names, in order
 * (the shape of `transform()` in src/features/preprocessing.ts).
 */
export interface FeatureMatrix {
  readonly matrix: Float64Array;
  readonly rows: number;
  readonly columns: readonly string[];
}

/** The horizons, in days, of the P(buy within N days) outputs. */
export const PURCHASE_HORIZONS = [30, 60, 90] as const;
export type PurchaseHorizon = (typeof PURCHASE_HORIZONS)[number];

/** Per-customer outputs of the neural timing model (arrays aligned with the matrix rows). */
export interface NeuralTimingPrediction {
  /** P(at least one purchase within 30/60/90 days after the cutoff), calibrated when a correction was fitted. */
  readonly pBuy30: Float64Array;
  readonly pBuy60: Float64Array;
  readonly pBuy90: Float64Array;
  /**
   * Median days to the next purchase and the 80% interval (10th and 90th percentiles); +Infinity when that
   * probability is not reached within the model's horizon ("not within N days").
   */
  readonly medianDays: Float64Array;
  readonly lowDays: Float64Array;
  readonly highDays: Float64Array;
  /** Expected number of purchase days in the next `countWindowDays` days (the training label window). */
  readonly expectedPurchases: Float64Array;
  readonly countWindowDays: number;
  /** Raw hazards, row-major n×K over the bins of `binEdges` (days). */
  readonly hazards: Float64Array;
  readonly binEdges: Float64Array;
}

/** How the calibration of P(buy within 30 days) was checked and corrected on the validation split. */
export interface CalibrationState {
  readonly checkedOn: 'validation';
  readonly customers: number;
  readonly eceBefore: number;
  /** ECE above which the correction is fitted: max(tolerance, 2 × the ECE expected from noise alone). */
  readonly threshold: number;
  readonly eceAfter: number;
  readonly applied: boolean;
  readonly method: 'platt' | 'isotonic' | 'none';
  /** One correction per horizon (30, 60, 90 days) when applied. */
  readonly corrections: Readonly<Record<string, ProbabilityCorrection>> | null;
  readonly reliabilityBefore: readonly ReliabilityBin[];
  readonly reliabilityAfter: readonly ReliabilityBin[];
}

/** What training did, kept with the model for the run manifest. */
export interface TrainingSummary {
  readonly backend: string;
  readonly seed: number;
  readonly trainCustomers: number;
  readonly validationCustomers: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly validationLoss: number;
  readonly seconds: number;
  /** Mean wall-clock seconds per training epoch. */
  readonly secondsPerEpoch: number;
  /** sha256 of the training matrix and labels (first 16 hex digits). */
  readonly dataFingerprint: string;
}
