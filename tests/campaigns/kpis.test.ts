import { describe, expect, it } from 'vitest';
import { kpiAggregatesSql } from '../../src/campaigns/kpi-aggregates-sql.js';
import { kpiRows, type KpiCounts, type KpiRow } from '../../src/campaigns/kpi-rows.js';
import { campaignSendsSql } from '../../src/campaigns/sends-sql.js';
import { campaignSettingsSchema } from '../../src/campaigns/settings.js';
import { exec, queryRows, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';

/**
 * Four customers, two campaigns and one SMS without a campaign id, counted by hand:
 * - a (P1): newsletter opened and clicked 03-01 10:05 → order of 50 on 03-03 (credited, 2 days after the
 *   click); order of 30 on 03-09 (8 days after: not credited); SMS sms-1 clicked 03-10 → order of 20 on 03-12
 *   (credited to the SMS: the last touch).
 * - b (P1): newsletter bounced; order of 100 on 03-02 (no touch: not credited).
 * - c (P2): newsletter opened 03-02 08:00, unsubscribed; order of 40 on 03-04 (credited by the open).
 * - d (P2): newsletter delivered, nothing else; an SMS and its click without campaign ids (matched by time);
 *   a cancelled order of 60 on 03-11 (never credited).
 */
const FIXTURE = `
CREATE TABLE campaigns (campaign_id VARCHAR, channel VARCHAR, sent_at TIMESTAMP, name VARCHAR, audience VARCHAR);
INSERT INTO campaigns VALUES
  ('nl-1', 'email', '2025-03-01 09:00', 'March newsletter', 'email subscribers'),
  ('sms-1', 'sms', '2025-03-10 12:00', 'Spring SMS', NULL);
CREATE TABLE events (customer_id VARCHAR, occurred_at TIMESTAMP, type VARCHAR, category VARCHAR, value DOUBLE,
  device VARCHAR, campaign_id VARCHAR);
INSERT INTO events VALUES
  ('a', '2025-03-01 09:00', 'email_sent', NULL, NULL, NULL, 'nl-1'),
  ('a', '2025-03-01 10:00', 'email_open', NULL, NULL, NULL, 'nl-1'),
  ('a', '2025-03-01 10:05', 'email_click', NULL, NULL, NULL, 'nl-1'),
  ('a', '2025-03-01 10:06', 'page_view', NULL, NULL, 'mobile', NULL),
  ('a', '2025-03-10 12:00', 'sms_sent', NULL, NULL, NULL, 'sms-1'),
  ('a', '2025-03-10 13:00', 'sms_click', NULL, NULL, NULL, 'sms-1'),
  ('b', '2025-03-01 09:00', 'email_sent', NULL, NULL, NULL, 'nl-1'),
  ('b', '2025-03-01 09:01', 'email_bounce', NULL, NULL, NULL, 'nl-1'),
  ('c', '2025-03-01 09:00', 'email_sent', NULL, NULL, NULL, 'nl-1'),
  ('c', '2025-03-02 08:00', 'email_open', NULL, NULL, NULL, 'nl-1'),
  ('c', '2025-03-02 08:01', 'unsubscribe', NULL, NULL, NULL, 'nl-1'),
  ('d', '2025-03-01 09:00', 'email_sent', NULL, NULL, NULL, 'nl-1'),
  ('d', '2025-03-10 12:00', 'sms_sent', NULL, NULL, NULL, NULL),
  ('d', '2025-03-10 18:00', 'sms_click', NULL, NULL, NULL, NULL);
CREATE TABLE orders (order_id VARCHAR, customer_id VARCHAR, ordered_at TIMESTAMP, amount DOUBLE, status VARCHAR);
INSERT INTO orders VALUES
  ('o1', 'a', '2025-03-03 12:00', 50, 'completed'),
  ('o2', 'a', '2025-03-09 12:00', 30, 'completed'),
  ('o3', 'a', '2025-03-12 12:00', 20, NULL),
  ('o4', 'b', '2025-03-02 12:00', 100, 'completed'),
  ('o5', 'c', '2025-03-04 12:00', 40, 'completed'),
  ('o6', 'd', '2025-03-11 12:00', 60, 'cancelled');
CREATE TABLE campaign_members (customer_id VARCHAR, dimension VARCHAR, grp VARCHAR, label VARCHAR);
INSERT INTO campaign_members VALUES
  ('a', 'persona', 'P1', 'Loyal'), ('b', 'persona', 'P1', 'Loyal'),
  ('c', 'persona', 'P2', 'Lapsing'), ('d', 'persona', 'P2', 'Lapsing'),
  ('a', 'rule_segment', 'vip', NULL), ('c', 'rule_segment', 'vip', NULL);
`;

async function measure(connection: DuckDBConnection, settings: object = {}, asOfEnd = '2025-03-31 23:59:59.999999'): Promise<KpiRow[]> {
  await exec(
    connection,
    campaignSendsSql({
      asOfEnd,
      settings: campaignSettingsSchema.parse(settings),
      hasCampaigns: true,
    }),
  );
  const counts = await queryRows<KpiCounts>(connection, kpiAggregatesSql(true));
  return kpiRows(counts, { minDelivered: 2, bootstrapSamples: 1000, seed: 1 });
}

const cell = (rows: readonly KpiRow[], dimension: string, group: string, channel: string): KpiRow => {
  const row = rows.find((r) => r.dimension === dimension && r.group === group && r.channel === channel);
  if (!row) throw new Error(`no KPI row ${dimension}/${group}/${channel}`);
  return row;
};

const counts = (r: KpiRow) => ({
  recipients: r.recipients,
  sends: r.sends,
  delivered: r.delivered,
  opened: r.opened,
  clicked: r.clicked,
  converted: r.converted,
  orders: r.orders,
  revenue: r.revenue,
  unsubscribed: r.unsubscribed,
});

describe('campaign KPIs on a hand-counted fixture', () => {
  it('counts sends, responses and credited orders exactly, per channel, persona, rule segment and campaign', async () => {
    await withConnection(async (connection) => {
      await exec(connection, FIXTURE);
      const rows = await measure(connection);
      const email = cell(rows, 'all', 'all', 'email');
      expect(counts(email)).toEqual({
        recipients: 4, sends: 4, delivered: 3, opened: 2, clicked: 1, converted: 2, orders: 2, revenue: 90, unsubscribed: 1,
      });
      expect(email.deliverability.value).toBe(3 / 4);
      expect(email.openRate.value).toBe(2 / 3);
      expect(email.clickRate.value).toBe(1 / 3);
      expect(email.clickToOpen.value).toBe(1 / 2);
      expect(email.conversionRate.value).toBe(2 / 3);
      expect(email.revenuePerRecipient.value).toBe(30);
      expect(email.unsubscribeRate.value).toBe(1 / 3);
      const sms = cell(rows, 'all', 'all', 'sms');
      expect(counts(sms)).toEqual({
        recipients: 2, sends: 2, delivered: 2, opened: 0, clicked: 2, converted: 1, orders: 1, revenue: 20, unsubscribed: 0,
      });
      expect(sms.openRate.value).toBeNull();
      expect(sms.clickToOpen.value).toBeNull();
      expect(sms.revenuePerRecipient.value).toBe(10);
      expect(counts(cell(rows, 'persona', 'P1', 'email'))).toEqual({
        recipients: 2, sends: 2, delivered: 1, opened: 1, clicked: 1, converted: 1, orders: 1, revenue: 50, unsubscribed: 0,
      });
      expect(cell(rows, 'persona', 'P1', 'email').label).toBe('Loyal');
      expect(cell(rows, 'persona', 'P1', 'email').tooSmall).toBe(true);
      expect(counts(cell(rows, 'persona', 'P2', 'email'))).toEqual({
        recipients: 2, sends: 2, delivered: 2, opened: 1, clicked: 0, converted: 1, orders: 1, revenue: 40, unsubscribed: 1,
      });
      expect(cell(rows, 'persona', 'P2', 'email').tooSmall).toBe(false);
      expect(counts(cell(rows, 'rule_segment', 'vip', 'email'))).toEqual({
        recipients: 2, sends: 2, delivered: 2, opened: 2, clicked: 1, converted: 2, orders: 2, revenue: 90, unsubscribed: 1,
      });
      expect(cell(rows, 'campaign', 'nl-1', 'email').label).toBe('March newsletter');
      expect(counts(cell(rows, 'campaign', 'sms-1', 'sms'))).toMatchObject({ sends: 1, clicked: 1, revenue: 20 });
      // Without a campaign id, a send is its channel and day, and its click is matched by time.
      expect(counts(cell(rows, 'campaign', 'sms 2025-03-10', 'sms'))).toMatchObject({ sends: 1, clicked: 1, converted: 0 });
      expect(rows.filter((r) => r.dimension === 'campaign')).toHaveLength(3);
    });
  });

  it('follows the configured attribution rule: clicks only, or a longer window', async () => {
    await withConnection(async (connection) => {
      await exec(connection, FIXTURE);
      // Clicks only: c's open no longer credits the order of 40.
      const clicksOnly = cell(await measure(connection, { attribution: { touches: ['click'] } }), 'all', 'all', 'email');
      expect([clicksOnly.converted, clicksOnly.revenue]).toEqual([1, 50]);
      // Ten days: a's order of 30 (8 days after the click) is credited to the newsletter too.
      const tenDays = cell(await measure(connection, { attribution: { window_days: 10 } }), 'all', 'all', 'email');
      expect([tenDays.converted, tenDays.orders, tenDays.revenue]).toEqual([2, 3, 120]);
    });
  });

  it('gives each rate its Wilson interval and revenue per recipient a seeded bootstrap interval', async () => {
    await withConnection(async (connection) => {
      await exec(connection, FIXTURE);
      const first = await measure(connection);
      const again = await measure(connection);
      expect(again).toEqual(first);
      const email = cell(first, 'all', 'all', 'email');
      // 2 of 3: centre (2/3 + z²/6) / (1 + z²/3), half-width z·sqrt(2/27 + z²/36) / (1 + z²/3).
      expect(email.openRate.low).toBeCloseTo(0.2077, 4);
      expect(email.openRate.high).toBeCloseTo(0.9385, 4);
      // Resamples of 3 delivered sends worth 50, 40 and 0: the mean ranges over {0, 13.3, …, 50}.
      expect(email.revenuePerRecipient.low).toBeGreaterThanOrEqual(0);
      expect(email.revenuePerRecipient.high).toBeLessThanOrEqual(50);
      expect(email.revenuePerRecipient.low).toBeLessThan(30);
      expect(email.revenuePerRecipient.high).toBeGreaterThan(30);
    });
  });

  it('leaves sends whose attribution window has not ended by the as-of date out of conversion and revenue', async () => {
    await withConnection(async (connection) => {
      await exec(connection, FIXTURE);
      // As of 2025-03-12 with a 5-day window, sends up to 03-07 23:59:59 are matured: the newsletter (03-01)
      // is, the SMS of 03-10 is not — although a's click on it already credits the order of 20 on 03-12.
      const rows = await measure(connection, {}, '2025-03-12 23:59:59.999999');
      const email = cell(rows, 'all', 'all', 'email');
      expect([email.delivered, email.matured, email.converted, email.revenue]).toEqual([3, 3, 2, 90]);
      expect(email.conversionRate.value).toBe(2 / 3);
      const sms = cell(rows, 'all', 'all', 'sms');
      expect([sms.delivered, sms.matured, sms.clicked, sms.converted, sms.orders, sms.revenue]).toEqual([2, 0, 2, 0, 0, 0]);
      expect(sms.clickRate.value).toBe(1);
      expect(sms.conversionRate.value).toBeNull();
      expect(sms.revenuePerRecipient.value).toBeNull();
    });
  });
});
