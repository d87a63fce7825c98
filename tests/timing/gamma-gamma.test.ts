import { describe, expect, it } from 'vitest';
import { GammaGammaModel } from '../../src/timing/gamma-gamma.js';
import { simulateSpend } from '../../src/timing/simulate.js';
import { cdnowSummary, within } from './cdnow.js';

describe('Gamma-Gamma on CDNOW (Fader, Hardie & Lee 2005, "RFM and CLV")', () => {
  const summary = cdnowSummary();
  const model = new GammaGammaModel().fit(summary, { seed: 1 });

  it('reproduces p = 6.25, q = 3.74, γ = 15.44 within 0.5% on the 946 repeat buyers', () => {
    expect(within(model.params.p, 6.25, 0.005)).toBe(true);
    expect(within(model.params.q, 3.74, 0.005)).toBe(true);
    expect(within(model.params.gamma, 15.44, 0.005)).toBe(true);
    expect(model.fitResult?.customers).toBe(946);
  });

  it('shrinks a customer’s mean spend toward the population mean', () => {
    const { p, q, gamma } = model.params;
    const population = (p * gamma) / (q - 1);
    expect(model.populationMeanSpend()).toBeCloseTo(population, 12);
    // E[Z | x, m̄] = p(γ + x m̄)/(px + q − 1): a weighted average of the population mean and m̄.
    const spend = model.conditionalExpectedSpend(2, 100);
    expect(spend).toBeCloseTo((p * (gamma + 200)) / (2 * p + q - 1), 12);
    expect(spend).toBeGreaterThan(population);
    expect(spend).toBeLessThan(100);
    expect(model.conditionalExpectedSpend(50, 100)).toBeGreaterThan(spend);
  });

  it('handles one-time buyers and non-positive spend as documented', () => {
    expect(model.conditionalExpectedSpend(0, NaN)).toBe(model.populationMeanSpend());
    expect(model.conditionalExpectedSpend(3, -12)).toBe(0);
    const withRefunds = new GammaGammaModel().fit({
      frequency: [...summary.frequency, 2, 4],
      monetary: [...summary.monetary, -5, 0],
    });
    expect(withRefunds.excludedNonPositive).toBe(2);
    expect(withRefunds.params.p).toBeCloseTo(model.params.p, 6);
  });

  it('recovers simulated parameters within three standard errors', () => {
    const truth = { p: 6, q: 3.8, gamma: 15 };
    const frequency = Float64Array.from({ length: 8000 }, (_, i) => 1 + (i % 6));
    const fitted = new GammaGammaModel().fit({ frequency, monetary: simulateSpend(truth, frequency, 4) }, { seed: 1 });
    for (const name of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(fitted.params[name] - truth[name])).toBeLessThan(3 * (fitted.fitResult?.standardErrors[name] as number));
    }
  });

  it('round-trips through its artifact', () => {
    const loaded = GammaGammaModel.fromArtifact(JSON.parse(JSON.stringify(model.toArtifact())));
    expect(loaded.conditionalExpectedSpend(2, 100)).toBe(model.conditionalExpectedSpend(2, 100));
    expect(() => GammaGammaModel.fromArtifact({ ...model.toArtifact(), id: 'abc' })).toThrow(/does not match/);
  });
});
