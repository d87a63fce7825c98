import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpiAggregatesSql } from '../../src/campaigns/kpi-aggregates-sql.js';
import { kpiRows, type KpiCounts } from '../../src/campaigns/kpi-rows.js';
import { campaignSendsSql } from '../../src/campaigns/sends-sql.js';
import { campaignSettingsSchema } from '../../src/campaigns/settings.js';
import { wilsonInterval } from '../../src/campaigns/wilson-interval.js';
import { exec, queryRows } from '../../src/io/duckdb.js';
import { validatedGeneratedBrand } from '../helpers/generated-brand.js';

/**
 * The generator plants each persona's response to campaigns and writes, per customer, the delivered sends
 * and the expected opens and clicks it drew them with (truth/ground_truth.csv). Measured through validation,
 * consent and the KPI SQL, grouped by the planted persona, delivered sends must match exactly, and the
 * planted rates must lie inside the Wilson intervals: 18 intervals (6 personas × open, click, SMS click) at
 * 95% each miss about one by chance, so all 18 are checked at a family-wise 95% (Bonferroni: each at
 * 1 − 0.05/18, z = 2.991), and at least 16 of 18 must hold at the plain 95% the report shows.
 */
/** Two-sided 1 − 0.05/18 normal quantile. */
const FAMILY_Z = 2.991;

describe('campaign KPIs recover the planted per-persona response', () => {
  it('open, click and SMS click rates of every persona hold the planted rate; delivered sends match', async () => {
    const { engine, data } = await validatedGeneratedBrand(3000, 11);
    try {
      const { connection } = engine;
      const included = new Set(
        (await queryRows<{ customer_id: string }>(connection, 'SELECT customer_id FROM eligible')).map((r) => r.customer_id),
      );
      const [header, ...lines] = readFileSync(join(data, 'truth', 'ground_truth.csv'), 'utf8').trim().split('\n');
      const columns = (header as string).split(',');
      const at = (name: string): number => columns.indexOf(name);
      const truth = new Map<string, { delivered: number; opens: number; clicks: number; sms: number; smsClicks: number }>();
      const members: string[] = [];
      for (const line of lines) {
        const cells = line.split(',');
        const id = cells[at('customer_id')] as string;
        if (!included.has(id)) continue;
        const persona = cells[at('persona')] as string;
        members.push(`('${id}', 'persona', '${persona}', NULL)`);
        const t = truth.get(persona) ?? { delivered: 0, opens: 0, clicks: 0, sms: 0, smsClicks: 0 };
        t.delivered += Number(cells[at('email_delivered')]);
        t.opens += Number(cells[at('email_expected_opens')]);
        t.clicks += Number(cells[at('email_expected_clicks')]);
        t.sms += Number(cells[at('sms_delivered')]);
        t.smsClicks += Number(cells[at('sms_expected_clicks')]);
        truth.set(persona, t);
      }
      await exec(
        connection,
        `CREATE TABLE campaign_members (customer_id VARCHAR, dimension VARCHAR, grp VARCHAR, label VARCHAR);
         INSERT INTO campaign_members VALUES ${members.join(',')}`,
      );
      await exec(
        connection,
        campaignSendsSql({
          asOfEnd: '2025-12-31 23:59:59.999999',
          settings: campaignSettingsSchema.parse({ lookback_days: 3650 }),
          hasCampaigns: true,
        }),
      );
      const counts = await queryRows<KpiCounts>(connection, kpiAggregatesSql(true));
      const rows = kpiRows(counts, { minDelivered: 100, bootstrapSamples: 200, seed: 1 });
      const checked: string[] = [];
      const misses: string[] = [];
      for (const [persona, t] of truth) {
        const email = rows.find((r) => r.dimension === 'persona' && r.group === persona && r.channel === 'email');
        const sms = rows.find((r) => r.dimension === 'persona' && r.group === persona && r.channel === 'sms');
        expect(email?.delivered, persona).toBe(t.delivered);
        expect(sms?.delivered, persona).toBe(t.sms);
        const within = (
          label: string,
          rate: { low: number | null; high: number | null } | undefined,
          successes: number,
          trials: number,
          planted: number,
        ): void => {
          const inside = rate?.low != null && rate.high != null && rate.low <= planted && planted <= rate.high;
          checked.push(inside ? 'inside' : 'outside');
          const family = wilsonInterval(successes, trials, FAMILY_Z);
          if (!family || planted < family.low || planted > family.high)
            misses.push(`${persona} ${label}: planted ${planted} outside [${family?.low}, ${family?.high}]`);
        };
        within('open rate', email?.openRate, email?.opened ?? 0, t.delivered, t.opens / t.delivered);
        within('click rate', email?.clickRate, email?.clicked ?? 0, t.delivered, t.clicks / t.delivered);
        within('SMS click rate', sms?.clickRate, sms?.clicked ?? 0, t.sms, t.smsClicks / t.sms);
      }
      expect(checked).toHaveLength(18);
      expect(misses).toEqual([]);
      expect(checked.filter((c) => c === 'inside').length).toBeGreaterThanOrEqual(16);
      // The planted personas differ for real: the loyal open far more than the app-first newcomers.
      const planted = (p: string): number => (truth.get(p)?.opens ?? 0) / (truth.get(p)?.delivered ?? 1);
      const newcomers = rows.find((r) => r.dimension === 'persona' && r.group === 'new_app_first' && r.channel === 'email');
      expect(planted('loyal_premium')).toBeGreaterThan(2 * planted('new_app_first'));
      expect(wilsonInterval(newcomers?.opened ?? 0, newcomers?.delivered ?? 0)?.high).toBeLessThan(planted('loyal_premium'));
    } finally {
      engine.close();
    }
  }, 300_000);
});
