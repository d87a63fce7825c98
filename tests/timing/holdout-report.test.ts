import { describe, expect, it } from 'vitest';
import { BetaGeoModel } from '../../src/timing/bgnbd.js';
import { holdoutReport } from '../../src/timing/holdout-report.js';
import { ParetoNbdModel } from '../../src/timing/pareto-nbd.js';
import { rfmSummary } from '../../src/timing/rfm-summary.js';
import { cdnowSummary } from './cdnow.js';

describe('holdoutReport on CDNOW', () => {
  const summary = cdnowSummary();
  const bg = BetaGeoModel.withParams({ r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 });
  const pareto = ParetoNbdModel.withParams({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.66 });
  const report = holdoutReport(summary, [bg, pareto]);

  it('accounts for every customer and transaction in the buckets 0..6, 7+', () => {
    expect(report.buckets.map((b) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(report.buckets.reduce((a, b) => a + b.customers, 0)).toBe(2357);
    expect(report.buckets[0]?.customers).toBe(1411);
    expect(report.buckets.reduce((a, b) => a + b.actual * b.customers, 0)).toBeCloseTo(1882, 9);
    expect(report.actualHoldoutTransactions).toBe(1882);
    for (const name of ['bgnbd', 'pareto_nbd']) {
      const fromBuckets = report.buckets.reduce((a, b) => a + (b.predicted[name] as number) * b.customers, 0);
      expect(fromBuckets).toBeCloseTo(report.predictedHoldoutTransactions[name] as number, 6);
    }
  });

  it('shows the conditional expectations rising with calibration frequency, as in the paper', () => {
    const actual = report.buckets.map((b) => b.actual);
    const predicted = report.buckets.map((b) => b.predicted.bgnbd as number);
    for (let k = 1; k < 8; k++) expect(predicted[k]).toBeGreaterThan(predicted[k - 1] as number);
    expect(actual[7]).toBeGreaterThan(5);
    expect(Math.abs((predicted[7] as number) - (actual[7] as number))).toBeLessThan(0.5);
  });

  it('tracks cumulative repeat transactions week by week to 4,339 (2,457 + 1,882)', () => {
    const { tracking } = report;
    expect(tracking).toHaveLength(78);
    expect(tracking[0]?.date).toBe('1997-01-07');
    const calibrationEnd = tracking.find((p) => p.date === '1997-09-30');
    expect(calibrationEnd?.actual).toBe(2457);
    expect(calibrationEnd?.inHoldout).toBe(false);
    expect(tracking.at(-1)?.actual).toBe(4339);
    expect(tracking.at(-1)?.inHoldout).toBe(true);
    for (let k = 1; k < tracking.length; k++) expect(tracking[k]?.actual).toBeGreaterThanOrEqual(tracking[k - 1]?.actual as number);
    // Both models track the calibration period closely (within 5% at its end).
    for (const name of ['bgnbd', 'pareto_nbd']) expect(Math.abs((calibrationEnd?.predicted[name] as number) / 2457 - 1)).toBeLessThan(0.05);
  });

  it('needs a holdout period', () => {
    const noHoldout = rfmSummary([{ customerId: 'a', day: 1, amount: 1 }], { calibrationEndDay: 5, timeUnit: 'day' });
    expect(() => holdoutReport(noHoldout, [bg])).toThrow(/needs a holdout period/);
  });
});
