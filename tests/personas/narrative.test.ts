import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../src/features/types.js';
import { tagline, traitPhrase, type NarrativeContext, type PersonaDraft } from '../../src/personas/narrative.js';
import type { Trait } from '../../src/personas/types.js';
import { feature } from './fixtures.js';

function trait(name: string, personaValue: number, populationValue: number): Trait {
  return { feature: name, level: null, kind: 'numeric', source: 'first-party', personaValue, populationValue } as Trait;
}

function context(...specs: FeatureSpec[]): NarrativeContext {
  return {
    specs: new Map(specs.map((s) => [s.name, s])),
    population: { value: {} as NarrativeContext['population']['value'], timing: null },
    seasonal: new Set(),
  };
}

/** The tagline of a persona with 17% of customers and 9.6% of revenue whose top traits are `traits`. */
function taglineOf(traits: Trait[], ctx: NarrativeContext, lang: 'en' | 'fr'): string {
  const persona = { shareOfCustomers: 0.17, shareOfRevenue: 0.096, topTraits: traits.map((_, i) => i), traits };
  return tagline(persona as unknown as PersonaDraft, ctx, lang);
}

describe('a persona tagline', () => {
  const trend = { ...feature('spend_trend', 'numeric', 'first-party', 'rate'), signed: true, label: { en: 'spend trend', fr: 'tendance de dépense' } };
  const overdue = { ...feature('days_overdue', 'numeric', 'first-party', 'days'), signed: true, label: { en: 'days overdue', fr: 'jours de retard' } };
  const orders = { ...feature('orders_count', 'numeric', 'first-party', 'count'), label: { en: 'orders', fr: 'commandes' } };

  it('compares a signed feature by its values, never as a ratio (the Online Retail report read "spend trend −295%")', () => {
    // Persona mean −0.37 against everyone's +0.19: as a ratio, −0.37 / 0.19 − 1 = −295%.
    const ctx = context(trend, overdue);
    const traits = [trait('spend_trend', -0.37, 0.19), trait('days_overdue', -75, 12)];
    expect(taglineOf(traits, ctx, 'en')).toBe('17% of customers, 9.6% of revenue · spend trend −37% (vs +19%) · days overdue −75 d (vs +12 d)');
    expect(taglineOf(traits, ctx, 'fr')).toBe(
      '17\u00a0% des clients, 9,6\u00a0% du chiffre d’affaires · tendance de dépense −37\u00a0% (contre +19\u00a0%) · jours de retard −75\u00a0j (contre +12\u00a0j)',
    );
    // Both positive: still values, since a ratio of two trends has no meaning either.
    expect(taglineOf([trait('spend_trend', 0.47, 0.19)], ctx, 'en')).toBe('17% of customers, 9.6% of revenue · spend trend +47% (vs +19%)');
  });

  it('keeps ratios for quantities that cannot be negative: ×2.8 above 1.5 times, a percentage below', () => {
    const ctx = context(orders);
    expect(taglineOf([trait('orders_count', 11.66, 4.2)], ctx, 'en')).toBe('17% of customers, 9.6% of revenue · orders ×2.8');
    expect(taglineOf([trait('orders_count', 1.4, 4.2)], ctx, 'en')).toBe('17% of customers, 9.6% of revenue · orders −67%');
  });

  it('writes a signed feature’s positive values with their sign in the narrative’s trait phrases', () => {
    const t = { ...trait('spend_trend', 0.47, -0.05), direction: 'higher' } as Trait;
    expect(traitPhrase(t, context(trend), 'en')).toBe('spend trend above average (+47% vs −5%)');
  });
});
