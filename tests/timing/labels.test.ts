import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { MS_PER_DAY, parseIsoDate } from '../../src/core/time.js';
import { exec, queryRows, withConnection } from '../../src/io/duckdb.js';
import { ledgerLabels, timingLabels, timingLabelsSql } from '../../src/timing/labels.js';

const day = (iso: string): Date => parseIsoDate(iso) as Date;
const at = (iso: string, hour: number): Date => new Date(day(iso).getTime() + hour * 3_600_000);

describe('timingLabels', () => {
  const cutoff = day('2024-03-31');

  it('measures days from the cutoff, counts distinct purchase days, and censors at the window', () => {
    const labels = timingLabels(
      [
        // Cutoff day itself is in the past; next purchase on 2 April = day 2; 2 April twice counts once.
        [at('2024-03-31', 20), at('2024-04-02', 9), at('2024-04-02', 18), at('2024-04-30', 1)],
        // Nothing after the cutoff: censored at the window.
        [at('2024-01-05', 12)],
        // Last day of the window (day 30) is in; day 31 is out.
        [at('2024-05-01', 0), at('2024-04-30', 23)],
        [],
      ],
      { cutoff, windowDays: 30 },
    );
    expect(Array.from(labels.daysToNext)).toEqual([2, 30, 30, 30]);
    expect(Array.from(labels.event)).toEqual([1, 0, 1, 0]);
    expect(Array.from(labels.purchases)).toEqual([2, 0, 1, 0]);
    expect(labels.windowDays).toBe(30);
  });

  it('accepts epoch milliseconds and purchases in any order', () => {
    const labels = timingLabels([[at('2024-04-20', 5).getTime(), at('2024-04-10', 5).getTime()]], { cutoff, windowDays: 90 });
    expect(labels.daysToNext[0]).toBe(10);
  });

  it('refuses a window that runs past the data or is not a whole number of days', () => {
    expect(() => timingLabels([], { cutoff, windowDays: 90, dataEnd: day('2024-05-31') })).toThrow(/ends after the data \(last day 2024-05-31\)/);
    expect(() => timingLabels([], { cutoff, windowDays: 0 })).toThrow(/not a positive whole number/);
  });
});

describe('ledgerLabels', () => {
  it('gives the labels timingLabels gives from the same purchase days (random ledgers, customers without purchases)', () => {
    const rng = new Rng(11);
    const cutoff = day('2024-03-31');
    const cutoffDay = cutoff.getTime() / MS_PER_DAY;
    for (let trial = 0; trial < 20; trial++) {
      const customers = 1 + rng.int(40);
      const offsets = new Int32Array(customers + 1);
      const days: number[] = [];
      for (let k = 0; k < customers; k++) {
        // Distinct sorted days around the cutoff, as a ledger holds them.
        const own = [...new Set(Array.from({ length: rng.int(8) }, () => cutoffDay - 60 + rng.int(200)))].sort((a, b) => a - b);
        days.push(...own);
        offsets[k + 1] = days.length;
      }
      const ledger = { offsets, days: Int32Array.from(days) };
      const members = Int32Array.from({ length: 30 }, () => rng.int(customers + 1) - 1);
      const times = Array.from(members, (k) =>
        k < 0 ? [] : days.slice(offsets[k], offsets[k + 1]).map((d) => d * MS_PER_DAY + rng.int(MS_PER_DAY)),
      );
      for (const windowDays of [30, 90])
        expect(ledgerLabels(ledger, members, { cutoff, windowDays })).toEqual(timingLabels(times, { cutoff, windowDays }));
    }
  });
});

describe('timingLabelsSql', () => {
  it('gives the same labels as the pure function on random orders', async () => {
    const rng = new Rng(17);
    const start = day('2023-01-01').getTime();
    const cutoff = day('2023-09-30');
    const customers = Array.from({ length: 300 }, (_, c) => `c${String(c).padStart(3, '0')}`);
    const orders = customers.map(() =>
      Array.from({ length: 1 + rng.poisson(4) }, () => start + Math.floor(rng.uniform(0, 365 * MS_PER_DAY))),
    );
    const rows = orders.flatMap((times, c) => times.map((t) => `('${customers[c]}', TIMESTAMP '${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}')`));
    const sqlRows = await withConnection(async (connection) => {
      await exec(connection, 'CREATE TABLE orders (customer_id VARCHAR, ordered_at TIMESTAMP)');
      await exec(connection, `INSERT INTO orders VALUES ${rows.join(',')}`);
      return queryRows<{ customer_id: string; days_to_next: number; event: number; purchases: number }>(
        connection,
        timingLabelsSql({ cutoff, windowDays: 60 }),
      );
    });
    // The SQL labels customers with an order on or before the cutoff day.
    const known = customers.map((_, c) => (orders[c] ?? []).some((t) => Math.floor(t / MS_PER_DAY) <= Math.floor(cutoff.getTime() / MS_PER_DAY)));
    const pure = timingLabels(orders, { cutoff, windowDays: 60 });
    const expected = customers.flatMap((id, c) =>
      known[c] ? [{ customer_id: id, days_to_next: pure.daysToNext[c], event: pure.event[c], purchases: pure.purchases[c] }] : [],
    );
    expect(sqlRows.length).toBeGreaterThan(250);
    expect(sqlRows.some((r) => r.event === 1) && sqlRows.some((r) => r.event === 0)).toBe(true);
    expect(sqlRows).toEqual(expected);
  });
});
