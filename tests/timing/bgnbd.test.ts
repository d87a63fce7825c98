import { describe, expect, it } from 'vitest';
import { compressRfm, indexRows } from '../../src/timing/base-fitter.js';
import { BetaGeoModel, bgNbdKernel } from '../../src/timing/bgnbd.js';
import { simulateBgNbd } from '../../src/timing/simulate.js';
import { cdnowSummary, within } from './cdnow.js';
import { expectGradientMatchesFiniteDifferences, expectProperPurchaseDistribution } from './model-checks.js';
import { thrownBy as caught } from '../helpers/errors.js';

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const summary = cdnowSummary();
  const model = new BetaGeoModel().fit(summary, { seed: 1 });

  it('reproduces the published estimates and log-likelihood within 0.5%', () => {
    const p = model.params;
    expect(within(p.r, 0.2426, 0.005)).toBe(true);
    expect(within(p.alpha, 4.4137, 0.005)).toBe(true);
    expect(within(p.a, 0.793, 0.005)).toBe(true);
    expect(within(p.b, 2.4262, 0.005)).toBe(true);
    expect(model.fitResult?.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(model.fitResult?.uniqueRows).toBeLessThan(summary.customerIds.length);
  });

  it('has Hessian standard errors matching lifetimes on the same data (r 0.0126, α 0.378, a 0.186, b 0.705)', () => {
    const se = model.fitResult?.standardErrors ?? {};
    expect(within(se.r as number, 0.0126, 0.03)).toBe(true);
    expect(within(se.alpha as number, 0.378, 0.03)).toBe(true);
    expect(within(se.a as number, 0.186, 0.03)).toBe(true);
    expect(within(se.b as number, 0.705, 0.03)).toBe(true);
  });

  it('gives the paper’s conditional expectation E[X(39) | x=2, t_x=30.43, T=38.86] = 1.226', () => {
    expect(model.conditionalExpectedPurchases(39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('predicts the 39-week holdout in aggregate (actual 1,882)', () => {
    let predicted = 0;
    let actual = 0;
    summary.frequency.forEach((x, i) => {
      predicted += model.conditionalExpectedPurchases(
        39,
        x,
        summary.recency[i] as number,
        summary.age[i] as number,
      );
      actual += summary.holdoutFrequency[i] as number;
    });
    expect(actual).toBe(1882);
    // The BG/NBD under-forecasts this holdout (Fader et al. 2005, Figure 3): about 1,650 transactions.
    expect(predicted).toBeGreaterThan(1600);
    expect(predicted).toBeLessThan(1882);
  });

  it('has a proper distribution of future purchases whose mean is the conditional expectation', () => {
    const histories = [[0, 0, 30], [2, 30.43, 38.86], [7, 10, 35], [15, 37, 38]] as const;
    expectProperPurchaseDistribution(model, 39, histories, 400, { total: 8, mean: 6 });
  });

  it('treats one-time buyers as alive and recent buyers as more alive than lapsed ones', () => {
    expect(model.pAlive(0, 0, 30)).toBe(1);
    expect(model.pAlive(5, 38, 38.5)).toBeGreaterThan(model.pAlive(5, 5, 38.5));
    expect(model.pAlive(5, 5, 38.5)).toBeLessThan(0.2);
  });

  it('gives next-purchase quantiles consistent with the Lomax wait of an alive customer', () => {
    const { r, alpha } = model.params;
    const t = model.nextPurchaseQuantile(0.5, 3, 20, 30);
    expect(1 - ((alpha + 30) / (alpha + 30 + t)) ** (r + 3)).toBeCloseTo(0.5, 12);
    expect(model.nextPurchaseQuantile(0.1, 3, 20, 30)).toBeLessThan(t);
  });

  it('matches a simulation of the same model for the unconditional E[X(t)]', () => {
    const params = model.params;
    const sim = simulateBgNbd(params, { customers: 20_000, seed: 5, minAge: 52, maxAge: 52 });
    const mean = sim.frequency.reduce((a, b) => a + b, 0) / sim.frequency.length;
    const sd = Math.sqrt(sim.frequency.reduce((a, b) => a + (b - mean) ** 2, 0) / sim.frequency.length);
    expect(Math.abs(mean - model.expectedPurchases(52))).toBeLessThan((4 * sd) / Math.sqrt(20_000));
  });

  it('saves and loads through a plain-JSON artifact whose id is checked', () => {
    const artifact = JSON.parse(JSON.stringify(model.toArtifact()));
    const loaded = BetaGeoModel.fromArtifact(artifact);
    expect(loaded.params).toEqual(model.params);
    expect(loaded.conditionalExpectedPurchases(39, 2, 30.43, 38.86)).toBe(
      model.conditionalExpectedPurchases(39, 2, 30.43, 38.86),
    );
    expect(artifact.id).toMatch(/^[0-9a-f]{16}$/);
    const tampered = { ...artifact, params: { ...artifact.params, r: 0.3 } };
    expect(caught(() => BetaGeoModel.fromArtifact(tampered)).message).toMatch(/does not match its content/);
    expect(caught(() => BetaGeoModel.fromArtifact({ ...artifact, type: 'pareto_nbd' })).message).toMatch(
      /expected bgnbd/,
    );
    expect(caught(() => BetaGeoModel.fromArtifact({ ...artifact, version: 99 })).code).toBe(
      'btyd.artifact_version',
    );
  });

  it('shrinks the parameters with an L2 penalty', () => {
    const penalised = new BetaGeoModel({ penalty: 0.1 }).fit(summary);
    expect(penalised.fitResult!.logLikelihood).toBeLessThan(model.fitResult!.logLikelihood);
    expect(penalised.toArtifact().id).not.toBe(model.toArtifact().id);
  });
});

describe('BG/NBD input checks', () => {
  const base = { frequency: [1, 0, 2], recency: [3, 0, 5], age: [10, 8, 9] };
  it('rejects impossible rows with a clear message', () => {
    expect(caught(() => new BetaGeoModel().fit({ ...base, recency: [3, 0, 12] })).message).toMatch(
      /customer 3 .*recency is greater than T/,
    );
    expect(caught(() => new BetaGeoModel().fit({ ...base, frequency: [1, -1, 2] })).code).toBe(
      'btyd.frequency',
    );
    expect(caught(() => new BetaGeoModel().fit({ ...base, age: [10, NaN, 9] })).code).toBe('btyd.non_finite');
    expect(caught(() => new BetaGeoModel().fit({ ...base, recency: [3, 1, 5] })).code).toBe(
      'btyd.recency_without_repeat',
    );
    expect(caught(() => new BetaGeoModel({ penalty: -1 })).kind).toBe('config');
    expect(caught(() => new BetaGeoModel().params).code).toBe('btyd.not_fitted');
  });

  it('raises a convergence error when the data cannot identify the model', () => {
    // Nobody ever buys again: the likelihood increases without bound as r → 0.
    const error = caught(() =>
      new BetaGeoModel().fit({ frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], age: [10, 20, 30, 40] }),
    );
    expect(error.kind).toBe('convergence');
    expect(error.exitCode).toBe(5);
  });
});

describe('BG/NBD likelihood gradient', () => {
  it('equals finite differences of the likelihood, on both sides of α = β', () => {
    const data = simulateBgNbd(
      { r: 0.3, alpha: 5, a: 0.8, b: 2.5 },
      { customers: 3000, seed: 1, minAge: 20, maxAge: 40 },
    );
    const rows = indexRows(compressRfm(data.frequency, data.recency, data.age));
    expectGradientMatchesFiniteDifferences(bgNbdKernel, rows, [
      [-1.1, 1.4, -0.3, 1.1],
      [0.5, -1, 1.2, -0.7],
    ]);
  });
});
