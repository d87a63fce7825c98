import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { MS_PER_DAY } from '../../src/core/time.js';
import { PERSONAS, type PersonaSpec } from '../../src/synthetic/personas.js';
import { MS_PER_YEAR, monthOf, simulatePurchases } from '../../src/synthetic/purchases.js';

const base = PERSONAS[0] as PersonaSpec;
const START = Date.UTC(2020, 0, 1);
const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
/** p ~ Beta(1e-3, 1e3) is zero for all practical purposes: nobody drops out. */
const NO_DROPOUT = { a: 1e-3, b: 1e3 };

function persona(overrides: Partial<PersonaSpec>): PersonaSpec {
  return { ...base, firstOrder: { probability: 0, meanDelayDays: 1 }, seasonality: FLAT, ...overrides };
}

describe('simulatePurchases (BG/NBD with seasonality)', () => {
  it('declares seasonalities that average 1, so λ stays the yearly rate', () => {
    for (const p of PERSONAS) expect(p.seasonality.reduce((a, b) => a + b, 0) / 12, p.key).toBeCloseTo(1, 10);
  });

  it('without dropout, the mean count over T years is E[λ]·T = shape/rate·T', () => {
    const spec = persona({ purchaseRate: { shape: 2, rate: 0.5 }, dropout: NO_DROPOUT });
    const rng = new Rng(1);
    const years = 2;
    let total = 0;
    const draws = 3000;
    for (let i = 0; i < draws; i++)
      total += simulatePurchases(rng, spec, START, START + years * MS_PER_YEAR).times.length;
    // E = 2/0.5·2 = 8; sd of one count = sqrt(E[λT] + Var[λ]T²) = sqrt(8 + 8·4) ≈ 6.3, so the mean's sd ≈ 0.12.
    expect(total / draws).toBeGreaterThan(8 - 0.5);
    expect(total / draws).toBeLessThan(8 + 0.5);
  });

  it('drops out after a repeat purchase with probability p: purchases until dropout are 1 + Geometric(p)', () => {
    // p ~ Beta(500, 500) ≈ 0.5 and λ ≈ 200/year: nearly everyone drops out within the window, after on
    // average 1 (first) + 1/p = 3 purchases.
    const spec = persona({ purchaseRate: { shape: 400, rate: 2 }, dropout: { a: 500, b: 500 } });
    const rng = new Rng(2);
    let purchases = 0;
    let dropped = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const h = simulatePurchases(rng, spec, START, START + 5 * MS_PER_YEAR);
      purchases += h.times.length;
      if (h.droppedAtMs !== undefined) {
        dropped++;
        expect(h.droppedAtMs).toBe(h.times[h.times.length - 1]);
        expect(h.times.length).toBeGreaterThanOrEqual(2);
      }
    }
    expect(dropped / draws).toBeGreaterThan(0.999);
    expect(purchases / draws).toBeGreaterThan(2.9);
    expect(purchases / draws).toBeLessThan(3.1);
  });

  it('puts (4.2 + 6.4) / 12 = 88.3% of purchases in Nov–Dec for the gifters’ seasonality', () => {
    const gifter = PERSONAS.find((p) => p.key === 'seasonal_gifter') as PersonaSpec;
    const spec = persona({
      seasonality: gifter.seasonality,
      purchaseRate: { shape: 50, rate: 1 },
      dropout: NO_DROPOUT,
    });
    const rng = new Rng(3);
    let inNovDec = 0;
    let total = 0;
    for (let i = 0; i < 100; i++) {
      for (const t of simulatePurchases(rng, spec, START, START + 4 * MS_PER_YEAR).times) {
        total++;
        if (monthOf(t) >= 10) inNovDec++;
      }
    }
    expect(total).toBeGreaterThan(15_000);
    expect(gifter.seasonality.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 10);
    expect(inNovDec / total).toBeGreaterThan(0.883 - 0.015);
    expect(inNovDec / total).toBeLessThan(0.883 + 0.015);
  });

  it('places the acquisition order right after signup and keeps every purchase inside [created, stop)', () => {
    const spec = persona({
      firstOrder: { probability: 1, meanDelayDays: 0.5 },
      purchaseRate: { shape: 4, rate: 1 },
      dropout: { a: 1, b: 9 },
    });
    const rng = new Rng(4);
    const stop = START + 200 * MS_PER_DAY;
    let firstDelays = 0;
    for (let i = 0; i < 2000; i++) {
      const h = simulatePurchases(rng, spec, START, stop);
      expect(h.times.length).toBeGreaterThan(0);
      firstDelays += ((h.times[0] as number) - START) / MS_PER_DAY;
      for (let j = 0; j < h.times.length; j++) {
        expect(h.times[j]).toBeGreaterThanOrEqual(START);
        expect(h.times[j]).toBeLessThan(stop);
        if (j > 0) expect(h.times[j]).toBeGreaterThan(h.times[j - 1] as number);
      }
    }
    // Exponential delay with mean 0.5 day (truncated at 200 days, which changes nothing).
    expect(firstDelays / 2000).toBeGreaterThan(0.45);
    expect(firstDelays / 2000).toBeLessThan(0.55);
  });
});
