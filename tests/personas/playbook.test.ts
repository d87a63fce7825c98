import { describe, expect, it } from 'vitest';
import { runPlaybook, type PlaybookFacts } from '../../src/personas/playbook.js';
import type { Trait } from '../../src/personas/types.js';

const base: PlaybookFacts = {
  asOf: '2026-11-01',
  ordersPerCustomer: 2,
  populationOrdersPerCustomer: 2,
  averageOrderValue: 50,
  populationAverageOrderValue: 50,
  meanPAlive: 0.8,
  medianNextPurchaseDays: 200,
  lifecycle: { active: 1 },
  vipShare: 0.05,
  roles: {},
  emailConsentShare: 0.7,
  smsConsentShare: 0.2,
  emailEngagement: 0.05,
  smsEngagement: 0.05,
  bestChannel: 'email',
};

function trait(feature: string, effect: number, significant = true): Trait {
  return {
    feature,
    level: null,
    kind: 'numeric',
    source: 'first-party',
    personaValue: 1 + effect,
    populationValue: 1,
    effect,
    difference: effect,
    relative: effect,
    test: 'welch-t',
    statistic: 10 * effect,
    pValue: significant ? 1e-6 : 0.4,
    adjustedP: significant ? 1e-5 : 0.6,
    significant,
    direction: effect >= 0 ? 'higher' : 'lower',
  };
}

const rules = (facts: Partial<PlaybookFacts>): string[] => runPlaybook({ ...base, ...facts }).actions.map((a) => a.rule);

describe('playbook rules fire on their conditions, with their numbers', () => {
  it('an average persona gets only the channel rule, and lacking features are reported', () => {
    const { actions, missing } = runPlaybook(base);
    expect(actions.map((a) => a.rule)).toEqual(['channel_by_consent_engagement']);
    expect(missing.map((m) => m.rule).sort()).toEqual(['abandoned_cart_24h', 'price_sensitive_targeted_promotions']);
  });

  it('loyal: 1.5× orders and P(alive) ≥ 0.7, or ≥ 30% VIP', () => {
    expect(rules({ ordersPerCustomer: 3 })).toContain('loyal_exclusive_offers');
    expect(rules({ ordersPerCustomer: 2.9 })).not.toContain('loyal_exclusive_offers');
    expect(rules({ ordersPerCustomer: 3, meanPAlive: 0.6 })).not.toContain('loyal_exclusive_offers');
    expect(rules({ vipShare: 0.3 })).toContain('loyal_exclusive_offers');
    const action = runPlaybook({ ...base, ordersPerCustomer: 3 }).actions.find((a) => a.rule === 'loyal_exclusive_offers');
    expect(action?.reason.en).toBe('3 orders per customer vs 2 on average (×1.5); mean P(alive) 0.8; 5% VIP');
    expect(action?.reason.fr).toBe('3 commandes par client contre 2 en moyenne (×1,5) ; P(actif) moyenne 0,8 ; 5\u00a0% VIP');
  });

  it('win-back: a week before the predicted purchase, never later than 14 days out', () => {
    const soon = runPlaybook({ ...base, lifecycle: { at_risk: 0.2, lapsed: 0.1, active: 0.7 }, medianNextPurchaseDays: 10 }).actions.find((a) => a.rule === 'win_back_before_due');
    expect(soon?.sendInDays).toBe(3);
    expect(soon?.title.en).toBe('Win-back campaign by 2026-11-04');
    const late = runPlaybook({ ...base, meanPAlive: 0.3, medianNextPurchaseDays: 400 }).actions.find((a) => a.rule === 'win_back_before_due');
    expect(late?.sendInDays).toBe(14);
    expect(rules({ lifecycle: { at_risk: 0.29, active: 0.71 } })).not.toContain('win_back_before_due');
  });

  it('abandoned cart: significant cart effect ≥ 0.3 and a basket ≥ 1.1× average → within 24 h', () => {
    const cart = trait('abandoned_cart_value_30d', 0.4);
    expect(rules({ roles: { cart }, averageOrderValue: 55 })).toContain('abandoned_cart_24h');
    expect(rules({ roles: { cart }, averageOrderValue: 54 })).not.toContain('abandoned_cart_24h');
    expect(rules({ roles: { cart: trait('abandoned_cart_value_30d', 0.4, false) }, averageOrderValue: 80 })).not.toContain('abandoned_cart_24h');
    // Far more abandoned carts than average is enough, even for a persona that has not bought yet.
    expect(rules({ roles: { cart: trait('abandoned_cart_value_30d', 0.8) }, averageOrderValue: null })).toContain('abandoned_cart_24h');
  });

  it('onboarding for new customers; timing by the predicted next purchase; consent growth when unreachable', () => {
    expect(rules({ lifecycle: { new: 0.3, active: 0.7 } })[0]).toBe('onboarding_new');
    expect(rules({ roles: { tenure: trait('tenure_first_purchase_days', -0.6) } })).toContain('onboarding_new');
    const timing = runPlaybook({ ...base, medianNextPurchaseDays: 20 }).actions.find((a) => a.rule === 'time_by_next_purchase');
    expect(timing?.sendInDays).toBe(17);
    expect(timing?.title.en).toBe('Schedule the next message around 2026-11-18');
    expect(rules({ emailConsentShare: 0.39, smsConsentShare: 0.1 })).toContain('grow_consent');
    expect(rules({ emailConsentShare: 0.04, smsConsentShare: 0.04, bestChannel: null })).not.toContain('channel_by_consent_engagement');
  });
});
