import { describe, expect, it } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import { decidePromotion, gateRefusal } from '../../src/runner/gate.js';

const incumbent = {
  bgnbd: { brier: 0.12, logLoss: 0.4, auc: 0.75, mae: 1.6 },
  kmeans: { silhouette: 0.31 },
};

describe('decidePromotion', () => {
  it('promotes when every metric is better, equal or within the relative tolerance', () => {
    const decision = decidePromotion({
      candidate: {
        bgnbd: { brier: 0.1224, logLoss: 0.39, auc: 0.75, mae: 1.62 },
        kmeans: { silhouette: 0.305 },
      },
      incumbent,
      settings: { tolerance: 0.02 },
    });
    expect(decision.decision).toBe('promote');
    const bgnbd = decision.models.find((m) => m.model === 'bgnbd');
    // brier: worse by 0.0024 = exactly 2% of 0.12 → within; mae: 0.02 ≤ 0.032; silhouette: 0.005 ≤ 0.0062.
    expect(bgnbd?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ['auc', 'equal'],
      ['brier', 'within-tolerance'],
      ['logLoss', 'better'],
      ['mae', 'within-tolerance'],
    ]);
    const brier = bgnbd?.metrics.find((m) => m.metric === 'brier');
    expect(brier?.worsening).toBeCloseTo(0.0024, 12);
    expect(brier?.allowed).toBeCloseTo(0.0024, 12);
    expect(decision.models.find((m) => m.model === 'kmeans')?.metrics[0]?.verdict).toBe('within-tolerance');
    expect(decision.summary).toBe('promote: 2 models compared, none worse beyond the tolerance');
    expect(() => gateRefusal(decision)).toThrow(RangeError);
  });

  it('says so when there is no model metric to compare, and says "1 model" for one', () => {
    expect(decidePromotion({ candidate: {}, incumbent: {} }).summary).toBe('promote: no model metrics to compare');
    expect(decidePromotion({ candidate: { kmeans: { silhouette: 0.4 } }, incumbent: {} }).summary).toBe(
      'promote: 1 model compared, none worse beyond the tolerance',
    );
  });

  it('keeps the incumbent when one metric of one model is worse beyond the tolerance, and says why', () => {
    const decision = decidePromotion({
      candidate: { bgnbd: { brier: 0.125, logLoss: 0.39, auc: 0.76, mae: 1.5 }, kmeans: { silhouette: 0.4 } },
      incumbent,
    });
    expect(decision.decision).toBe('keep-incumbent');
    const bgnbd = decision.models.find((m) => m.model === 'bgnbd');
    expect(bgnbd?.decision).toBe('keep-incumbent');
    expect(bgnbd?.reasons).toEqual([
      'brier 0.125 vs 0.12: worse by 0.005 (4.2%), beyond the tolerance 0.0024',
    ]);
    expect(decision.models.find((m) => m.model === 'kmeans')?.decision).toBe('promote');
    expect(decision.summary).toBe(
      'keep incumbent: bgnbd (brier 0.125 vs 0.12: worse by 0.005 (4.2%), beyond the tolerance 0.0024)',
    );
    const refusal = gateRefusal(decision);
    expect(refusal).toMatchObject({ kind: 'gate', code: 'gate_kept_incumbent', exitCode: 3 });
    expect(refusal.message).toContain(decision.summary);
  });

  it('reads direction: a lower AUC is worse, a lower Brier score is better', () => {
    const auc = decidePromotion({ candidate: { m: { auc: 0.7 } }, incumbent: { m: { auc: 0.75 } } });
    expect(auc.models[0]?.metrics[0]).toMatchObject({ verdict: 'worse', direction: 'higher' });
    expect(auc.models[0]?.metrics[0]?.worsening).toBeCloseTo(0.05, 12);
    expect(auc.models[0]?.metrics[0]?.allowed).toBeCloseTo(0.015, 12);
    const brier = decidePromotion({ candidate: { m: { brier: 0.1 } }, incumbent: { m: { brier: 0.2 } } });
    expect(brier.models[0]?.metrics[0]).toMatchObject({ verdict: 'better', direction: 'lower' });
  });

  it('promotes a model without incumbent, and a new metric never blocks', () => {
    const decision = decidePromotion({
      candidate: {
        neural: { brier: 0.3 },
        bgnbd: { brier: 0.12, logLoss: 0.4, auc: 0.75, mae: 1.6, rmse: 2 },
      },
      incumbent: { bgnbd: incumbent.bgnbd, neural: null },
    });
    expect(decision.decision).toBe('promote');
    expect(decision.models.find((m) => m.model === 'neural')).toMatchObject({
      hasIncumbent: false,
      reasons: ['no incumbent: the first version is promoted'],
    });
    expect(
      decision.models.find((m) => m.model === 'bgnbd')?.metrics.find((m) => m.metric === 'rmse')?.verdict,
    ).toBe('new-metric');
    expect(decidePromotion({ candidate: { m: { auc: 0.5 } }, incumbent: {} }).decision).toBe('promote');
  });

  it('counts a metric the candidate lost (missing, null or NaN) as worse', () => {
    for (const auc of [undefined, null, Number.NaN]) {
      const decision = decidePromotion({
        candidate: { m: { brier: 0.1, auc } },
        incumbent: { m: { brier: 0.1, auc: 0.7 } },
      });
      expect(decision.decision).toBe('keep-incumbent');
      expect(decision.models[0]?.reasons).toEqual(['auc: the candidate has no value, the incumbent has 0.7']);
    }
    const both = decidePromotion({ candidate: { m: { auc: null } }, incumbent: { m: { auc: null } } });
    expect(both.models[0]?.metrics[0]?.verdict).toBe('unavailable');
    expect(both.decision).toBe('promote');
  });

  it('applies per-metric rules: absolute allowance, own relative tolerance, ungated metrics', () => {
    const settings = {
      tolerance: 0.01,
      metrics: { mae: { absolute: 0.1 }, brier: { relative: 0.1 }, inertia: { gated: false } },
    };
    const decision = decidePromotion({
      candidate: { m: { mae: 1.69, brier: 0.13, inertia: 900 } },
      incumbent: { m: { mae: 1.6, brier: 0.12, inertia: 500 } },
      settings,
    });
    expect(decision.models[0]?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ['brier', 'within-tolerance'], // 0.01 ≤ 10% of 0.12
      ['inertia', 'not-gated'],
      ['mae', 'within-tolerance'], // 0.09 ≤ max(0.1, 1% of 1.6)
    ]);
    const worse = decidePromotion({
      candidate: { m: { mae: 1.71 } },
      incumbent: { m: { mae: 1.6 } },
      settings,
    });
    expect(worse.decision).toBe('keep-incumbent');
    // A zero incumbent: any worsening is beyond a purely relative tolerance.
    expect(decidePromotion({ candidate: { m: { mae: 0.001 } }, incumbent: { m: { mae: 0 } } }).decision).toBe(
      'keep-incumbent',
    );
  });

  it('refuses unknown metrics and bad settings with a config error', () => {
    const unknown = (() => {
      try {
        decidePromotion({ candidate: { m: { hitRate: 0.3 } }, incumbent: { m: { hitRate: 0.3 } } });
      } catch (error) {
        return error as PersonaeError;
      }
      return null;
    })();
    expect(unknown?.kind).toBe('config');
    expect(unknown?.hint).toBe(
      'declare it in the config: gate.metrics.hitRate.direction: higher | lower (or gated: false)',
    );
    expect(
      decidePromotion({
        candidate: { m: { hitRate: 0.2 } },
        incumbent: { m: { hitRate: 0.3 } },
        settings: { metrics: { hitRate: { direction: 'higher' } } },
      }).decision,
    ).toBe('keep-incumbent');
    expect(() => decidePromotion({ candidate: {}, incumbent: {}, settings: { tolerance: -1 } })).toThrow(
      /gate.tolerance/,
    );
  });
});
