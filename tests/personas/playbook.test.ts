import { describe, expect, it } from 'vitest';
import { daysToSeason, PLAYBOOK, runPlaybook, type PlaybookFacts } from '../../src/personas/playbook.js';
import type { TimingFigures, Trait, ValueFigures } from '../../src/personas/types.js';

const value = (v: Partial<ValueFigures> = {}): ValueFigures => ({
  averageOrderValue: 50,
  revenuePerCustomer: 100,
  ordersPerCustomer: 2,
  oneOrderShare: 0.4,
  repeatShare: 0.6,
  novDecSpendShare: 0.2,
  tenureDays: 500,
  meanClv: null,
  ...v,
});
const timing = (t: Partial<TimingFigures> = {}): TimingFigures => ({ scored: 100, expectedBuyers30: 20, expectedShareBuy30: 0.2, medianNextPurchaseDays: 200, meanPAlive: 0.8, ...t });

const base: PlaybookFacts = {
  asOf: '2026-03-02',
  value: value(),
  population: value(),
  timing: timing(),
  lifecycle: { active: 1 },
  vipShare: 0.05,
  seasonal: false,
  roles: {},
  reach: { emailConsentShare: 0.7, smsConsentShare: 0.2, emailEngagement: 0.05, smsEngagement: 0.05, bestChannel: 'email' },
  currency: 'EUR',
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

const run = (facts: Partial<PlaybookFacts>) => runPlaybook({ ...base, ...facts });
const rules = (facts: Partial<PlaybookFacts>): string[] => run(facts).actions.map((a) => a.rule);
const action = (facts: Partial<PlaybookFacts>, rule: string) => run(facts).actions.find((a) => a.rule === rule);

describe('playbook rules fire on their conditions, with their numbers', () => {
  it('an average persona gets no action (a channel is not an action), and lacking features are reported', () => {
    const { actions, missing } = runPlaybook(base);
    expect(actions).toEqual([]);
    expect(missing.map((m) => m.rule).sort()).toEqual(['abandoned_cart_24h', 'price_sensitive_targeted_promotions']);
    expect(PLAYBOOK.map((r) => r.id)).not.toContain('channel_by_consent_engagement');
  });

  it('loyal: 1.5× orders and P(alive) ≥ 0.7, or ≥ 30% VIP; a week before the predicted purchase, else in a week', () => {
    const loyal = { value: value({ ordersPerCustomer: 3 }) };
    expect(rules(loyal)).toContain('loyal_exclusive_offers');
    expect(rules({ value: value({ ordersPerCustomer: 2.9 }) })).not.toContain('loyal_exclusive_offers');
    expect(rules({ ...loyal, timing: timing({ meanPAlive: 0.6 }) })).not.toContain('loyal_exclusive_offers');
    expect(rules({ vipShare: 0.3 })).toContain('loyal_exclusive_offers');
    const a = action(loyal, 'loyal_exclusive_offers');
    expect(a?.reason.en).toBe('3 orders per customer vs 2 for everyone (×1.5); mean P(alive) 0.8; 5% VIP');
    expect(a?.reason.fr).toBe('3 commandes par client contre 2 pour l’ensemble (×1,5) ; P(actif) moyenne 0,8 ; 5\u00a0% VIP');
    expect(a).toMatchObject({ sendInDays: 7, date: '2026-03-09', channel: 'email' });
    expect(a?.title.en).toBe('Invite them to an exclusive offer (early access, loyalty tier, no blanket discount) by email on 9 March 2026');
    expect(a?.title.fr).toBe('Les inviter à une offre exclusive (avant-première, palier fidélité, sans remise générale) par e-mail le 9 mars 2026');
    expect(action({ ...loyal, timing: timing({ medianNextPurchaseDays: 30 }) }, 'loyal_exclusive_offers')?.date).toBe('2026-03-25');
  });

  it('win-back: a week before the predicted purchase, between 1 and 14 days out — never on the as-of date itself', () => {
    const lapsing = { lifecycle: { at_risk: 0.2, lapsed: 0.1, active: 0.7 } };
    expect(action({ ...lapsing, timing: timing({ medianNextPurchaseDays: 10 }) }, 'win_back_before_due')).toMatchObject({ sendInDays: 3, date: '2026-03-05' });
    expect(action({ ...lapsing, timing: timing({ medianNextPurchaseDays: 400 }) }, 'win_back_before_due')?.sendInDays).toBe(14);
    expect(action({ ...lapsing, timing: timing({ medianNextPurchaseDays: 2 }) }, 'win_back_before_due')).toMatchObject({ sendInDays: 1, date: '2026-03-03' });
    expect(action({ ...lapsing, timing: timing({ medianNextPurchaseDays: null }) }, 'win_back_before_due')?.sendInDays).toBe(7);
    expect(rules({ timing: timing({ meanPAlive: 0.3 }) })).toContain('win_back_before_due');
    expect(rules({ lifecycle: { at_risk: 0.29, active: 0.71 } })).not.toContain('win_back_before_due');
  });

  it('win-back follows the persona’s value: personal offer for high value, low-cost message for low value', () => {
    const lapsed = { lifecycle: { lapsed: 0.9, active: 0.1 } };
    expect(action({ ...lapsed, value: value({ revenuePerCustomer: 150 }) }, 'win_back_before_due')?.title.en).toMatch(/^Send a personal win-back offer/);
    expect(action({ ...lapsed, value: value({ averageOrderValue: 62.5 }) }, 'win_back_before_due')?.title.en).toMatch(/^Send a personal win-back offer/);
    const low = action({ ...lapsed, value: value({ revenuePerCustomer: 67 }) }, 'win_back_before_due');
    expect(low?.title.en).toMatch(/^Send a low-cost win-back message/);
    expect(low?.reason.en).toContain('revenue per customer €67.00 vs €100');
    expect(action(lapsed, 'win_back_before_due')?.title.en).toMatch(/^Send a win-back offer by email on /);
    // Small spend per customer but bigger baskets than everyone's (Online Retail): not "their past spend is small".
    expect(action({ ...lapsed, value: value({ revenuePerCustomer: 55, averageOrderValue: 56 }) }, 'win_back_before_due')?.title.en).toMatch(/^Send a win-back offer by email on /);
  });

  it('win-back for a persona that mostly still buys goes to its at-risk and lapsed customers only, after its growth actions', () => {
    // CDNOW's "Active Light Spenders": 61% active, 33% at risk, 6% lapsed, small baskets.
    const mostlyActive = { value: value({ averageOrderValue: 26, revenuePerCustomer: 67, repeatShare: 1 }), lifecycle: { active: 0.61, at_risk: 0.33, lapsed: 0.06 } };
    const { actions } = run(mostlyActive);
    expect(actions.map((a) => a.rule)).toEqual(['grow_basket', 'win_back_before_due']);
    const winBack = actions[1];
    expect(winBack?.priority).toBe(4);
    expect(winBack?.title.en).toMatch(/^Send its at-risk and lapsed customers a low-cost win-back message \(no discount: their past spend is small\) by email on /);
    expect(winBack?.title.fr).toMatch(/^Envoyer à ses clients à risque ou inactifs un message de reconquête peu coûteux /);
    expect(winBack?.reason.en).toMatch(/^39% at risk or lapsed/);
    // Half or more lapsing, or a low mean P(alive): the whole persona, first.
    const half = action({ ...mostlyActive, lifecycle: { active: 0.5, at_risk: 0.5 } }, 'win_back_before_due');
    expect(half?.priority).toBe(2);
    expect(half?.title.en).toMatch(/^Send a low-cost win-back message/);
    expect(action({ ...mostlyActive, timing: timing({ meanPAlive: 0.4 }) }, 'win_back_before_due')?.priority).toBe(2);
  });

  it('abandoned cart: significant cart effect ≥ 0.3 and a basket ≥ 1.1× everyone’s → a 24-hour reminder from the next day', () => {
    const cart = trait('abandoned_cart_value_30d', 0.4);
    expect(rules({ roles: { cart }, value: value({ averageOrderValue: 55 }) })).toContain('abandoned_cart_24h');
    expect(rules({ roles: { cart }, value: value({ averageOrderValue: 54 }) })).not.toContain('abandoned_cart_24h');
    expect(rules({ roles: { cart: trait('abandoned_cart_value_30d', 0.4, false) }, value: value({ averageOrderValue: 80 }) })).not.toContain('abandoned_cart_24h');
    // Far more abandoned carts than average is enough, even for a persona that has not bought yet.
    const reminder = action({ roles: { cart: trait('abandoned_cart_value_30d', 0.8) }, value: value({ averageOrderValue: null }) }, 'abandoned_cart_24h');
    expect(reminder).toMatchObject({ sendInDays: 1, date: '2026-03-03' });
    expect(reminder?.title.en).toBe('Switch on a reminder within 24 hours of each abandoned cart by email from 3 March 2026');
  });

  it('regular buyers with small baskets get a basket-building offer, not only a win-back like lapsed ones', () => {
    const small = { value: value({ averageOrderValue: 40, repeatShare: 0.6 }), lifecycle: { active: 0.6, at_risk: 0.4 } };
    const offer = action(small, 'grow_basket');
    expect(offer?.title.en).toBe('Send a basket-building offer (bundles, free delivery just above their usual basket) by email on 9 March 2026');
    expect(offer?.reason.en).toBe('average order value €40.00 vs €50.00; 60% bought more than once; 60% active');
    expect(rules({ ...small, value: value({ averageOrderValue: 40.1, repeatShare: 0.6 }) })).not.toContain('grow_basket');
    expect(rules({ ...small, value: value({ averageOrderValue: 40, repeatShare: 0.4 }) })).not.toContain('grow_basket');
    expect(rules({ ...small, lifecycle: { active: 0.4, lapsed: 0.6 } })).not.toContain('grow_basket');
  });

  it('onboarding for new customers; the next message 3 days before the predicted purchase', () => {
    expect(rules({ lifecycle: { new: 0.3, active: 0.7 } })[0]).toBe('onboarding_new');
    expect(rules({ roles: { tenure: trait('tenure_first_purchase_days', -0.6) } })).toContain('onboarding_new');
    const next = action({ timing: timing({ medianNextPurchaseDays: 20 }) }, 'time_by_next_purchase');
    expect(next).toMatchObject({ sendInDays: 17, date: '2026-03-19' });
    expect(next?.title.en).toBe('Send the next message by email on 19 March 2026');
    expect(next?.title.fr).toBe('Envoyer le prochain message par e-mail le 19 mars 2026');
    expect(action({ timing: timing({ medianNextPurchaseDays: 0.4 }) }, 'time_by_next_purchase')?.sendInDays).toBe(1);
  });

  it('consent growth only when consent records show few reachable; without consent records the rule lacks data', () => {
    const grow = action({ reach: { ...(base.reach as NonNullable<PlaybookFacts['reach']>), emailConsentShare: 0.39, smsConsentShare: 0.1 } }, 'grow_consent');
    expect(grow).toMatchObject({ channel: null, sendInDays: 1 });
    expect(grow?.title.en).toBe('Ask for email and SMS opt-ins (account, checkout, in-store) from 3 March 2026');
    const ordersOnly = run({ reach: null, lifecycle: { lapsed: 0.9, active: 0.1 } });
    expect(ordersOnly.actions.map((a) => a.rule)).toEqual(['win_back_before_due']);
    expect(ordersOnly.actions[0]?.channel).toBeNull();
    expect(ordersOnly.actions[0]?.title.en).toBe('Send a win-back offer on 16 March 2026');
    expect(ordersOnly.missing.map((m) => m.rule)).toContain('grow_consent');
  });
});

describe('seasonal personas are timed to their season', () => {
  it('the season opens on 1 November; within it, the next day; after 15 December, next year', () => {
    expect(daysToSeason('2026-03-02')).toBe(244);
    expect(daysToSeason('2026-10-31')).toBe(1);
    expect(daysToSeason('2026-11-01')).toBe(1);
    expect(daysToSeason('2026-12-14')).toBe(1);
    expect(daysToSeason('2025-12-31')).toBe(305);
  });

  it('gift buyers with most of their spend in November–December are not told to buy in March', () => {
    const gifts = { asOf: '2025-12-31', seasonal: true, value: value({ novDecSpendShare: 0.81 }), population: value({ novDecSpendShare: 0.35 }), timing: timing({ medianNextPurchaseDays: 69 }) };
    const { actions } = run(gifts);
    expect(actions.map((a) => a.rule)).toEqual(['seasonal_campaign']);
    expect(actions[0]).toMatchObject({ date: '2026-11-01', sendInDays: 305 });
    expect(actions[0]?.title.en).toBe('Start their holiday-season campaign (gift ideas, delivery dates) by email on 1 November 2026');
    expect(actions[0]?.title.fr).toBe('Lancer leur campagne des fêtes (idées cadeaux, dates de livraison) par e-mail le 1er novembre 2026');
    expect(actions[0]?.reason.en).toBe('on average 81% of their spend in November–December (35% for all customers)');
    // Lapsed seasonal customers are won back in their season, not in January.
    const winBack = action({ ...gifts, lifecycle: { lapsed: 0.7, active: 0.3 } }, 'win_back_before_due');
    expect(winBack?.date).toBe('2026-11-01');
  });

  it('every action of every rule is a verb with a date strictly after the as-of date', () => {
    const everything: Partial<PlaybookFacts> = {
      value: value({ ordersPerCustomer: 4, averageOrderValue: 60 }),
      lifecycle: { new: 0.4, at_risk: 0.3, lapsed: 0.3 },
      vipShare: 0.4,
      roles: { cart: trait('abandoned_cart_value_30d', 1), discount: trait('discount_share', 0.9), tenure: trait('tenure_first_purchase_days', -1) },
      reach: { emailConsentShare: 0.1, smsConsentShare: 0.1, emailEngagement: null, smsEngagement: null, bestChannel: 'email' },
      timing: timing({ medianNextPurchaseDays: 0 }),
    };
    for (const asOf of ['2026-03-02', '2026-11-20', '2026-12-31']) {
      for (const seasonal of [false, true]) {
        const { actions } = run({ ...everything, asOf, seasonal });
        expect(actions.length).toBeGreaterThanOrEqual(6);
        for (const a of actions) {
          expect(a.date > asOf, `${a.rule} ${a.date} after ${asOf}`).toBe(true);
          expect(a.sendInDays).toBeGreaterThanOrEqual(1);
          expect(a.title.en).toMatch(/^(Invite|Start|Switch on|Send|Ask)\b/);
          expect(a.title.fr).toMatch(/^(Les inviter|Lancer|Activer|Envoyer|Demander)\b/);
        }
      }
    }
  });
});
