import { describe, expect, it } from 'vitest';
import { kpiRows, type KpiCounts } from '../../src/campaigns/kpi-rows.js';
import { retireSuggestions } from '../../src/campaigns/retire-suggestions.js';

const counts = (over: Partial<KpiCounts>): KpiCounts => ({
  dimension: 'lifecycle',
  group: 'lapsed',
  label: null,
  channel: 'email',
  recipients: 300,
  sends: 1000,
  delivered: 980,
  matured: 980,
  opened: 100,
  clicked: 20,
  converted: 0,
  orders: 0,
  revenue: 0,
  unsubscribed: 3,
  revenues: [],
  ...over,
});

describe('retireSuggestions', () => {
  const rows = kpiRows(
    [
      counts({}),
      counts({ group: 'active', converted: 12, orders: 12, revenue: 600, revenues: new Array<number>(12).fill(50) }),
      counts({ group: 'new', delivered: 40, matured: 40, sends: 41 }),
      counts({ group: 'lapsed', channel: 'sms' }),
      counts({ dimension: 'campaign', group: 'email-0001' }),
    ],
    { minDelivered: 100, bootstrapSamples: 200, seed: 1 },
  );

  it('retires an email group with enough delivered sends and no credited order, with its evidence', () => {
    const suggestions = retireSuggestions(rows, []);
    expect(suggestions).toEqual([
      {
        kind: 'never_converts',
        dimension: 'lifecycle',
        group: 'lapsed',
        label: null,
        // Wilson upper end of 0 of 980: z² / (980 + z²) = 3.8415 / 983.8415.
        evidence: { delivered: 980, conversion_high: expect.closeTo(3.8415 / 983.8415, 5) as number },
      },
    ]);
  });

  it('retires a group of 50 members or more of whom under 10% were sent anything', () => {
    const suggestions = retireSuggestions([], [
      { dimension: 'rule_segment', group: 'no_email', label: null, members: 200, reached: 19 },
      { dimension: 'rule_segment', group: 'some_email', label: null, members: 200, reached: 20 },
      { dimension: 'persona', group: 'P9', label: 'Tiny', members: 49, reached: 0 },
    ]);
    expect(suggestions.map((s) => [s.kind, s.group, s.evidence])).toEqual([
      ['unreachable', 'no_email', { members: 200, reached: 19 }],
    ]);
  });
});
