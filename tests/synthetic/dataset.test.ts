import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../src/core/time.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { PERSONAS } from '../../src/synthetic/personas.js';
import { groupBy, ms, readCsv, tempDir } from './helpers.js';

type Row = Record<string, string>;
const N = 1500;
const END_MS = Date.UTC(2026, 0, 1);
let truth: Row[];
let orders: Row[];
let events: Row[];
let consent: Row[];
let zeroParty: Row[];
let customers: Row[];
let erasure: Row[];
let personaOf: Map<string, string>;

beforeAll(async () => {
  const dir = tempDir('dataset');
  await writeDataset({ customers: N, seed: 42 }, dir);
  truth = readCsv(join(dir, 'truth', 'ground_truth.csv'));
  orders = readCsv(join(dir, 'orders.csv'));
  events = readCsv(join(dir, 'events.csv'));
  consent = readCsv(join(dir, 'consent.csv'));
  zeroParty = readCsv(join(dir, 'zero_party.csv'));
  customers = readCsv(join(dir, 'customers.csv'));
  erasure = readCsv(join(dir, 'erasure.csv'));
  personaOf = new Map(truth.map((t) => [t.customer_id as string, t.persona as string]));
});

function byPersona<T extends Row>(rows: readonly T[]): Map<string, T[]> {
  return groupBy(rows, (r) => personaOf.get(r.customer_id as string) ?? 'unknown');
}

function share<T>(rows: readonly T[], predicate: (row: T) => boolean): number {
  return rows.filter(predicate).length / rows.length;
}

describe('planted personas', () => {
  it('plants every persona with roughly its declared share', () => {
    const counts = groupBy(truth, (t) => t.persona as string);
    for (const p of PERSONAS) {
      const n = counts.get(p.key)?.length ?? 0;
      // Binomial sd at N = 2000 is at most 0.011: allow 4 sd.
      expect(Math.abs(n / N - p.share)).toBeLessThan(0.045);
    }
    expect(counts.size).toBe(PERSONAS.length);
  });

  it('seasonal gifters buy in Nov–Dec far more than anyone else', () => {
    const groups = byPersona(orders);
    const novDec = (rows: Row[]): number =>
      share(rows, (o) => new Date(ms(o.ordered_at as string)).getUTCMonth() >= 10);
    const gifters = novDec(groups.get('seasonal_gifter') ?? []);
    expect(gifters).toBeGreaterThan(0.65);
    for (const key of ['loyal_premium', 'bargain_hunter', 'window_shopper', 'lapsing']) {
      expect(novDec(groups.get(key) ?? [])).toBeLessThan(0.35);
    }
  });

  it('new app-first customers signed up recently and order mostly in the app', () => {
    const appFirst = truth.filter((t) => t.persona === 'new_app_first');
    for (const t of appFirst)
      expect(END_MS - ms(t.created_at as string)).toBeLessThanOrEqual(200 * MS_PER_DAY);
    const groups = byPersona(orders);
    expect(share(groups.get('new_app_first') ?? [], (o) => o.channel === 'app')).toBeGreaterThan(0.75);
    for (const key of ['loyal_premium', 'seasonal_gifter', 'window_shopper', 'lapsing']) {
      expect(share(groups.get(key) ?? [], (o) => o.channel === 'app')).toBeLessThan(0.3);
    }
  });

  it('window shoppers fill many carts per order; others about one or two', () => {
    const carts = byPersona(events.filter((e) => e.type === 'add_to_cart'));
    const orderGroups = byPersona(orders);
    const perOrder = (key: string): number =>
      (carts.get(key)?.length ?? 0) / (orderGroups.get(key)?.length ?? 1);
    expect(perOrder('window_shopper')).toBeGreaterThan(10);
    for (const key of ['loyal_premium', 'bargain_hunter', 'seasonal_gifter', 'new_app_first', 'lapsing']) {
      expect(perOrder(key)).toBeLessThan(3);
    }
  });

  it('loyal premium customers buy often, at high baskets, without discounts; bargain hunters the opposite', () => {
    const groups = byPersona(orders);
    const loyal = groups.get('loyal_premium') ?? [];
    const bargain = groups.get('bargain_hunter') ?? [];
    const mean = (rows: Row[], col: string): number =>
      rows.reduce((s, r) => s + Number(r[col]), 0) / rows.length;
    expect(mean(loyal, 'amount')).toBeGreaterThan(3 * mean(bargain, 'amount'));
    expect(share(loyal, (o) => Number(o.discount_amount) > 0)).toBeLessThan(0.15);
    expect(share(bargain, (o) => Number(o.discount_amount) > 0)).toBeGreaterThan(0.75);
    const customersOf = groupBy(truth, (t) => t.persona as string);
    const perCustomer = (key: string): number =>
      (groups.get(key)?.length ?? 0) / (customersOf.get(key)?.length ?? 1);
    for (const key of ['bargain_hunter', 'seasonal_gifter', 'new_app_first', 'window_shopper', 'lapsing']) {
      expect(perCustomer('loyal_premium')).toBeGreaterThan(2 * perCustomer(key));
    }
  });

  it('lapsing customers have mostly dropped out by the end; loyal ones mostly have not', () => {
    const groups = groupBy(truth, (t) => t.persona as string);
    const alive = (key: string): number => share(groups.get(key) ?? [], (t) => t.alive_at_end === 'true');
    expect(alive('lapsing')).toBeLessThan(0.3);
    expect(alive('loyal_premium')).toBeGreaterThan(0.55);
    expect(alive('new_app_first')).toBeGreaterThan(0.7);
  });

  it('declared answers differ by persona as planted', () => {
    const answers = byPersona(zeroParty);
    const topAnswer = (key: string, question: string): string => {
      const counts = groupBy(
        (answers.get(key) ?? []).filter((a) => a.question === question),
        (a) => a.answer as string,
      );
      return [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0] ?? '';
    };
    expect(topAnswer('loyal_premium', 'price_sensitivity')).toBe('low');
    expect(topAnswer('bargain_hunter', 'price_sensitivity')).toBe('high');
    expect(topAnswer('bargain_hunter', 'shopping_goal')).toBe('deals');
    expect(topAnswer('seasonal_gifter', 'shopping_goal')).toBe('gifts');
    expect(topAnswer('new_app_first', 'preferred_channel')).toBe('app');
    expect(topAnswer('window_shopper', 'shopping_goal')).toBe('inspiration');
    const birthYears = (key: string): number[] =>
      (answers.get(key) ?? []).filter((a) => a.question === 'birth_year').map((a) => Number(a.answer));
    const meanYear = (key: string): number =>
      birthYears(key).reduce((s, y) => s + y, 0) / birthYears(key).length;
    expect(meanYear('new_app_first') - meanYear('loyal_premium')).toBeGreaterThan(15);
    for (const y of zeroParty.filter((a) => a.question === 'birth_year').map((a) => Number(a.answer))) {
      expect(y).toBeGreaterThanOrEqual(1935);
      expect(y).toBeLessThanOrEqual(2007);
    }
  });
});

describe('purchase timing truth', () => {
  it('orders agree with the ground truth: count, first/last dates, nothing after dropout or erasure', () => {
    const ordersOf = groupBy(orders, (o) => o.customer_id as string);
    for (const t of truth) {
      const mine = ordersOf.get(t.customer_id as string) ?? [];
      expect(mine.length).toBe(Number(t.orders));
      if (mine.length === 0) continue;
      expect(mine[0]?.ordered_at).toBe(t.first_order_at);
      expect(mine[mine.length - 1]?.ordered_at).toBe(t.last_order_at);
      const created = ms(t.created_at as string);
      const stop = t.erasure_requested_at ? ms(t.erasure_requested_at) : END_MS;
      expect(
        mine.filter((o) => ms(o.ordered_at as string) < created || ms(o.ordered_at as string) >= stop),
      ).toEqual([]);
      if (t.alive_at_end === 'false') expect(t.last_order_at).toBe(t.dropped_out_at);
    }
  });

  it('repeat purchases of active loyal customers match their drawn rates (Σ orders ≈ Σ λ·exposure)', () => {
    // Loyal customers barely drop out; their retail seasonality averages to 1 over whole years.
    const loyal = truth.filter(
      (t) => t.persona === 'loyal_premium' && t.alive_at_end === 'true' && t.first_order_at,
    );
    let observed = 0;
    let expected = 0;
    for (const t of loyal) {
      const exposureYears = (END_MS - ms(t.first_order_at as string)) / (365.25 * MS_PER_DAY);
      if (exposureYears < 1) continue;
      observed += Number(t.orders) - 1;
      expected += Number(t.purchase_rate_per_year) * exposureYears;
    }
    expect(expected).toBeGreaterThan(1000);
    expect(observed / expected).toBeGreaterThan(0.9);
    expect(observed / expected).toBeLessThan(1.1);
  });

  it('follows the same process one year past the end: Σ next-year purchases ≈ Σ λ of active customers', () => {
    const active = truth.filter((t) => t.alive_at_end === 'true' && !t.erasure_requested_at);
    const observed = active.reduce((s, t) => s + Number(t.purchases_next_365d), 0);
    const expected = active.reduce((s, t) => s + Number(t.purchase_rate_per_year), 0);
    // Over a whole year every seasonality averages 1; dropout after future purchases removes a little.
    expect(observed / expected).toBeGreaterThan(0.8);
    expect(observed / expected).toBeLessThan(1.05);
    const inactive = truth.filter((t) => t.alive_at_end === 'false' || t.erasure_requested_at);
    expect(inactive.filter((t) => t.purchases_next_365d !== '0' || t.next_purchase_at !== '')).toEqual([]);
    const next = truth.filter((t) => t.next_purchase_at).map((t) => ms(t.next_purchase_at as string));
    expect(next.length).toBeGreaterThan(N / 4);
    expect(Math.min(...next)).toBeGreaterThanOrEqual(END_MS);
    expect(Math.max(...next)).toBeLessThan(END_MS + 365 * MS_PER_DAY);
  });

  it('engagement precedes purchases: most orders have a session in the 3 days before, few a week after', () => {
    const sessionsOf = groupBy(
      events.filter((e) => e.type === 'session_start'),
      (e) => e.customer_id as string,
    );
    let before = 0;
    let after = 0;
    for (const o of orders) {
      const t = ms(o.ordered_at as string);
      const sessions = (sessionsOf.get(o.customer_id as string) ?? []).map((e) =>
        ms(e.occurred_at as string),
      );
      if (sessions.some((s) => s <= t && s >= t - 3 * MS_PER_DAY)) before++;
      if (sessions.some((s) => s >= t + 4 * MS_PER_DAY && s <= t + 7 * MS_PER_DAY)) after++;
    }
    expect(before / orders.length).toBeGreaterThan(0.75);
    expect(after / orders.length).toBeLessThan(0.3);
    // Every online checkout is followed by its order within minutes.
    const checkouts = events.filter((e) => e.type === 'checkout_start').length;
    expect(checkouts / orders.length).toBeGreaterThan(0.7);
  });

  it('keeps every row inside the history window and after signup − 3 days', () => {
    const createdOf = new Map(customers.map((c) => [c.customer_id as string, ms(c.created_at as string)]));
    const outside = events.filter((e) => {
      const t = ms(e.occurred_at as string);
      return !(t < END_MS && t >= (createdOf.get(e.customer_id as string) as number) - 3 * MS_PER_DAY);
    });
    expect(outside).toEqual([]);
  });
});

describe('consent and erasure', () => {
  it('has a realistic mix: never asked, granted, withdrawn later, email-only, SMS-only, both', () => {
    const profiles = groupBy(truth, (t) => t.consent_profile as string);
    const frac = (key: string): number => (profiles.get(key)?.length ?? 0) / N;
    expect(frac('never_asked')).toBeGreaterThan(0.04);
    expect(frac('never_asked')).toBeLessThan(0.1);
    expect(frac('email_only')).toBeGreaterThan(0.15);
    expect(frac('sms_only')).toBeGreaterThan(0.05);
    expect(frac('email_and_sms')).toBeGreaterThan(0.25);
    expect(frac('profiling_withdrawn_later')).toBeGreaterThan(0.04);
    const recordsOf = groupBy(consent, (c) => c.customer_id as string);
    for (const t of profiles.get('never_asked') ?? [])
      expect(recordsOf.has(t.customer_id as string)).toBe(false);
    const withdrawnAtEnd = share(truth, (t) => t.profiling_at_end === 'withdrawn');
    expect(withdrawnAtEnd).toBeGreaterThan(0.07);
    expect(withdrawnAtEnd).toBeLessThan(0.2);
    const withHistory = [...recordsOf.values()];
    expect(withHistory.reduce((s, r) => s + r.length, 0) / withHistory.length).toBeGreaterThan(2);
    expect(share(withHistory, (r) => r.length >= 3)).toBeGreaterThan(0.3);
  });

  it('consent.csv replays to the statuses recorded in the truth (latest record per purpose wins)', () => {
    const recordsOf = groupBy(consent, (c) => c.customer_id as string);
    for (const t of truth) {
      const records = recordsOf.get(t.customer_id as string) ?? [];
      for (const purpose of ['profiling', 'email', 'sms']) {
        const latest = records.filter((r) => r.purpose === purpose).at(-1);
        expect(latest?.status ?? 'none').toBe(t[`${purpose}_at_end`]);
      }
    }
  });

  it('emails go only to customers whose email consent is granted at send time', () => {
    const recordsOf = groupBy(consent, (c) => c.customer_id as string);
    const sends = events.filter((x) => x.type === 'email_sent' || x.type === 'sms_sent');
    const unconsented = sends.filter((e) => {
      const purpose = e.type === 'email_sent' ? 'email' : 'sms';
      const at = e.occurred_at as string;
      const latest = (recordsOf.get(e.customer_id as string) ?? [])
        .filter((r) => r.purpose === purpose && (r.recorded_at as string) <= at)
        .at(-1);
      return latest?.status !== 'granted';
    });
    expect(sends.length).toBeGreaterThan(10 * N);
    expect(unconsented).toEqual([]);
  });

  it('has about 0.5% erasure requests, of known customers, with no activity after the request', () => {
    expect(erasure.length).toBeGreaterThanOrEqual(3);
    expect(erasure.length).toBeLessThanOrEqual(25);
    const ids = new Set(customers.map((c) => c.customer_id));
    const eventsOf = groupBy(events, (e) => e.customer_id as string);
    for (const r of erasure) {
      expect(ids.has(r.customer_id)).toBe(true);
      for (const e of eventsOf.get(r.customer_id as string) ?? []) {
        expect(ms(e.occurred_at as string)).toBeLessThan(ms(r.requested_at as string));
      }
    }
  });

  it('customers carry plausible fake PII on reserved example domains', () => {
    const implausible = customers.filter(
      (c) =>
        !/^[a-z0-9._]+@example\.(com|org|net)$/.test(c.email as string) ||
        !/^\+\d{10,13}$/.test(c.phone as string) ||
        !['FR', 'DE', 'ES', 'IT', 'BE', 'NL'].includes(c.country as string) ||
        !['desktop', 'mobile', 'tablet'].includes(c.device as string) ||
        !c.first_name ||
        !c.city,
    );
    expect(customers.length).toBe(N);
    expect(implausible).toEqual([]);
  });
});
