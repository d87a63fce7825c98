/**
 * Metrics for predicted probabilities of a binary outcome (did the customer buy within N days) and for
 * predicted counts. Pure functions over aligned arrays; `outcomes` hold 0/1.
 */
import { inputError } from '../../core/errors.js';

export type Outcomes = ArrayLike<number>;

function checkAligned(name: string, predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    inputError('metric_length_mismatch', `${name}: ${predicted.length} predictions for ${actual.length} actual values`, 'pass arrays aligned customer by customer');
  }
  if (predicted.length === 0) inputError('metric_empty', `${name}: no customers to evaluate`);
}

function checkProbabilities(name: string, p: ArrayLike<number>): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (!(v >= 0 && v <= 1)) inputError('metric_bad_probability', `${name}: prediction ${i} is ${v}, not a probability in [0, 1]`);
  }
}

/**
 * Area under the ROC curve: the probability that a random buyer scores above a random non-buyer, ties
 * counting one half (Mann–Whitney U with mid-ranks). NaN when all outcomes are equal.
 */
export function auc(scores: ArrayLike<number>, outcomes: Outcomes): number {
  checkAligned('AUC', scores, outcomes);
  const n = scores.length;
  const all = Float64Array.from(scores);
  if (all.some(Number.isNaN)) return aucByComparator(scores, outcomes);
  let buyers = 0;
  for (let i = 0; i < n; i++) if (outcomes[i] === 1) buyers++;
  const buying = new Float64Array(buyers);
  for (let i = 0, at = 0; i < n; i++) if (outcomes[i] === 1) buying[at++] = scores[i] as number;
  // Two native sorts of numbers instead of sorting row indices with a comparator (about a second per call on
  // 800k customers, and a backtest calls it for every model and horizon): each tie group of all the scores,
  // in ascending order, adds its mid-rank once per buyer in it, the same additions in the same order as
  // aucByComparator makes, so the same value, bit for bit.
  all.sort();
  buying.sort();
  let positives = 0;
  let positiveRankSum = 0;
  let next = 0;
  for (let start = 0; start < n; ) {
    const value = all[start] as number;
    let end = start;
    while (end + 1 < n && all[end + 1] === value) end++;
    const midRank = (start + end) / 2 + 1;
    while (next < buyers && buying[next] === value) {
      positives++;
      positiveRankSum += midRank;
      next++;
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The same by sorting row indices (kept for scores with NaN, whose place in the order that defines). */
function aucByComparator(scores: ArrayLike<number>, outcomes: Outcomes): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) {
      if (outcomes[order[j] as number] === 1) {
        positives++;
        positiveRankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared difference between the predicted probability and the 0/1 outcome. */
export function brierScore(p: ArrayLike<number>, outcomes: Outcomes): number {
  checkAligned('Brier score', p, outcomes);
  checkProbabilities('Brier score', p);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += ((p[i] as number) - (outcomes[i] as number)) ** 2;
  return sum / p.length;
}

/** Mean negative log-likelihood, with probabilities clipped to [eps, 1 − eps] so that a sure miss is finite. */
export function logLoss(p: ArrayLike<number>, outcomes: Outcomes, eps = 1e-15): number {
  checkAligned('log loss', p, outcomes);
  checkProbabilities('log loss', p);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i] as number;
    sum -= Math.log(Math.max(outcomes[i] === 1 ? q : 1 - q, eps));
  }
  return sum / p.length;
}

export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  readonly meanPredicted: number;
  /** Share of the bin's customers who bought (NaN when empty). */
  readonly observedRate: number;
}

/**
 * Reliability diagram: predictions cut into `bins` equal-width bins on [0, 1] (the last one closed);
 * a calibrated model has meanPredicted ≈ observedRate in every bin.
 */
export function reliabilityTable(p: ArrayLike<number>, outcomes: Outcomes, bins = 10): ReliabilityBin[] {
  checkAligned('reliability table', p, outcomes);
  checkProbabilities('reliability table', p);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(Math.floor((p[i] as number) * bins), bins - 1);
    count[b] = (count[b] as number) + 1;
    sumP[b] = (sumP[b] as number) + (p[i] as number);
    sumY[b] = (sumY[b] as number) + (outcomes[i] as number);
  }
  return Array.from({ length: bins }, (_, b) => {
    const c = count[b] as number;
    return {
      lower: b / bins,
      upper: (b + 1) / bins,
      count: c,
      meanPredicted: c > 0 ? (sumP[b] as number) / c : Number.NaN,
      observedRate: c > 0 ? (sumY[b] as number) / c : Number.NaN,
    };
  });
}

/** Expected calibration error: the count-weighted mean |meanPredicted − observedRate| over the bins. */
export function expectedCalibrationError(table: readonly ReliabilityBin[]): number {
  let total = 0;
  let weighted = 0;
  for (const bin of table) {
    if (bin.count === 0) continue;
    total += bin.count;
    weighted += bin.count * Math.abs(bin.meanPredicted - bin.observedRate);
  }
  return total > 0 ? weighted / total : Number.NaN;
}

/**
 * The expected calibration error that sampling noise alone produces when the predictions are exactly
 * right: in a bin of m customers, |observed − predicted| is about half-normal with variance Σp(1−p)/m²,
 * so E = √(2/π)·√(Σp(1−p))/m, weighted by m/n. An ECE well above this is real miscalibration.
 */
export function calibrationNoiseLevel(p: ArrayLike<number>, bins = 10): number {
  checkProbabilities('calibration noise', p);
  const variance = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const q = p[i] as number;
    const b = Math.min(Math.floor(q * bins), bins - 1);
    variance[b] = (variance[b] as number) + q * (1 - q);
  }
  let total = 0;
  for (const v of variance) total += Math.sqrt(v);
  return (Math.sqrt(2 / Math.PI) * total) / p.length;
}

/** Mean absolute error between predicted and actual values (e.g. holdout purchase counts). */
export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkAligned('MAE', predicted, actual);
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs((predicted[i] as number) - (actual[i] as number));
  return sum / predicted.length;
}

/** Mean of an array (the base rate of 0/1 outcomes). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}
