import { describe, expect, it } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import {
  assignLifecycle,
  classifyLifecycle,
  lifecycleAssignment,
  lifecycleDecision,
  lifecycleSegmentAt,
  LIFECYCLE_RULES,
  LIFECYCLE_SEGMENTS,
  topShareCutoff,
  type LifecycleAssignment,
  type LifecycleInput,
} from '../../src/segments/lifecycle.js';
import { quantileSorted } from '../../src/segments/reason.js';

/** A repeat customer on rhythm: bought 20 days ago, buys every 60 days, next purchase in 40 days. */
function customer(customerId: string, over: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    customerId,
    daysSinceFirstPurchase: 400,
    daysSinceLastPurchase: 20,
    orders: 5,
    pAlive: 0.9,
    pBuy30: 0.4,
    nextPurchaseDays: 40,
    nextPurchaseHigh: 90,
    typicalIntervalDays: 60,
    clv: 100,
    monetary: 200,
    ...over,
  };
}

const oneOrder = (days: number): Partial<LifecycleInput> => ({
  orders: 1,
  daysSinceFirstPurchase: days,
  daysSinceLastPurchase: days,
  typicalIntervalDays: null,
});

// Purchasers' spend, sorted: 30 30 30 35 40 50 200 200 200 200 210 1000 1000 → 75th percentile (type 7):
// h = 12 × 0.75 = 9 → the 10th value, 200.
// Purchasers' CLV: 900, 800, 800, then ≤ 300 → top 10% of 13 = ceil(1.3) = 2nd largest = 800 (tie: 3 VIPs).
const population: LifecycleInput[] = [
  customer('prospect', {
    orders: 0,
    daysSinceFirstPurchase: null,
    daysSinceLastPurchase: null,
    typicalIntervalDays: null,
    nextPurchaseDays: null,
    nextPurchaseHigh: null,
    clv: 5000,
    monetary: 0,
  }),
  customer('new', { ...oneOrder(12), nextPurchaseDays: 50, monetary: 30, clv: 50 }),
  customer('active', { monetary: 210, clv: 900 }),
  customer('due', { nextPurchaseDays: 6, nextPurchaseHigh: 20, clv: 800 }),
  customer('at_risk_rhythm', { daysSinceLastPurchase: 100, clv: 800 }),
  customer('at_risk_single', { ...oneOrder(120), monetary: 30 }),
  customer('lapsed_p_alive', { pAlive: 0.12, daysSinceLastPurchase: 200, monetary: 50 }),
  customer('lapsed_silence', { ...oneOrder(400), pAlive: 1, monetary: 30 }),
  customer('lapsed_silence_repeat', { pAlive: 0.5, daysSinceLastPurchase: 400, monetary: 35 }),
  customer('win_back_value', { pAlive: 0.1, daysSinceLastPurchase: 300, monetary: 1000 }),
  customer('win_back_engaged', {
    pAlive: 0.2,
    daysSinceLastPurchase: 300,
    monetary: 40,
    daysSinceLastEngagement: 5,
  }),
  customer('lapsed_too_old', {
    pAlive: 0.05,
    daysSinceLastPurchase: 800,
    daysSinceFirstPurchase: 1500,
    monetary: 1000,
  }),
  customer('reactivated', { previousSegment: 'lapsed', daysSinceLastPurchase: 5 }),
  customer('bought_before_last_run', { previousSegment: 'win_back', daysSinceLastPurchase: 10 }),
];

function byId(result: LifecycleAssignment[]): Map<string, LifecycleAssignment> {
  return new Map(result.map((a) => [a.customerId, a]));
}

describe('assignLifecycle', () => {
  const result = byId(assignLifecycle(population, {}, { daysSincePreviousRun: 7 }));
  const get = (id: string) => result.get(id) as LifecycleAssignment;

  it('puts every hand-built customer in the expected state with the rule that fired', () => {
    const expected: Record<string, [string, string]> = {
      prospect: ['prospect', 'no_purchase'],
      new: ['new', 'first_purchase_recent'],
      active: ['active', 'steady'],
      due: ['due', 'next_purchase_soon'],
      at_risk_rhythm: ['at_risk', 'overdue_rhythm'],
      at_risk_single: ['at_risk', 'overdue_first_repeat'],
      lapsed_p_alive: ['lapsed', 'p_alive_low'],
      lapsed_silence: ['lapsed', 'long_silence'],
      lapsed_silence_repeat: ['lapsed', 'long_silence'],
      win_back_value: ['win_back', 'lapsed_high_value'],
      win_back_engaged: ['win_back', 'lapsed_recently_engaged'],
      lapsed_too_old: ['lapsed', 'p_alive_low'],
      reactivated: ['reactivated', 'bought_after_lapse'],
      bought_before_last_run: ['active', 'steady'],
    };
    for (const [id, [segment, rule]] of Object.entries(expected)) {
      expect([id, get(id).segment, get(id).reason.rule]).toEqual([id, segment, rule]);
    }
    const covered = new Set([...result.values()].map((a) => a.segment));
    expect([...covered].sort()).toEqual([...LIFECYCLE_SEGMENTS].sort());
  });

  it('explains each decision with the numbers, in English and French', () => {
    expect(get('prospect').reason.text.en).toBe('no completed purchase yet');
    expect(get('new').reason.text.en).toBe('first purchase 12 days ago ≤ 30');
    expect(get('active').reason.text.en).toBe(
      'P(alive) 0.90, P(buy 30d) 0.40, next purchase expected in 40 days',
    );
    expect(get('due').reason.text.en).toBe('next purchase expected in 6 days ≤ 14 (interval up to 20 days)');
    // limit = 1.61 × 60 = 96.6 days
    expect(get('at_risk_rhythm').reason.text.en).toBe(
      'no purchase for 100 days > 97 (1.61 × typical interval of 60 days)',
    );
    expect(get('at_risk_rhythm').reason.values.limit_days).toBeCloseTo(96.6, 10);
    expect(get('at_risk_single').reason.text.en).toBe('one purchase only, 120 days ago > 90');
    expect(get('lapsed_p_alive').reason.text.en).toBe('P(alive) 0.12 < 0.30');
    expect(get('lapsed_p_alive').reason.text.fr).toBe('P(alive) 0,12 < 0,30');
    expect(get('lapsed_p_alive').reason.values).toEqual({ p_alive: 0.12, threshold: 0.3, signal: 'p_alive' });
    expect(get('lapsed_silence').reason.text.en).toBe('one purchase only, 400 days ago > 180');
    expect(get('lapsed_silence_repeat').reason.text.en).toBe('no purchase for 400 days > 365');
    expect(get('lapsed_silence_repeat').reason.text.fr).toBe('aucun achat depuis 400 jours > 365');
    expect(get('win_back_value').reason.text.en).toBe(
      'lapsed (P(alive) 0.10 < 0.30) but past spend 1000.00 ≥ 200.00 (75th percentile)',
    );
    expect(get('win_back_value').reason.values.spend_cutoff).toBe(200);
    expect(get('win_back_engaged').reason.text.en).toBe(
      'lapsed (P(alive) 0.20 < 0.30) but engaged 5 days ago ≤ 30',
    );
    expect(get('reactivated').reason.text.en).toBe(
      'lapsed at the previous run (7 days ago), bought again 5 days ago',
    );
    expect(get('reactivated').reason.text.fr).toBe(
      'inactif au run précédent (il y a 7 jours), a racheté il y a 5 jours',
    );
  });

  it('gives the VIP overlay to the top 10% of purchasers by CLV, ties included, never to prospects', () => {
    const vips = [...result.values()]
      .filter((a) => a.vip)
      .map((a) => a.customerId)
      .sort();
    expect(vips).toEqual(['active', 'at_risk_rhythm', 'due']);
    expect(get('active').vipReason?.text.en).toBe('predicted CLV 900.00 ≥ 800.00 (top 10%)');
    expect(get('new').vipReason?.text.en).toBe('predicted CLV 50.00 < 800.00 (outside the top 10%)');
    expect(get('prospect').vip).toBe(false);
    expect(get('prospect').vipReason).toBeNull();
  });

  it('uses the reactivation window setting when the previous run date is unknown', () => {
    const r = byId(assignLifecycle(population, { reactivated_within_days: 15 }));
    expect(r.get('bought_before_last_run')?.segment).toBe('reactivated');
    expect(r.get('bought_before_last_run')?.reason.text.en).toBe(
      'win-back at the previous run, bought again 10 days ago < 15',
    );
  });

  it('follows the thresholds of the settings', () => {
    const r = byId(
      assignLifecycle(population, { lapsed_p_alive: 0.1, due_within_days: 5, new_within_days: 10 }),
    );
    expect(r.get('lapsed_p_alive')?.segment).toBe('at_risk'); // 0.12 ≥ 0.10, 200 days > 96.6
    expect(r.get('due')?.segment).toBe('active'); // 6 days > 5
    expect(r.get('new')?.segment).toBe('active'); // 12 days > 10, one order 12 days ago ≤ 90
    expect(r.get('win_back_engaged')?.segment).toBe('at_risk');
  });

  it('does not depend on the order of the customers', () => {
    const shuffled = [...population].reverse();
    const again = byId(assignLifecycle(shuffled, {}, { daysSincePreviousRun: 7 }));
    for (const [id, a] of result) expect(again.get(id)).toEqual(a);
  });

  it('lists the rules in evaluation order, the catch-all last', () => {
    expect(LIFECYCLE_RULES.map((r) => r.rule)).toEqual([
      'no_purchase',
      'bought_after_lapse',
      'first_purchase_recent',
      'lapsed_high_value',
      'lapsed_recently_engaged',
      'p_alive_low',
      'long_silence',
      'overdue_rhythm',
      'overdue_first_repeat',
      'next_purchase_soon',
      'steady',
    ]);
    expect(new Set(LIFECYCLE_RULES.map((r) => r.segment))).toEqual(new Set(LIFECYCLE_SEGMENTS));
    for (const r of LIFECYCLE_RULES) expect(r.condition.length).toBeGreaterThan(10);
  });

  it('rejects impossible inputs and settings with errors naming the customer or the setting', () => {
    expect(() => assignLifecycle([customer('x', { pAlive: 1.3 })])).toThrow(
      /customer "x"\): pAlive is 1.3, expected a probability/,
    );
    expect(() => assignLifecycle([customer('x'), customer('x')])).toThrow(/appears twice/);
    expect(() => assignLifecycle([customer('x', { orders: 1.5 })])).toThrow(PersonaeError);
    expect(() => assignLifecycle([], { lapsed_p_alive: 1.5 })).toThrow(/segments\.lifecycle\.lapsed_p_alive/);
    expect(() => assignLifecycle([], { at_risk_single_order_days: 200 })).toThrow(
      /at_risk_single_order_days: must be below lapsed_single_order_days \(180\)/,
    );
    expect(() => assignLifecycle([], { win_back_max_days: 300 })).toThrow(/win_back_max_days: must exceed/);
  });
});

describe('classifyLifecycle (typed columns, reasons rebuilt when read)', () => {
  it('decides as assignLifecycle does, holding a byte per customer for the rule and one for VIP', () => {
    // Inputs built anew on every call, as the runner builds them from the features and predictions.
    const inputAt = (i: number): LifecycleInput => ({ ...(population[i] as LifecycleInput) });
    const table = classifyLifecycle(population.length, inputAt, {}, { daysSincePreviousRun: 7 });
    expect(table.rule).toBeInstanceOf(Uint8Array);
    expect(table.rule.length).toBe(population.length);
    const whole = assignLifecycle(population, {}, { daysSincePreviousRun: 7 });
    expect(population.map((_, i) => lifecycleAssignment(table, i, inputAt(i)))).toEqual(whole);
    expect(population.map((_, i) => lifecycleSegmentAt(table, i))).toEqual(whole.map((a) => a.segment));
    expect(Array.from(table.vip, (v) => v === 1)).toEqual(whole.map((a) => a.vip));
    expect(population.map((_, i) => lifecycleDecision(table, i, inputAt(i)))).toEqual(
      whole.map(({ vipReason: _vipReason, ...decision }) => decision),
    );
  });

  it('refuses to rebuild a reason from an input that is not the one classified', () => {
    const table = classifyLifecycle(population.length, (i) => population[i] as LifecycleInput);
    const prospect = population.findIndex((c) => c.customerId === 'prospect');
    expect(() => lifecycleAssignment(table, prospect, population[prospect + 1] as LifecycleInput)).toThrow(
      /is not the one classified/,
    );
  });
});

describe('quantileSorted', () => {
  it('interpolates between order statistics (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12); // h = 2.25
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([7], 0.5)).toBe(7);
  });
});

describe('topShareCutoff', () => {
  it('returns the ceil(share·n)-th largest value', () => {
    expect(topShareCutoff([5, 1, 9, 7, 3], 0.4)).toBe(7);
    expect(topShareCutoff([5, 1, 9, 7, 3], 0.01)).toBe(9);
    expect(topShareCutoff([5, 1, 9, 7, 3], 1)).toBe(1);
    expect(topShareCutoff([], 0.1)).toBeNull();
  });
});
