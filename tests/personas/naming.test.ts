import { describe, expect, it } from 'vitest';
import { assignNames, describeTrait, nameCandidates } from '../../src/personas/naming.js';
import type { Trait } from '../../src/personas/types.js';

function trait(feature: string, direction: 'higher' | 'lower', kind: Trait['kind'] = 'numeric', level: string | null = null): Trait {
  const effect = direction === 'higher' ? 0.8 : -0.8;
  return { feature, level, kind, source: 'first-party', personaValue: 1, populationValue: 1, effect, difference: 0, relative: 0, test: 'welch-t', statistic: 5, pValue: 1e-6, adjustedP: 1e-5, significant: true, direction };
}

describe('persona names', () => {
  it('reads the catalogue features a name can be built from', () => {
    expect(describeTrait(trait('discount_share', 'higher'))?.noun?.en).toBe('Bargain Hunters');
    expect(describeTrait(trait('orders_count', 'higher'))?.adjective?.en).toBe('Frequent');
    expect(describeTrait(trait('share_category_beauty', 'higher'))?.noun).toEqual({ en: 'Beauty Lovers', fr: 'Amateurs de beauty' });
    expect(describeTrait(trait('interest_home_decor', 'higher', 'boolean', 'true'))?.noun?.en).toBe('Home decor Lovers');
    expect(describeTrait(trait('declared_price_sensitivity', 'higher', 'categorical', 'high'))?.adjective?.en).toBe('Price-Sensitive');
    expect(describeTrait(trait('declared_shopping_goal', 'higher', 'categorical', 'gifts'))?.noun?.en).toBe('Gift Buyers');
    expect(describeTrait(trait('declared_style', 'higher', 'categorical', 'sporty'))?.adjective).toEqual({ en: 'Sporty', fr: 'au style sporty' });
    expect(describeTrait(trait('spend_trend', 'higher'))).toBeNull();
    expect(describeTrait(trait('add_to_carts_30d', 'higher'))).toBeNull();
    expect(describeTrait(trait('share_category_beauty', 'lower'))).toBeNull();
  });

  it('puts the adjective first in English and after the noun in French', () => {
    const [first] = nameCandidates([trait('recency_days', 'higher'), trait('orders_count', 'lower')]);
    expect(first).toEqual({ en: 'Occasional Sleepers', fr: 'Dormants occasionnels' });
    expect(nameCandidates([])).toEqual([{ en: 'Typical Shoppers', fr: 'Clients types' }]);
    // Two tenure features, or discounts and a "deals" goal, do not make "New Newcomers" or "Deal-Seeking Bargain Hunters".
    const newcomers = nameCandidates([trait('tenure_first_purchase_days', 'lower'), trait('tenure_signup_days', 'lower'), trait('share_channel_app', 'higher')]);
    expect(newcomers[0]).toEqual({ en: 'App-First Newcomers', fr: "Nouveaux venus adeptes de l'appli" });
    const deals = nameCandidates([trait('discount_share', 'higher'), trait('declared_shopping_goal', 'higher', 'categorical', 'deals'), trait('average_order_value', 'higher')]);
    expect(deals.map((c) => c.en)).toEqual(['Premium Bargain Hunters', 'Bargain Hunters']);
  });

  it('keeps names unique: next candidate, then the persona id; lineage names are claimed first', () => {
    const same = [trait('discount_share', 'higher'), trait('average_order_value', 'lower')];
    const names = assignNames([
      { id: 'P1', topTraits: same },
      { id: 'P2', topTraits: same },
      { id: 'P3', topTraits: [trait('discount_share', 'higher')] },
      { id: 'P4', topTraits: [trait('discount_share', 'higher')] },
      { id: 'P5', topTraits: [], previousName: { en: 'Small-Basket Bargain Hunters', fr: 'x' } },
    ]);
    // P5 keeps its lineage name, so P1 falls back to the bare noun and P2 to its first candidate + id.
    expect(names.map((n) => n.name.en)).toEqual(['Bargain Hunters', 'Small-Basket Bargain Hunters (P2)', 'Bargain Hunters (P3)', 'Bargain Hunters (P4)', 'Small-Basket Bargain Hunters']);
    expect(names[4]?.source).toBe('lineage');
    expect(names[0]?.source).toBe('traits');
  });
});
