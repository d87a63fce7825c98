import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignLifecycle, type LifecycleInput } from '../../src/segments/lifecycle.js';
import { scoreRfm } from '../../src/segments/rfm.js';

/** A fixture CSV row: the lifecycle input plus what the fixture knows about the customer's future. */
interface Row {
  input: LifecycleInput;
  cell: (name: string) => string;
  num: (name: string) => number | null;
  firstHoldoutDay: number | null;
}

function load(path: string): Row[] {
  const text = readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const cell = (name: string): string => cells[names.indexOf(name)] ?? '';
    const num = (name: string): number | null => (cell(name) === '' ? null : Number(cell(name)));
    return {
      input: {
        customerId: cell('customer_id'),
        daysSinceFirstPurchase: num('days_since_first_purchase'),
        daysSinceLastPurchase: num('days_since_last_purchase'),
        orders: num('orders') ?? 0,
        pAlive: num('p_alive') ?? 0,
        pBuy30: num('p_buy_30') ?? 0,
        nextPurchaseDays: num('next_purchase_days'),
        nextPurchaseHigh: num('next_purchase_high'),
        typicalIntervalDays: num('typical_interval_days'),
        clv: num('clv') ?? 0,
        monetary: num('monetary_total'),
        daysSinceLastEngagement: num('days_since_engagement'),
      },
      cell,
      num,
      firstHoldoutDay: num('holdout_first_purchase_after_days'),
    };
  });
}

/** Share of each group's customers who bought at all in the holdout, and within `days` of its start. */
function rates(rows: Row[], groupOf: (i: number) => string, days = 273) {
  const out = new Map<string, { n: number; bought: number }>();
  rows.forEach((r, i) => {
    const g = out.get(groupOf(i)) ?? { n: 0, bought: 0 };
    g.n += 1;
    if (r.firstHoldoutDay !== null && r.firstHoldoutDay <= days) g.bought += 1;
    out.set(groupOf(i), g);
  });
  return new Map([...out].map(([k, g]) => [k, { n: g.n, rate: g.bought / g.n }]));
}

// Real customers: the CDNOW sample at the 1997-09-30 calibration end with BG/NBD predictions, and what each
// customer did in the following 39 weeks (see tests/fixtures/segments-cdnow/PROVENANCE.md).
describe('lifecycle segments on CDNOW (real data, BG/NBD predictions)', () => {
  const rows = load('segments-cdnow/cdnow_bgnbd_predictions.csv');
  const life = assignLifecycle(rows.map((r) => r.input));

  it('orders segments by how many customers actually came back in the next 39 weeks', () => {
    expect(rows).toHaveLength(2357);
    const r = rates(rows, (i) => life[i]?.segment ?? '');
    const rate = (s: string) => r.get(s)?.rate ?? Number.NaN;
    // The cohort started in Q1 1997, so at 1997-09-30 nobody is new; the other purchasers' states all occur.
    expect([...r.keys()].sort()).toEqual(['active', 'at_risk', 'due', 'lapsed', 'win_back']);
    for (const s of ['active', 'at_risk', 'win_back', 'lapsed']) expect(r.get(s)?.n).toBeGreaterThan(100);
    expect(rate('due')).toBeGreaterThan(rate('active'));
    expect(rate('active')).toBeGreaterThan(rate('at_risk'));
    expect(rate('at_risk')).toBeGreaterThan(rate('win_back'));
    expect(rate('win_back')).toBeGreaterThan(rate('lapsed'));
    expect(rate('active')).toBeGreaterThan(3 * rate('lapsed'));
  });

  it('puts the customers BG/NBD thinks are gone, and silent one-time buyers, in lapsed or win-back', () => {
    rows.forEach((row, i) => {
      const segment = life[i]?.segment;
      if (row.input.pAlive < 0.3) expect(['lapsed', 'win_back']).toContain(segment);
      if (row.input.orders === 1 && (row.input.daysSinceLastPurchase ?? 0) > 180) {
        expect(['lapsed', 'win_back']).toContain(segment);
      }
    });
  });

  it('makes "due" customers buy within the window far more often than other active customers', () => {
    const inWindow = rates(rows, (i) => life[i]?.segment ?? '', 14);
    expect(inWindow.get('due')?.rate).toBeGreaterThan(3 * (inWindow.get('active')?.rate ?? 1));
  });

  it('gives VIPs (top 10% predicted CLV) a much higher return rate', () => {
    const r = rates(rows, (i) => (life[i]?.vip ? 'vip' : 'other'));
    const vip = r.get('vip');
    expect(vip?.n).toBeGreaterThanOrEqual(Math.ceil(0.1 * rows.length));
    expect(vip?.rate).toBeGreaterThan(3 * (r.get('other')?.rate ?? 1));
  });

  it('ranks RFM champions first and lost customers last', () => {
    const rfm = scoreRfm(
      rows.map((r) => ({
        customerId: r.input.customerId,
        daysSinceLastPurchase: r.input.daysSinceLastPurchase,
        frequency: r.input.orders,
        monetary: r.input.monetary ?? 0,
      })),
    );
    const r = rates(rows, (i) => rfm[i]?.group ?? '');
    const big = [...r].filter(([, g]) => g.n >= 50).sort((a, b) => b[1].rate - a[1].rate);
    expect(big[0]?.[0]).toBe('champions');
    expect(big.at(-1)?.[0]).toBe('lost');
    expect(r.get('champions')?.rate).toBeGreaterThan(r.get('loyal')?.rate ?? 1);
  });
});

// Generated customers with planted truth: features from `personae run`, BG/NBD predictions, and the
// generator's ground truth (see tests/fixtures/segments-generated/PROVENANCE.md).
describe('lifecycle segments on generated data (planted truth)', () => {
  const rows = load('segments-generated/lifecycle_inputs.csv');
  const life = assignLifecycle(rows.map((r) => r.input));
  const shareIn = (keep: (r: Row) => boolean, segments: readonly string[]) => {
    const picked = rows.flatMap((r, i) => (keep(r) ? [life[i]?.segment ?? ''] : []));
    return { n: picked.length, share: picked.filter((s) => segments.includes(s)).length / picked.length };
  };

  it('puts most customers planted as dropped out in lapsed or win-back', () => {
    const dropped = shareIn((r) => r.cell('truth_alive_at_end') === 'false', ['lapsed', 'win_back']);
    const alive = shareIn((r) => r.cell('truth_alive_at_end') === 'true', ['lapsed', 'win_back']);
    expect(dropped.n).toBeGreaterThan(1000);
    expect(dropped.share).toBeGreaterThan(0.6);
    expect(alive.share).toBeLessThan(0.2);
    const lapsingPersona = shareIn((r) => r.cell('truth_persona') === 'lapsing', ['lapsed', 'win_back']);
    expect(lapsingPersona.share).toBeGreaterThan(0.6);
  });

  it('puts customers whose first order is at most 30 days old in new', () => {
    const recent = shareIn((r) => (r.num('truth_first_order_days_ago') ?? Infinity) <= 30, ['new']);
    expect(recent.n).toBeGreaterThan(50);
    expect(recent.share).toBeGreaterThan(0.9);
    const older = shareIn((r) => (r.num('truth_first_order_days_ago') ?? 0) > 31, ['new']);
    // A few are new because their first order was cancelled: their first purchase is recent.
    expect(older.share).toBeLessThan(0.01);
  });
});
