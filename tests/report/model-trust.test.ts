import { describe, expect, it } from 'vitest';
import { trustItems } from '../../src/report/model-trust.js';
import type { ModelTrust } from '../../src/timing/trust.js';

// Figures of the Online Retail run as of 2011-12-09 (30 days), rounded; a 60-day horizon with an AUC of exactly 0.8.
const trust: ModelTrust = {
  window: { cutoff: '2011-09-10', end: '2011-12-09' },
  seasonalWindow: null,
  horizons: [
    { horizon: 30, model: 'neural', auc: 0.728, grade: 'fair', ece: 0.046, example: { customers: 97, predicted: 0.85, observed: 0.81 }, overall: { customers: 3370, predicted: 0.277, observed: 0.288 }, seasonal: null },
    { horizon: 60, model: 'mbgnbd', auc: 0.8, grade: 'good', ece: 0.03, example: null, overall: { customers: 3370, predicted: 0.42, observed: 0.46 }, seasonal: null },
  ],
  lifetimeModel: 'recency_baseline',
  skipped: ['bgnbd', 'pareto_nbd'],
};

describe('how far to trust the predictions, in words', () => {
  it('says per horizon the model, the AUC as times in 100 and with two decimals, predicted vs actual buyers, and a reliability line', () => {
    const en = trustItems(trust, 'en');
    expect(en.find((i) => i.startsWith('Buying within 30 days'))).toBe(
      'Buying within 30 days (neural model): a buyer was ranked above a non-buyer 73 times in 100 (AUC 0.73, fair); we predicted 28% would buy, 29% did.',
    );
    expect(en.find((i) => i.startsWith('Buying within 60 days'))).toContain('80 times in 100 (AUC 0.80, good)');
    expect(en).toContain('Of the 97 customers we gave about 85%, 81% bought.');
    expect(en.at(-1)).toContain('BG/NBD, Pareto/NBD');
  });

  it('in French: decimal commas, « % » with a space, the date in words', () => {
    const fr = trustItems(trust, 'fr');
    expect(fr[0]).toContain('10 septembre 2011');
    expect(fr.find((i) => i.startsWith('Achat sous 60 jours'))).toContain('(AUC 0,80, bon)');
    // Intl writes the space before « % » as a no-break space.
    expect(fr.join('\n')).toMatch(/^Sur les 97 clients à qui nous donnions environ 85\s%, 81\s% ont acheté\.$/m);
  });

  it('says, after the window, when the figures come from a seeded sample of the customers (timing.backtest_max_customers)', () => {
    expect(trustItems(trust, 'en').some((i) => i.includes('random sample'))).toBe(false);
    const sampled = { ...trust, sample: { customers: 200_000, of: 821_211 } };
    expect(trustItems(sampled, 'en')[1]).toBe(
      'The figures below were measured on a random sample of 200,000 of the 821,211 customers who have bought: estimates, close to what all of them would give. Every customer is still predicted.',
    );
    expect(trustItems(sampled, 'fr')[1]).toMatch(/^Les chiffres ci-dessous ont été mesurés sur un échantillon aléatoire de 200\s000 des 821\s211 clients/);
  });
});
