import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  auc,
  brierScore,
  calibrationNoiseLevel,
  expectedCalibrationError,
  logLoss,
  meanAbsoluteError,
  reliabilityTable,
} from '../../src/timing/evaluate/index.js';

/** Reference AUC by counting every buyer/non-buyer pair (ties count one half). */
function pairwiseAuc(scores: number[], outcomes: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (outcomes[i] !== 1) return;
    scores.forEach((t, j) => {
      if (outcomes[j] !== 0) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('AUC (Mann–Whitney with mid-ranks)', () => {
  it('matches hand-computed values, with and without ties', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    // Buyers score 0.5 and 0.9, non-buyers 0.2 and 0.5: wins 1 + 0.5 (tie) + 1 + 1 over 4 pairs.
    expect(auc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
    expect(auc([0.3, 0.3, 0.3], [0, 1, 1])).toBeCloseTo(0.5, 12);
    expect(auc([0.9, 0.8, 0.1], [0, 0, 1])).toBe(0);
    expect(auc([0.2, 0.4], [1, 1])).toBeNaN();
  });

  it('agrees with pair counting on random scores with many ties', () => {
    const rng = new Rng(11);
    const scores = Array.from({ length: 400 }, () => Math.round(rng.next() * 20) / 20);
    const outcomes = scores.map((s) => (rng.bernoulli(0.2 + 0.6 * s) ? 1 : 0));
    expect(auc(scores, outcomes)).toBeCloseTo(pairwiseAuc(scores, outcomes), 12);
  });
});

/** The mid-rank sum by sorting row indices with a comparator: auc's former implementation, the reference. */
function comparatorAuc(scores: readonly number[], outcomes: readonly number[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    for (let j = start; j <= end; j++) {
      if (outcomes[order[j] as number] === 1) {
        positives++;
        positiveRankSum += (start + end) / 2 + 1;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('AUC by sorted scores', () => {
  it('equals the comparator sort of row indices bit for bit (ties, -0 and 0, large cohorts)', () => {
    const rng = new Rng(5);
    for (const [n, levels] of [
      [50, 3],
      [5_000, 40],
      [60_000, 0],
    ] as const) {
      // levels 0: continuous scores (few ties); otherwise scores on a grid (many), with -0 among the zeros.
      const scores = Array.from({ length: n }, () => (levels === 0 ? rng.next() : Math.round(rng.next() * levels) / levels)).map((s, i) =>
        s === 0 && i % 2 === 0 ? -0 : s,
      );
      const outcomes = scores.map((s) => (rng.bernoulli(0.1 + 0.7 * s) ? 1 : 0));
      expect(Object.is(auc(scores, outcomes), comparatorAuc(scores, outcomes))).toBe(true);
      expect(Object.is(auc(Float64Array.from(scores), Uint8Array.from(outcomes)), comparatorAuc(scores, outcomes))).toBe(true);
    }
  });
});

describe('Brier score and log loss', () => {
  it('match hand-computed values on a tiny case', () => {
    expect(brierScore([0.1, 0.9, 0.5], [0, 1, 1])).toBeCloseTo((0.01 + 0.01 + 0.25) / 3, 15);
    expect(logLoss([0.1, 0.9, 0.5], [0, 1, 1])).toBeCloseTo((2 * -Math.log(0.9) - Math.log(0.5)) / 3, 12);
  });

  it('clip sure misses to a finite log loss', () => {
    expect(logLoss([0, 1], [1, 0])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(logLoss([0.2], [1], 0.25)).toBeCloseTo(-Math.log(0.25), 12);
  });

  it('agree with the direct formulas on random data', () => {
    const rng = new Rng(3);
    const p = Array.from({ length: 1000 }, () => rng.next());
    const y = p.map((q) => (rng.bernoulli(q) ? 1 : 0));
    const brier = p.reduce((sum, q, i) => sum + (q - (y[i] as number)) ** 2, 0) / p.length;
    const loss = -p.reduce((sum, q, i) => sum + ((y[i] as number) * Math.log(q) + (1 - (y[i] as number)) * Math.log(1 - q)), 0) / p.length;
    expect(brierScore(p, y)).toBeCloseTo(brier, 12);
    expect(logLoss(p, y)).toBeCloseTo(loss, 10);
  });

  it('refuse misaligned arrays and non-probabilities with a PersonaeError', () => {
    expect(() => brierScore([0.1, 0.2], [1])).toThrow(/2 predictions for 1 actual/);
    expect(() => logLoss([1.2], [1])).toThrow(/not a probability/);
    expect(() => auc([], [])).toThrow(/no customers/);
  });
});

describe('reliability table and expected calibration error', () => {
  it('bin predictions and compare the mean prediction with the observed rate', () => {
    const table = reliabilityTable([0.05, 0.15, 0.12, 0.95, 1.0], [0, 0, 1, 1, 1], 10);
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({ lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 });
    expect(table[1]?.count).toBe(2);
    expect(table[1]?.meanPredicted).toBeCloseTo(0.135, 12);
    expect(table[1]?.observedRate).toBe(0.5);
    expect(table[9]).toMatchObject({ count: 2, meanPredicted: 0.975, observedRate: 1 });
    expect(table[5]?.count).toBe(0);
    expect(table[5]?.meanPredicted).toBeNaN();
    // (1·0.05 + 2·0.365 + 2·0.025) / 5
    expect(expectedCalibrationError(table)).toBeCloseTo(0.166, 12);
  });

  it('is near zero for outcomes drawn from the predictions', () => {
    const rng = new Rng(5);
    const p = Array.from({ length: 50_000 }, () => rng.next());
    const y = p.map((q) => (rng.bernoulli(q) ? 1 : 0));
    expect(expectedCalibrationError(reliabilityTable(p, y))).toBeLessThan(0.01);
    const shifted = p.map((q) => Math.min(1, q + 0.1));
    expect(expectedCalibrationError(reliabilityTable(shifted, y))).toBeGreaterThan(0.08);
  });
});

describe('calibrationNoiseLevel', () => {
  it('predicts the ECE of perfectly calibrated predictions on a small sample', () => {
    const rng = new Rng(8);
    const p = Array.from({ length: 800 }, () => rng.uniform(0.05, 0.7));
    let simulated = 0;
    const runs = 300;
    for (let run = 0; run < runs; run++) {
      const y = p.map((q) => (rng.bernoulli(q) ? 1 : 0));
      simulated += expectedCalibrationError(reliabilityTable(p, y)) / runs;
    }
    expect(calibrationNoiseLevel(p)).toBeCloseTo(simulated, 2);
    expect(Math.abs(calibrationNoiseLevel(p) / simulated - 1)).toBeLessThan(0.12);
    // One bin, all at 0.5: √(2/π)·√(n·0.25)/n.
    expect(calibrationNoiseLevel([0.5, 0.5, 0.5, 0.5])).toBeCloseTo(Math.sqrt(2 / Math.PI) * 0.25, 12);
  });
});

describe('MAE of purchase counts', () => {
  it('is the mean absolute difference', () => {
    expect(meanAbsoluteError([0.5, 2, 1], [0, 3, 1])).toBeCloseTo(0.5, 15);
  });
});
