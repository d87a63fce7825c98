import { describe, expect, it } from 'vitest';
import { backtestSample, subLedger } from '../../src/timing/backtest-sample.js';
import { SortedLedgerBuilder, type PurchaseLedger } from '../../src/timing/rfm-summary.js';

/** `n` customers c00000… with 1–3 purchases each, in the given order of customers. */
function ledger(ids: readonly string[]): PurchaseLedger {
  const builder = new SortedLedgerBuilder();
  for (const id of ids) {
    const k = Number(id.slice(1));
    for (let j = 0; j <= k % 3; j++) builder.add(id, 19_000 + 10 * j + (k % 7), 10 + k + j / 4);
  }
  return builder.finish();
}
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${String(i).padStart(5, '0')}`);

/** Each customer's days and amounts, by id. */
function purchases(l: PurchaseLedger): Map<string, [number[], number[]]> {
  return new Map(
    l.customerIds.map((id, k) => {
      const from = l.offsets[k] as number;
      const to = l.offsets[k + 1] as number;
      return [id, [Array.from(l.days.subarray(from, to)), Array.from(l.amounts.subarray(from, to))]];
    }),
  );
}

describe('backtestSample', () => {
  it('samples nobody out (undefined: the backtests grade every customer) when there are no more customers than the cap', () => {
    const l = ledger(ids(1500));
    expect(backtestSample(l, 1500, 7)).toBeUndefined();
    expect(backtestSample(l, 200_000, 7)).toBeUndefined();
    expect(backtestSample(ledger([]), 1000, 7)).toBeUndefined();
  });

  it('keeps exactly the cap, distinct customers of the ledger with their own purchases, in the ledger’s order', () => {
    const l = ledger(ids(5000));
    const sample = backtestSample(l, 1200, 7);
    expect(sample).toMatchObject({ customers: 1200, of: 5000 });
    const s = sample?.ledger as PurchaseLedger;
    expect(s.customerIds).toHaveLength(1200);
    expect(new Set(s.customerIds).size).toBe(1200);
    expect(s.customerIds).toEqual([...s.customerIds].sort());
    const all = purchases(l);
    for (const [id, own] of purchases(s)) expect(own).toEqual(all.get(id));
    expect(s.offsets[1200]).toBe(s.days.length);
  });

  it('is the same for the same seed whatever order the customers come in, and differs with the seed', () => {
    const sample = backtestSample(ledger(ids(5000)), 1000, 7)?.ledger.customerIds;
    const reversed = backtestSample(ledger(ids(5000).reverse()), 1000, 7)?.ledger.customerIds;
    expect([...(reversed ?? [])].sort()).toEqual(sample);
    expect(backtestSample(ledger(ids(5000)), 1000, 7)?.ledger.customerIds).toEqual(sample);
    expect(backtestSample(ledger(ids(5000)), 1000, 8)?.ledger.customerIds).not.toEqual(sample);
  });

  it('spreads over every customer rather than taking the first ones', () => {
    const sample = backtestSample(ledger(ids(10_000)), 2000, 7)?.ledger.customerIds ?? [];
    // Uniform sampling without replacement: each tenth of the ids holds 200 ± a few sd (sd ≈ 12.6).
    const perTenth = Array.from({ length: 10 }, (_, t) => sample.filter((id) => Math.floor(Number(id.slice(1)) / 1000) === t).length);
    for (const count of perTenth) expect(Math.abs(count - 200)).toBeLessThan(60);
  });
});

describe('subLedger', () => {
  it('is the ledger itself, value for value, when every customer is kept', () => {
    const l = ledger(ids(300));
    const s = subLedger(l, () => true);
    expect(s.customerIds).toEqual(l.customerIds);
    expect(s.offsets).toEqual(l.offsets);
    expect(s.days).toEqual(l.days);
    expect(s.amounts).toEqual(l.amounts);
  });
});
