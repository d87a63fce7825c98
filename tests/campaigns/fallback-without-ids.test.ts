import { describe, expect, it } from 'vitest';
import { kpiAggregatesSql } from '../../src/campaigns/kpi-aggregates-sql.js';
import { campaignSendsSql } from '../../src/campaigns/sends-sql.js';
import { campaignSettingsSchema } from '../../src/campaigns/settings.js';
import { exec, queryRows, queryValue } from '../../src/io/duckdb.js';
import { validatedGeneratedBrand } from '../helpers/generated-brand.js';

type Cell = Record<string, unknown> & { dimension: string; group: string; channel: string };

/**
 * Without campaign ids a response belongs to the customer's latest send of its channel at most
 * `response_window_days` earlier. On generated data (email every 21 days, SMS every 42, responses within a
 * few days of their send) that is the send the id named: with every campaign_id removed from the events and
 * no campaigns table, every count per persona and channel is the same, and each send day is one campaign.
 */
describe('campaign KPIs without campaign ids', () => {
  it('match the KPIs with ids on generated data, per persona and channel, count for count', async () => {
    const { engine } = await validatedGeneratedBrand(1500, 5);
    try {
      const { connection } = engine;
      // Members by a customer-level grouping the test can recompute: the customer's first-order channel stands in for a persona.
      await exec(
        connection,
        `CREATE TABLE campaign_members AS
         SELECT customer_id, 'persona' AS dimension, coalesce(min(channel), 'none') AS grp, NULL::VARCHAR AS label
         FROM orders GROUP BY customer_id`,
      );
      const settings = campaignSettingsSchema.parse({ lookback_days: 3650 });
      const measure = async (hasCampaigns: boolean): Promise<Cell[]> => {
        await exec(connection, campaignSendsSql({ asOfEnd: '2025-12-31 23:59:59.999999', settings, hasCampaigns }));
        const rows = await queryRows<Cell>(connection, kpiAggregatesSql(hasCampaigns));
        return rows.map(({ label: _l, ...rest }) => rest as Cell);
      };
      const withIds = await measure(true);
      const idsBefore = Number(await queryValue(connection, 'SELECT count(*) FROM events WHERE campaign_id IS NOT NULL'));
      expect(idsBefore).toBeGreaterThan(10_000);
      await exec(connection, 'UPDATE events SET campaign_id = NULL; DROP TABLE campaigns');
      const withoutIds = await measure(false);
      const notCampaign = (rows: Cell[]): Cell[] => rows.filter((r) => r.dimension !== 'campaign');
      expect(notCampaign(withoutIds)).toEqual(notCampaign(withIds));
      // Real responses were matched: opens, clicks, credited orders and unsubscribes all occur.
      const all = withIds.find((r) => r.dimension === 'all' && r.channel === 'email') as Cell;
      for (const key of ['opened', 'clicked', 'converted', 'unsubscribed']) expect(Number(all[key]), key).toBeGreaterThan(0);
      expect(withIds.filter((r) => r.dimension === 'persona').length).toBeGreaterThan(2);
      // Campaigns: one per send, named by channel and day without ids — the same number, the same counts.
      const campaigns = (rows: Cell[]) =>
        rows
          .filter((r) => r.dimension === 'campaign')
          .map(({ group: _g, ...rest }) => JSON.stringify(rest))
          .sort();
      expect(campaigns(withoutIds)).toEqual(campaigns(withIds));
    } finally {
      engine.close();
    }
  }, 300_000);
});
