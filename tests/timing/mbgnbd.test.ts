import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compressRfm, indexRows } from '../../src/timing/base-fitter.js';
import { BetaGeoModel } from '../../src/timing/bgnbd.js';
import { ModifiedBetaGeoModel, mbgNbdKernel } from '../../src/timing/mbgnbd.js';
import { simulateBgNbd } from '../../src/timing/simulate.js';
import { thrownBy as caught } from '../helpers/errors.js';
import { cdnowSummary, within } from './cdnow.js';
import { expectGradientMatchesFiniteDifferences, expectProperPurchaseDistribution } from './model-checks.js';

// Written by tests/fixtures/mbgnbd/make_reference.py (scipy; see its PROVENANCE.md): an independent fit
// of the same data and the predictions computed from the papers' closed forms and by numerical integration.
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/mbgnbd/reference.json', import.meta.url), 'utf8'),
) as {
  summary: { customers: number; sumX: number; oneTimeBuyers: number };
  params: { r: number; alpha: number; a: number; b: number };
  standardErrors: Record<string, number>;
  logLikelihood: number;
  pAlive: { x: number; tx: number; T: number; p: number }[];
  conditionalExpected: { t: number; x: number; tx: number; T: number; e: number }[];
  expected: { t: number; e: number }[];
  pPurchases: { n: number; t: number; x: number; tx: number; T: number; p: number }[];
};

describe('MBG/NBD on CDNOW (Batislam, Denizel & Filiztekin 2007)', () => {
  const summary = cdnowSummary();
  const model = new ModifiedBetaGeoModel().fit(summary, { seed: 1 });

  it('fits the same summary the reference script rebuilt from the CSV', () => {
    expect(summary.customerIds.length).toBe(reference.summary.customers);
    expect(summary.frequency.reduce((a, b) => a + b, 0)).toBe(reference.summary.sumX);
  });

  it('reproduces the independent scipy fit: parameters within 0.1%, log-likelihood within 0.01', () => {
    for (const name of ['r', 'alpha', 'a', 'b'] as const)
      expect(within(model.params[name], reference.params[name], 0.001)).toBe(true);
    expect(model.fitResult?.logLikelihood).toBeCloseTo(reference.logLikelihood, 2);
  });

  it('pins the published BTYDplus estimates (r 0.525, α 6.183, a 0.891, b 1.614; lifetimes’ test)', () => {
    const p = model.params;
    expect(p.r).toBeCloseTo(0.525, 3);
    expect(p.alpha).toBeCloseTo(6.183, 3);
    expect(p.a).toBeCloseTo(0.891, 3);
    expect(p.b).toBeCloseTo(1.614, 3);
  });

  it('has Hessian standard errors matching the reference’s finite-difference Hessian within 2%', () => {
    for (const [name, se] of Object.entries(reference.standardErrors))
      expect(within(model.fitResult?.standardErrors[name] as number, se, 0.02)).toBe(true);
  });

  describe('closed forms at the reference parameters', () => {
    const at = ModifiedBetaGeoModel.withParams(reference.params);
    it('P(alive), including one-time buyers (the point of the model)', () => {
      for (const c of reference.pAlive) expect(at.pAlive(c.x, c.tx, c.T)).toBeCloseTo(c.p, 12);
    });
    it('conditional expected purchases E[X(39) | x, t_x, T] (lifetimes/Hardie sheet: 1.226 ± 0.05 for x=2)', () => {
      for (const c of reference.conditionalExpected)
        expect(within(at.conditionalExpectedPurchases(c.t, c.x, c.tx, c.T), c.e, 1e-9)).toBe(true);
      expect(Math.abs(at.conditionalExpectedPurchases(39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
    });
    it('unconditional E[X(t)]', () => {
      for (const c of reference.expected) expect(within(at.expectedPurchases(c.t), c.e, 1e-9)).toBe(true);
    });
    it('P(n purchases in the next 39 weeks) equals the numerical integral over λ and p', () => {
      for (const c of reference.pPurchases)
        expect(Math.abs(at.pPurchases(c.n, c.t, c.x, c.tx, c.T) - c.p)).toBeLessThan(1e-7);
    });
  });

  it('has a proper distribution of future purchases whose mean is the conditional expectation', () => {
    const histories = [[0, 0, 30], [2, 30.43, 38.86], [15, 37, 38]] as const;
    expectProperPurchaseDistribution(model, 39, histories, 400, { total: 8, mean: 6 });
  });

  it('lets one-time buyers drop out: P(alive) < 1 and falling with the silence, unlike BG/NBD', () => {
    const bg = new BetaGeoModel().fit(summary, { seed: 1 });
    expect(bg.pAlive(0, 0, 38)).toBe(1);
    expect(model.pAlive(0, 0, 10)).toBeLessThan(1);
    expect(model.pAlive(0, 0, 38)).toBeLessThan(model.pAlive(0, 0, 10));
    expect(model.pAlive(0, 0, 38)).toBeLessThan(0.45);
  });

  it('saves and loads through a plain-JSON artifact whose id and type are checked', () => {
    const artifact = JSON.parse(JSON.stringify(model.toArtifact()));
    expect(artifact.type).toBe('mbgnbd');
    const loaded = ModifiedBetaGeoModel.fromArtifact(artifact);
    expect(loaded.params).toEqual(model.params);
    expect(
      caught(() => ModifiedBetaGeoModel.fromArtifact({ ...artifact, params: { ...artifact.params, a: 2 } }))
        .message,
    ).toMatch(/does not match its content/);
    expect(caught(() => BetaGeoModel.fromArtifact(artifact)).message).toMatch(/expected bgnbd/);
  });
});

describe('MBG/NBD likelihood gradient', () => {
  it('equals finite differences of the likelihood', () => {
    const data = simulateBgNbd(
      { r: 0.3, alpha: 5, a: 0.8, b: 2.5 },
      { customers: 3000, seed: 2, minAge: 20, maxAge: 40 },
    );
    const rows = indexRows(compressRfm(data.frequency, data.recency, data.age));
    expectGradientMatchesFiniteDifferences(mbgNbdKernel, rows, [
      [-1.1, 1.4, -0.3, 1.1],
      [0.5, -1, 1.2, -0.7],
    ]);
  });
});
