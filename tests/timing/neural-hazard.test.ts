import { describe, expect, it } from 'vitest';
import {
  hazardNegLogLik,
  hazardTargets,
  makeBins,
  survivalAt,
  timeQuantile,
} from '../../src/timing/neural/index.js';

describe('discrete-time hazard targets', () => {
  const bins = makeBins(10, 30);

  it('cuts the horizon into bins with edges on whole bin widths', () => {
    expect(Array.from(bins.edges)).toEqual([0, 10, 20, 30]);
    expect(Array.from(makeBins(7, 30).edges)).toEqual([0, 7, 14, 21, 28, 30]);
  });

  it('puts events in their bin and counts censored customers only in bins they fully survived', () => {
    // Event on day 15, event on day 10 (edge belongs to the earlier bin), censored at 30, censored at 25.
    const targets = hazardTargets(Float64Array.from([15, 10, 30, 25]), Uint8Array.from([1, 1, 0, 0]), bins);
    expect(Array.from(targets.atRisk)).toEqual([1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0]);
    expect(Array.from(targets.event)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('has the censored Bernoulli log-likelihood', () => {
    const targets = hazardTargets(Float64Array.from([15, 25]), Uint8Array.from([1, 0]), bins);
    const hazards = Float64Array.from([0.2, 0.5, 0.9, 0.1, 0.3, 0.7]);
    // Customer 1 survives bin 1 and buys in bin 2; customer 2 survives bins 1 and 2 (bin 3 not observed).
    const expected = -(Math.log(0.8) + Math.log(0.5) + Math.log(0.9) + Math.log(0.7));
    expect(hazardNegLogLik(hazards, targets)).toBeCloseTo(expected, 12);
  });
});

describe('survival and time quantiles from hazards', () => {
  const bins = makeBins(10, 30);
  const hazards = Float64Array.from([0.5, 0.5, 0.5]);

  it('multiplies survival over bins, with a constant daily hazard inside a bin', () => {
    expect(survivalAt(hazards, bins, 10)[0]).toBeCloseTo(0.5, 15);
    expect(survivalAt(hazards, bins, 20)[0]).toBeCloseTo(0.25, 15);
    expect(survivalAt(hazards, bins, 15)[0]).toBeCloseTo(0.5 * Math.sqrt(0.5), 15);
    expect(survivalAt(hazards, bins, 0)[0]).toBe(1);
    expect(survivalAt(hazards, bins, 31)[0]).toBeNaN();
  });

  it('inverts the survival curve, and says Infinity beyond the horizon', () => {
    expect(timeQuantile(hazards, bins, 0.5)[0]).toBeCloseTo(10, 12);
    // S = 0.4 inside the second bin: 0.5·0.5^f = 0.4 → f = ln 0.8 / ln 0.5.
    expect(timeQuantile(hazards, bins, 0.6)[0]).toBeCloseTo(10 + (10 * Math.log(0.8)) / Math.log(0.5), 12);
    expect(timeQuantile(hazards, bins, 0.9)[0]).toBe(Number.POSITIVE_INFINITY);
    expect(timeQuantile(Float64Array.from([1, 0.5, 0.5]), bins, 0.5)[0]).toBe(0);
  });

  it('round-trips: survival at the q-quantile is 1 − q', () => {
    const varied = Float64Array.from([0.05, 0.3, 0.6, 0.2, 0.01, 0.9]);
    for (const q of [0.1, 0.3, 0.5]) {
      const t = timeQuantile(varied, bins, q);
      const s = [survivalAt(varied.subarray(0, 3), bins, t[0] as number)[0], survivalAt(varied.subarray(3), bins, t[1] as number)[0]];
      expect(s[0]).toBeCloseTo(1 - q, 12);
      expect(s[1]).toBeCloseTo(1 - q, 12);
    }
  });
});
