/** The dimensions KPIs are read along: everyone, each persona, lifecycle segment, rule segment and campaign. */
export const KPI_DIMENSIONS = ['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

/**
 * Counts per dimension, group and channel over `campaign_sends`, with customers placed in groups by
 * `campaign_members(customer_id, dimension, grp, label)` (a customer may be in several rule segments). Every count
 * but sends is over delivered sends; `revenues` lists the non-zero attributed revenue of delivered sends
 * (what the bootstrap resamples).
 */
export function kpiAggregatesSql(hasCampaigns: boolean): string {
  const campaignName = hasCampaigns
    ? '(SELECT c.name FROM campaigns c WHERE c.campaign_id = s.campaign)'
    : 'NULL::VARCHAR';
  return `
WITH placed AS (
  SELECT 'all' AS dimension, 'all' AS grp, NULL::VARCHAR AS label, s.* FROM campaign_sends s
  UNION ALL SELECT 'campaign', s.campaign, ${campaignName}, s.* FROM campaign_sends s
  UNION ALL SELECT m.dimension, m.grp, m.label, s.* FROM campaign_sends s JOIN campaign_members m USING (customer_id)
)
SELECT dimension, grp AS "group", any_value(label) AS label, channel,
  count(DISTINCT customer_id)::BIGINT AS recipients,
  count(*)::BIGINT AS sends,
  count_if(delivered)::BIGINT AS delivered,
  count_if(delivered AND opened)::BIGINT AS opened,
  count_if(delivered AND clicked)::BIGINT AS clicked,
  count_if(delivered AND orders > 0)::BIGINT AS converted,
  coalesce(sum(orders) FILTER (WHERE delivered), 0)::BIGINT AS orders,
  coalesce(sum(revenue) FILTER (WHERE delivered), 0)::DOUBLE AS revenue,
  count_if(delivered AND unsubscribed)::BIGINT AS unsubscribed,
  coalesce(list(revenue::DOUBLE ORDER BY send_id) FILTER (WHERE delivered AND revenue > 0), []) AS revenues
FROM placed
GROUP BY dimension, grp, channel
ORDER BY list_position(['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'], dimension), grp, channel`;
}
