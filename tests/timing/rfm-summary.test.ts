import { describe, expect, it } from 'vitest';
import { isPersonaeError } from '../../src/core/errors.js';
import { purchaseLedger, rfmSummary, SortedLedgerBuilder, withPositiveAge, type TransactionRow } from '../../src/timing/rfm-summary.js';
import { cdnowRows, cdnowSummary } from './cdnow.js';

const D0 = 10_000;
const log: TransactionRow[] = [
  { customerId: 'a', day: D0 + 14, amount: 30 },
  { customerId: 'a', day: D0, amount: 10 },
  { customerId: 'a', day: D0, amount: 5 }, // same day as the first: one transaction of 15
  { customerId: 'a', day: D0 + 7, amount: 20 },
  { customerId: 'a', day: D0 + 7, amount: -4 }, // a same-day refund line
  { customerId: 'a', day: D0 + 30, amount: 50 }, // holdout
  { customerId: 'b', day: D0 + 3, amount: 99 },
  { customerId: 'c', day: D0 + 25, amount: 12 }, // first seen after the calibration end
];

describe('rfmSummary', () => {
  it('builds x, t_x, T and mean repeat spend by hand on a tiny log (weeks)', () => {
    const s = rfmSummary(log, { calibrationEndDay: D0 + 20, holdoutEndDay: D0 + 41, timeUnit: 'week' });
    expect(s.customerIds).toEqual(['a', 'b']);
    expect([...s.frequency]).toEqual([2, 0]);
    expect(s.recency[0]).toBeCloseTo(2, 12);
    expect(s.recency[1]).toBe(0);
    expect(s.age[0]).toBeCloseTo(20 / 7, 12);
    expect(s.age[1]).toBeCloseTo(17 / 7, 12);
    expect(s.monetary[0]).toBeCloseTo((16 + 30) / 2, 12);
    expect(Number.isNaN(s.monetary[1])).toBe(true);
    expect([...s.holdoutFrequency]).toEqual([1, 0]);
    expect(s.holdoutLength).toBe(3);
    expect(s.excludedLateCustomers).toBe(1);
    expect(s.mergedRows).toBe(2);
    expect(s.calibrationEnd).toBe('1997-06-08'); // day 10000 is 1997-05-19
    // Repeat purchases by day for the cohort: days +7, +14 (calibration) and +30 (holdout).
    expect(s.dailyRepeats.startDay).toBe(D0);
    const days = [...s.dailyRepeats.counts.entries()].filter(([, c]) => c > 0).map(([d]) => d);
    expect(days).toEqual([7, 14, 30]);
  });

  it('measures in days when asked', () => {
    const s = rfmSummary(log, { calibrationEndDay: D0 + 20, timeUnit: 'day' });
    expect(s.recency[0]).toBe(14);
    expect(s.age[0]).toBe(20);
    expect(s.holdoutEnd).toBeNull();
    expect([...s.holdoutFrequency]).toEqual([0, 0]);
  });

  it('keeps only the customers with T > 0 for fitting', () => {
    const s = rfmSummary(log, { calibrationEndDay: D0 + 3, timeUnit: 'day' });
    expect([...s.age]).toEqual([3, 0]);
    const kept = withPositiveAge(s);
    expect(kept.customerIds).toEqual(['a']);
    expect([...kept.frequency]).toEqual([0]); // a's next purchase (day 7) is after the end
    expect(kept.firstDay).toEqual(Int32Array.of(D0));
    expect(withPositiveAge(kept)).toBe(kept);
  });

  it('reproduces the CDNOW summary invariants of the papers', () => {
    const s = cdnowSummary();
    let sumX = 0;
    let zeros = 0;
    let holdout = 0;
    let positive = 0;
    let minT = Infinity;
    let maxT = 0;
    s.frequency.forEach((x, i) => {
      sumX += x;
      if (x === 0) zeros++;
      else positive++;
      holdout += s.holdoutFrequency[i] as number;
      minT = Math.min(minT, s.age[i] as number);
      maxT = Math.max(maxT, s.age[i] as number);
    });
    expect(s.customerIds.length).toBe(2357);
    expect(sumX).toBe(2457);
    expect(zeros).toBe(1411);
    expect(positive).toBe(946);
    expect(holdout).toBe(1882);
    expect(minT).toBeCloseTo(27, 10);
    expect(maxT).toBeCloseTo(38.857, 3);
    expect(s.holdoutLength).toBe(39);
  });

  it('rejects a holdout that ends before the calibration and rows without a valid day or amount', () => {
    const call = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const e1 = call(() => rfmSummary(log, { calibrationEndDay: D0 + 20, holdoutEndDay: D0 + 10, timeUnit: 'day' }));
    expect(isPersonaeError(e1) && e1.message).toMatch(/must be after the calibration end/);
    const e2 = call(() => rfmSummary([{ customerId: 'z', day: 1.5, amount: 1 }], { calibrationEndDay: 10, timeUnit: 'day' }));
    expect(isPersonaeError(e2) && e2.message).toMatch(/transaction 1 \(customer z\)/);
    const e3 = call(() => rfmSummary([{ customerId: 'z', day: 1, amount: NaN }], { calibrationEndDay: 10, timeUnit: 'day' }));
    expect(isPersonaeError(e3) && e3.code).toBe('rfm.amount');
  });
});

describe('purchaseLedger', () => {
  it('packs each customer’s sorted days with same-day amounts summed, and serves every summary of the same rows', () => {
    const rows = [...log];
    const ledger = purchaseLedger(rows);
    expect(ledger.customerIds).toEqual(['a', 'b', 'c']);
    expect(Array.from(ledger.offsets)).toEqual([0, 4, 5, 6]);
    expect(Array.from(ledger.days)).toEqual([D0, D0 + 7, D0 + 14, D0 + 30, D0 + 3, D0 + 25]);
    expect(Array.from(ledger.amounts)).toEqual([15, 16, 30, 50, 99, 12]);
    expect(purchaseLedger(rows)).toBe(ledger);
    // Summaries at other dates from the kept ledger equal those of a fresh copy of the rows.
    for (const calibrationEndDay of [D0 + 3, D0 + 20, D0 + 40])
      expect(rfmSummary(rows, { calibrationEndDay, timeUnit: 'day' })).toEqual(rfmSummary([...log], { calibrationEndDay, timeUnit: 'day' }));
    // Rows added later are not missed.
    rows.push({ customerId: 'd', day: D0 + 1, amount: 1 });
    expect(rfmSummary(rows, { calibrationEndDay: D0 + 20, timeUnit: 'day' }).customerIds).toEqual(['a', 'b', 'd']);
  });
});

/** Rows in purchaseRows's order: by customer, day, amount (ids compare as in DuckDB for these ASCII ids). */
const sortedRows = (rows: readonly TransactionRow[]): TransactionRow[] =>
  [...rows].sort((p, q) => (p.customerId < q.customerId ? -1 : p.customerId > q.customerId ? 1 : p.day - q.day || p.amount - q.amount));

function built(rows: readonly TransactionRow[]): ReturnType<SortedLedgerBuilder['finish']> {
  const builder = new SortedLedgerBuilder();
  for (const r of rows) builder.add(r.customerId, r.day, r.amount);
  return builder.finish();
}

describe('SortedLedgerBuilder', () => {
  it('builds the ledger purchaseLedger builds from the same sorted rows, value for value', () => {
    const rows = sortedRows(log);
    const ledger = built(rows);
    expect(ledger.customerIds).toEqual(['a', 'b', 'c']);
    expect(Array.from(ledger.offsets)).toEqual([0, 4, 5, 6]);
    // a's 2 same-day lines (20 and -4) are summed in the order given: -4 + 20 = 16.
    expect(Array.from(ledger.amounts)).toEqual([15, 16, 30, 50, 99, 12]);
    expect(ledger).toEqual(purchaseLedger(rows));
  });

  it('equals purchaseLedger on the CDNOW sample (2,357 customers, growing its arrays past their first size)', () => {
    const rows = sortedRows(cdnowRows());
    const ledger = built(rows);
    const reference = purchaseLedger(rows);
    expect(ledger.customerIds).toEqual(reference.customerIds);
    expect(ledger.customerIds.length).toBe(2357);
    expect(ledger.rows).toBe(reference.rows);
    // Bit for bit: same-day sums in the same order.
    expect(Buffer.from(ledger.amounts.buffer).equals(Buffer.from(reference.amounts.buffer))).toBe(true);
    expect(Array.from(ledger.days)).toEqual(Array.from(reference.days));
    expect(Array.from(ledger.offsets)).toEqual(Array.from(reference.offsets));
    for (const calibrationEndDay of [10_100, 10_200, 10_400])
      expect(rfmSummary(ledger, { calibrationEndDay, timeUnit: 'week' })).toEqual(rfmSummary(rows, { calibrationEndDay, timeUnit: 'week' }));
  });

  it('refuses days out of order within a customer and rows without a date or amount, naming the row', () => {
    const builder = new SortedLedgerBuilder();
    builder.add('a', 5, 1);
    expect(() => builder.add('a', 4, 1)).toThrow(/transaction 2 \(customer a\): day 4 comes after day 5/);
    expect(() => new SortedLedgerBuilder().add('z', 1.5, 1)).toThrow(/transaction 1 \(customer z\) has no valid date/);
    expect(() => new SortedLedgerBuilder().add('z', 1, Number.NaN)).toThrow(/transaction 1 \(customer z\) has a non-numeric amount/);
  });
});
