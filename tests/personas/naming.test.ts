import { describe, expect, it } from 'vitest';
import { assignNames, backingStrength, describeTrait, NAME_WORDS, nameWordsIn, type NameWord, type NamingFigures } from '../../src/personas/naming.js';
import type { Trait, ValueFigures } from '../../src/personas/types.js';

function trait(feature: string, direction: 'higher' | 'lower', kind: Trait['kind'] = 'numeric', level: string | null = null, effect = direction === 'higher' ? 0.8 : -0.8): Trait {
  return { feature, level, kind, source: 'first-party', personaValue: 1, populationValue: 1, effect, difference: 0, relative: 0, test: 'welch-t', statistic: 5, pValue: 1e-6, adjustedP: 1e-5, significant: true, direction };
}

const value = (v: Partial<ValueFigures> = {}): ValueFigures => ({
  averageOrderValue: 37,
  revenuePerCustomer: 106,
  ordersPerCustomer: 2.9,
  oneOrderShare: 0.5,
  repeatShare: 0.5,
  novDecSpendShare: 0.2,
  tenureDays: 500,
  meanClv: null,
  ...v,
});
const BASE: NamingFigures = { value: value(), lifecycle: { active: 0.24, at_risk: 0.1, lapsed: 0.6, win_back: 0.06 } };
const figures = (v: Partial<ValueFigures>, lifecycle: Record<string, number> = { active: 0.24, at_risk: 0.1, lapsed: 0.6, win_back: 0.06 }): NamingFigures => ({ value: value(v), lifecycle });
const word = (id: string): NameWord => NAME_WORDS.find((w) => w.id === id) as NameWord;
const backed = (id: string, f: NamingFigures): boolean => backingStrength(word(id), f, BASE) !== null;

describe('words from distinguishing traits', () => {
  it('reads the catalogue features a name can be built from', () => {
    expect(describeTrait(trait('discount_share', 'higher'))?.noun?.en).toBe('Bargain Hunters');
    expect(describeTrait(trait('share_category_beauty', 'higher'))?.noun).toEqual({ en: 'Beauty Lovers', fr: 'Amateurs de beauté' });
    expect(describeTrait(trait('interest_home_decor', 'higher', 'boolean', 'true'))?.noun?.en).toBe('Home decor Lovers');
    expect(describeTrait(trait('declared_price_sensitivity', 'higher', 'categorical', 'high'))?.adjective?.en).toBe('Price-Sensitive');
    expect(describeTrait(trait('declared_shopping_goal', 'higher', 'categorical', 'gifts'))?.noun?.en).toBe('Gift Buyers');
    expect(describeTrait(trait('spend_trend', 'higher'))).toBeNull();
    expect(describeTrait(trait('share_category_beauty', 'lower'))).toBeNull();
  });

  it('never names value, frequency, activity, tenure or season from a trait: those words need the figures', () => {
    // The November–December share once read as "monetary" and named Christmas buyers "Big Spenders".
    for (const feature of ['share_spend_nov_dec', 'monetary_total', 'spend_90d', 'average_order_value', 'orders_count', 'recency_days', 'tenure_first_purchase_days'])
      for (const direction of ['higher', 'lower'] as const) expect(describeTrait(trait(feature, direction)), `${feature} ${direction}`).toBeNull();
  });
});

describe('figure words are backed by the persona against the whole base (NAME_WORDS)', () => {
  it('value: "Big Spenders" needs revenue per customer ≥ 1.5 × and no smaller basket; "Premium" an order value ≥ 1.25 ×', () => {
    // CDNOW's "Active Big Spenders" had an average order of $29 against $37.
    expect(backed('high_value', figures({ averageOrderValue: 29.2, revenuePerCustomer: 115 }))).toBe(false);
    expect(backed('high_value', figures({ averageOrderValue: 29.2, revenuePerCustomer: 300 }))).toBe(false);
    expect(backed('high_value', figures({ averageOrderValue: 44, revenuePerCustomer: 550 }))).toBe(true);
    expect(backed('premium', figures({ averageOrderValue: 46 }))).toBe(false);
    expect(backed('premium', figures({ averageOrderValue: 46.3 }))).toBe(true);
    expect(backed('small_basket', figures({ averageOrderValue: 29.6 }))).toBe(true);
    expect(backed('low_value', figures({ revenuePerCustomer: 72 }))).toBe(false);
    expect(backed('low_value', figures({ revenuePerCustomer: 71 }))).toBe(true);
  });

  it('activity: "Active" needs ≥ 60% active (new, active, due, reactivated) and 1.2 × the base; "Lapsed" ≥ 60% lapsed or to win back', () => {
    // CDNOW's "Active Regulars" were 21% active.
    expect(backed('active', figures({}, { active: 0.21, at_risk: 0.5, lapsed: 0.03, win_back: 0.26 }))).toBe(false);
    expect(backed('active', figures({}, { active: 0.55, new: 0.06, at_risk: 0.39 }))).toBe(true);
    expect(backed('lapsed', figures({}, { lapsed: 0.8, win_back: 0.2 }))).toBe(true);
    expect(backed('lapsed', figures({}, { lapsed: 0.5, active: 0.5 }))).toBe(false);
    expect(backed('active', { value: value(), lifecycle: null })).toBe(false);
  });

  it('season: "Holiday" needs ≥ 40% of spend in November–December, 1.5 × the base, over a year of history', () => {
    expect(backed('holiday', figures({ novDecSpendShare: 0.81 }))).toBe(true);
    expect(backed('holiday', figures({ novDecSpendShare: 0.4 }))).toBe(true);
    expect(backed('holiday', figures({ novDecSpendShare: 0.39 }))).toBe(false);
    expect(backed('holiday', figures({ novDecSpendShare: 0.45 }))).toBe(true);
    expect(backingStrength(word('holiday'), figures({ novDecSpendShare: 0.45 }), { ...BASE, value: value({ novDecSpendShare: 0.31 }) })).toBeNull();
    expect(backed('holiday', figures({ novDecSpendShare: 0.29 }))).toBe(false);
    expect(backed('holiday', figures({ novDecSpendShare: 0.81, tenureDays: 107 }))).toBe(false);
    expect(backed('holiday', figures({ novDecSpendShare: null }))).toBe(false);
  });

  it('each phrase belongs to one word: a name never says two words at once', () => {
    const contains = (text: string, phrase: string): boolean => new RegExp(`(^|[^\\p{L}\\-’'])${phrase}($|[^\\p{L}\\-’'])`, 'u').test(text);
    for (const a of NAME_WORDS)
      for (const b of NAME_WORDS) {
        if (a === b) continue;
        for (const lang of ['en', 'fr'] as const)
          for (const pa of [a.adjective, a.noun]) for (const pb of [b.adjective, b.noun]) {
            if (pa && pb) expect(contains(pa[lang], pb[lang]), `${a.id} "${pa[lang]}" says ${b.id} "${pb[lang]}"`).toBe(false);
          }
      }
  });

  it('finds the figure words of a name in either language, as whole words only', () => {
    expect(nameWordsIn({ en: 'Active Regulars', fr: 'Habitués actifs' }).map((w) => w.id).sort()).toEqual(['active', 'frequent']);
    expect(nameWordsIn({ en: 'x', fr: 'Dormants à petit panier' }).map((w) => w.id).sort()).toEqual(['lapsed', 'small_basket']);
    expect(nameWordsIn({ en: 'Activewear Lovers', fr: 'Clients inactifsX' })).toEqual([]);
    expect(nameWordsIn({ en: 'Typical Shoppers', fr: 'Clients types' })).toEqual([]);
  });
});

describe('assigning names', () => {
  it('puts the adjective first in English and after the noun in French', () => {
    const [named] = assignNames([{ id: 'P1', figures: figures({ averageOrderValue: 80, revenuePerCustomer: 112, ordersPerCustomer: 1.4 }, { lapsed: 0.64, win_back: 0.26, at_risk: 0.08, active: 0.02 }), topTraits: [] }], BASE);
    expect(named?.name.en).toMatch(/^\S+ (Premium Shoppers|Sleepers|Occasional Buyers)$/);
    expect(named?.name.fr).toMatch(/^(Acheteurs premium|Dormants|Acheteurs occasionnels) \S+/);
    expect(assignNames([{ id: 'P1', figures: BASE, topTraits: [] }], BASE)[0]?.name).toEqual({ en: 'Typical Shoppers', fr: 'Clients types' });
  });

  it('three mostly-lapsed personas get three different head nouns, from what sets them apart from each other', () => {
    const lapsed = { lapsed: 0.95, win_back: 0.05 };
    const names = assignNames(
      [
        { id: 'P1', figures: figures({ averageOrderValue: 31, revenuePerCustomer: 35, ordersPerCustomer: 1.1, oneOrderShare: 0.9, repeatShare: 0.1 }, lapsed), topTraits: [] },
        { id: 'P2', figures: figures({ averageOrderValue: 13.7, revenuePerCustomer: 14, ordersPerCustomer: 1.06, oneOrderShare: 0.95, repeatShare: 0.05 }, lapsed), topTraits: [] },
        { id: 'P3', figures: figures({ averageOrderValue: 81, revenuePerCustomer: 112, ordersPerCustomer: 1.4, oneOrderShare: 0.7, repeatShare: 0.3 }, lapsed), topTraits: [] },
      ],
      BASE,
    ).map((n) => n.name.en);
    expect(new Set(names).size).toBe(3);
    const heads = names.map((n) => n.split(' ').slice(-2).join(' '));
    expect(new Set(heads).size).toBe(3);
    expect(names.filter((n) => /Sleepers$/.test(n)).length).toBeLessThanOrEqual(1);
    expect(names[1]).toMatch(/Small-Basket/);
    expect(names[2]).toMatch(/Premium/);
  });

  it('keeps a lineage name while its words are backed, renames it when they are not', () => {
    const active = figures({}, { active: 0.9, at_risk: 0.1 });
    const lapsed = figures({}, { lapsed: 0.9, active: 0.1 });
    const previousName = { en: 'Active Shoppers', fr: 'Clients actifs' };
    expect(assignNames([{ id: 'P1', figures: active, topTraits: [], previousName }], BASE)[0]).toEqual({ name: previousName, source: 'lineage' });
    const renamed = assignNames([{ id: 'P1', figures: lapsed, topTraits: [], previousName }], BASE)[0];
    expect(renamed?.source).toBe('traits');
    expect(renamed?.name.en).not.toMatch(/Active/);
    // A name without figure words (chosen by people) is kept.
    const faithful = { en: 'The Faithful', fr: 'Les Fidèles' };
    expect(assignNames([{ id: 'P1', figures: lapsed, topTraits: [], previousName: faithful }], BASE)[0]?.name).toEqual(faithful);
  });

  it('keeps names unique: another word, then the persona id', () => {
    const deals = [trait('discount_share', 'higher', 'numeric', null, 1.5)];
    const names = assignNames(
      [
        { id: 'P1', figures: BASE, topTraits: deals },
        { id: 'P2', figures: BASE, topTraits: deals },
      ],
      BASE,
    ).map((n) => n.name.en);
    expect(names).toEqual(['Bargain Hunters', 'Deal-Seeking Shoppers']);
    const three = assignNames([1, 2, 3].map((i) => ({ id: `P${i}`, figures: BASE, topTraits: deals })), BASE).map((n) => n.name.en);
    expect(new Set(three).size).toBe(3);
    expect(three[2]).toMatch(/\(P3\)$/);
  });
});
