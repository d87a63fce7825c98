import { describe, expect, it } from 'vitest';
import { exec, queryRows, tableColumns, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { AS_OF, loadTinyFixture } from './tiny-fixture.js';

type Row = Record<string, unknown>;

async function features(connection: DuckDBConnection): Promise<Record<string, Row>> {
  const rows = await queryRows<Row>(connection, 'SELECT * FROM features ORDER BY customer_id');
  return Object.fromEntries(rows.map((r) => [String(r.customer_id), r]));
}

async function tinyFeatures(): Promise<{ rows: Record<string, Row>; result: Awaited<ReturnType<typeof computeFeatures>>; columns: string[] }> {
  return withConnection(async (c) => {
    await loadTinyFixture(c);
    const result = await computeFeatures(c, { asOf: AS_OF, topCategories: 2, topBrands: 2 });
    return { rows: await features(c), result, columns: await tableColumns(c, 'features') };
  });
}

describe('computeFeatures on the tiny fixture (expectations computed by hand, as of 2024-06-30)', async () => {
  const { rows, result, columns } = await tinyFeatures();
  const A = rows.A as Row;
  const B = rows.B as Row;
  const C = rows.C as Row;
  const D = rows.D as Row;

  it('has one row per eligible customer, customer_id first, and a catalogue of exactly its columns', () => {
    expect(Object.keys(rows)).toEqual(['A', 'B', 'C', 'D']);
    expect(result.rowCount).toBe(4);
    expect(columns[0]).toBe('customer_id');
    expect(result.catalogue.map((s) => s.name)).toEqual(columns.slice(1));
    expect(result.families).toEqual(['value', 'timing', 'mix', 'engagement', 'declared', 'geography', 'technographic']);
    for (const spec of result.catalogue) {
      expect(spec.description.en.length).toBeGreaterThan(10);
      expect(spec.description.fr.length).toBeGreaterThan(10);
      expect(spec.consentPurpose).toBe('profiling');
    }
  });

  it('never turns PII into a feature', () => {
    for (const pii of ['city', 'email', 'phone', 'first_name']) expect(columns).not.toContain(pii);
    const values = Object.values(rows).flatMap((r) => Object.values(r).map(String));
    for (const pii of ['Paris', 'Lyon', 'a@x.fr', '+33100000000', 'Alice']) expect(values).not.toContain(pii);
  });

  it('value/RFM: purchases skip cancelled orders, returns feed the returns share', () => {
    // A bought on Jan 10 (100), Mar 10 (50), May 9 (80, returned), Jun 8 (40); Mar 10 (30) was cancelled.
    expect(A).toMatchObject({
      recency_days: 22,
      orders_count: 4,
      repeat_purchases: 3,
      monetary_total: 270,
      average_order_value: 67.5,
      discount_share: 30 / 300,
      items_total: 7,
      spend_90d: 120,
      spend_prev_90d: 150,
      tenure_first_purchase_days: 172,
      tenure_signup_days: 366,
    });
    expect(A.returns_share).toBeCloseTo(80 / 270, 12);
    expect(A.spend_trend).toBeCloseTo(-30 / 270, 12);
    // B: one purchase on the as-of day and a −50 return line.
    expect(B).toMatchObject({ recency_days: 0, orders_count: 1, monetary_total: 200, returns_share: 0.25, spend_trend: 1, tenure_signup_days: 29 });
    // C: a refunded purchase is a purchase whose whole value came back; signup after the as-of date is unknown.
    expect(C).toMatchObject({ recency_days: 212, orders_count: 1, returns_share: 1, spend_trend: 0, tenure_signup_days: null });
    // D never bought.
    expect(D).toMatchObject({ recency_days: null, orders_count: 0, monetary_total: 0, average_order_value: null, returns_share: null, tenure_signup_days: 181 });
  });

  it('timing: intervals 60, 60, 30 days give mean 50, CV √200/50 and 28 days ahead of rhythm', () => {
    expect(A.interpurchase_mean_days).toBe(50);
    expect(A.interpurchase_cv).toBeCloseTo(Math.sqrt(200) / 50, 12);
    expect(A.days_overdue).toBe(-28);
    expect(B).toMatchObject({ interpurchase_mean_days: null, interpurchase_cv: null, days_overdue: null });
  });

  it('timing: November–December spend share over purchases up to the as-of date', () => {
    // A bought in Jan, Mar, May and Jun (the July order is after the as-of date): 0 of 270.
    // C's only purchase (60, refunded but bought) was on 2023-12-01: 60 / 60. D never bought: empty.
    expect(A.share_spend_nov_dec).toBe(0);
    expect(C.share_spend_nov_dec).toBe(1);
    expect(D.share_spend_nov_dec).toBeNull();
  });

  it('timing: the November–December share weighs spend, not orders, and ignores cancelled orders', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c, ['orders', 'eligible']);
      // A: 270 over the year so far, plus 90 in November 2023, plus a cancelled 1,000 in December 2023.
      await exec(c, `INSERT INTO orders VALUES
        ('a7', 'A', '2023-11-20 10:00', 90, 'completed', 'EUR', 'web', 0, 1, 'Hats', 'Acme'),
        ('a8', 'A', '2023-12-20 10:00', 1000, 'cancelled', 'EUR', 'web', 0, 1, 'Hats', 'Acme')`);
      await computeFeatures(c, { asOf: AS_OF });
      expect((await features(c)).A?.share_spend_nov_dec).toBeCloseTo(90 / 360, 12);
    });
  });

  it('mix: top categories and brands chosen by spend of eligible customers, shares of spend', () => {
    // Gloves/Omega only sell to E (not eligible) or after the as-of date: they are not top levels.
    expect(columns).toContain('share_category_shoes');
    expect(columns).toContain('share_category_bags');
    expect(columns).not.toContain('share_category_gloves');
    expect(A.share_category_shoes).toBeCloseTo(180 / 270, 12);
    expect(A.share_category_bags).toBeCloseTo(50 / 270, 12);
    expect(A.share_brand_acme).toBeCloseTo(220 / 270, 12);
    expect(A.share_channel_web).toBeCloseTo(140 / 270, 12);
    expect(A.share_channel_store).toBeCloseTo(80 / 270, 12);
    expect(C).toMatchObject({ share_channel_marketplace: 1, share_category_bags: 1 });
    expect(D.share_category_shoes).toBeNull();
  });

  it('mix: a customer who bought, but never in a level, has a share of 0 there; one who never bought has none', () => {
    // B bought Shoes/Zeta on the web only; C bought Bags/Zeta on the marketplace only; D never bought.
    expect(B).toMatchObject({ share_category_shoes: 1, share_category_bags: 0, share_brand_acme: 0, share_brand_zeta: 1, share_channel_web: 1, share_channel_app: 0, share_channel_store: 0, share_channel_marketplace: 0 });
    expect(C).toMatchObject({ share_category_shoes: 0, share_brand_acme: 0, share_channel_web: 0, share_channel_app: 0, share_channel_store: 0 });
    const mix = columns.filter((c) => /^share_(category|brand|channel)_/.test(c));
    expect(mix.length).toBe(8);
    for (const name of mix) expect(D[name], name).toBeNull();
    // Every buyer's shares of one kind add up to at most 1 (exactly 1 for channels: every purchase has one).
    for (const row of [A, B, C]) {
      for (const kind of ['category', 'brand', 'channel']) {
        const sum = mix.filter((c) => c.startsWith(`share_${kind}_`)).reduce((s, c) => s + (row[c] as number), 0);
        expect(sum).toBeLessThanOrEqual(1 + 1e-12);
        if (kind === 'channel') expect(sum).toBeCloseTo(1, 12);
      }
    }
  });

  it('engagement: windows, abandoned carts (no purchase within 24 h), rates, recency, unsubscribes', () => {
    expect(B).toMatchObject({
      sessions_7d: 2,
      sessions_90d: 2,
      product_views_7d: 0,
      product_views_30d: 1,
      add_to_carts_7d: 1,
      add_to_carts_30d: 2,
      add_to_carts_90d: 2,
      // the Jun 30 cart was bought 3 h later; the Jun 20 cart (30) was not; the Mar 1 cart is older than 90 days
      abandoned_cart_value_7d: 0,
      abandoned_cart_value_30d: 30,
      abandoned_cart_value_90d: 30,
      email_open_rate: 0.5,
      email_click_rate: 0.5,
      sms_click_rate: 0,
      days_since_engagement: 0,
      unsubscribes: 1,
    });
    // A's Jun 7 cart was followed by the Jun 8 09:00 purchase (23 h later): not abandoned.
    expect(A).toMatchObject({ add_to_carts_30d: 1, abandoned_cart_value_30d: 0, email_open_rate: 0, sms_click_rate: null, days_since_engagement: 23 });
    expect(D).toMatchObject({ sessions_30d: 0, email_open_rate: null, days_since_engagement: null });
  });

  it('declared: latest answer as of the as-of date, interests multi-valued, age band from birth year', () => {
    expect(A).toMatchObject({ interest_running: true, interest_cycling: true, interest_yoga: false, declared_style: 'casual', declared_gender: 'f', age_band: '25-34' });
    // B's later answer "low" (Jul 15) is not known yet.
    expect(B).toMatchObject({ interest_yoga: true, declared_price_sensitivity: 'high', age_band: '13-17' });
    expect(C.age_band).toBeNull();
    expect(D).toMatchObject({ interest_yoga: false, age_band: null });
  });

  it('geography and technographic: country/region from the record, device falls back to events', () => {
    expect(A).toMatchObject({ country: 'FR', region: 'IDF', device: 'mobile' });
    expect(B).toMatchObject({ country: 'FR', region: null, device: 'mobile' });
    expect(C).toMatchObject({ country: null, device: null });
    expect(D).toMatchObject({ country: 'US', region: 'CA', device: 'desktop' });
  });
});

describe('computeFeatures on tables already restricted to the population (restrictedToPopulation)', () => {
  const options = { asOf: AS_OF, topCategories: 2, topBrands: 2 };

  it('gives exactly the features of the default population filter once non-eligible rows are deleted', async () => {
    const [filtered, restricted, hashPaths] = await withConnection(async (c) => {
      await loadTinyFixture(c);
      const unrestricted = await computeFeatures(c, options);
      const before = await features(c);
      // What applyConsent does after resolving consent.
      for (const table of ['customers', 'orders', 'events', 'zero_party']) {
        await exec(c, `DELETE FROM ${table} WHERE customer_id NOT IN (SELECT customer_id FROM eligible)`);
      }
      const result = await computeFeatures(c, { ...options, restrictedToPopulation: true });
      const paths = [unrestricted, result].map((r) => r.plan.orders?.customerHashesDistinct);
      return [before, await features(c), paths] as const;
    });
    // The purchase gaps take the integer-key path only on restricted tables; both paths agree exactly.
    expect(hashPaths).toEqual([false, true]);
    expect(restricted).toEqual(filtered);
  });

  it('skips the population filter on the choice of levels: on unrestricted tables E would shape them', async () => {
    const columns = await withConnection(async (c) => {
      await loadTinyFixture(c);
      await computeFeatures(c, { ...options, restrictedToPopulation: true });
      return tableColumns(c, 'features');
    });
    // Gloves sell only to E (not eligible): the option is a promise that such rows are gone.
    expect(columns).toContain('share_category_gloves');
  });
});

describe('computeFeatures with partial data', () => {
  it('orders only: value, timing and mix families, no error', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c, ['orders', 'eligible']);
      const result = await computeFeatures(c, { asOf: AS_OF });
      expect(result.families).toEqual(['value', 'timing', 'mix']);
      const rows = await features(c);
      expect(rows.A).toMatchObject({ orders_count: 4, recency_days: 22, interpurchase_mean_days: 50 });
      expect(result.catalogue.map((s) => s.name)).toEqual((await tableColumns(c, 'features')).slice(1));
    });
  });

  it('bare orders (no optional column filled): no discount, items or mix columns', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c, ['orders', 'eligible']);
      await exec(c, 'UPDATE orders SET status = NULL, channel = NULL, discount_amount = NULL, items = NULL, category = NULL, brand = NULL');
      const result = await computeFeatures(c, { asOf: AS_OF });
      expect(result.families).toEqual(['value', 'timing']);
      const names = result.catalogue.map((s) => s.name);
      expect(names).not.toContain('discount_share');
      expect(names).not.toContain('items_total');
      // without status the cancelled order a3 counts: 5 purchases
      expect((await features(c)).A).toMatchObject({ orders_count: 5 });
    });
  });

  it('a missing population table is a clear input error', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c, ['orders']);
      const error = await computeFeatures(c, { asOf: AS_OF }).catch((e: unknown) => e);
      expect(isPersonaeError(error) && error.kind).toBe('input');
      expect(String((error as Error).message)).toContain('eligible');
    });
  });
});
