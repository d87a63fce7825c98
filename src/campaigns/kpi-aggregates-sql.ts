/** The dimensions KPIs are read along: everyone, each persona, lifecycle segment, rule segment and campaign. */
export const KPI_DIMENSIONS = ['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

/**
 * Counts per dimension, group and channel over `campaign_sends`, with customers placed in groups by
 * `campaign_members(customer_id, dimension, grp, label)` (a customer may be in several rule segments). Every count
 * but sends is over delivered sends, and converted, orders and revenue over matured ones (whose attribution
 * window ended by the as-of date, `matured` of them); `revenues` lists the non-zero attributed revenue of delivered sends
 * (what the bootstrap resamples).
 *
 * Customers are the clusters of the intervals: `moments` holds, over customers, the sums of squares and cross
 * products of each rate's successes and trials (see `clusteredMoments`); `earners` the revenue and delivered
 * sends of each customer with credited revenue; `zeroRevenue` how many customers without revenue had each
 * number of delivered sends (what the customer bootstrap of revenue per recipient resamples).
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
, per_customer AS (
  SELECT dimension, grp, channel, customer_id, any_value(label) AS label,
    count(*) AS sends,
    count_if(delivered) AS delivered,
    count_if(delivered AND opened) AS opened,
    count_if(delivered AND clicked) AS clicked,
    count_if(delivered AND matured) AS matured,
    count_if(delivered AND matured AND orders > 0) AS converted,
    coalesce(sum(orders) FILTER (WHERE delivered AND matured), 0) AS orders,
    coalesce(sum(revenue ORDER BY send_id) FILTER (WHERE delivered AND matured), 0)::DOUBLE AS revenue,
    count_if(delivered AND unsubscribed) AS unsubscribed,
    list(revenue::DOUBLE ORDER BY send_id) FILTER (WHERE delivered AND matured AND revenue > 0) AS revenues
  FROM placed
  GROUP BY dimension, grp, channel, customer_id
),
zero_revenue AS (
  SELECT dimension, grp, channel, list([matured::DOUBLE, customers::DOUBLE] ORDER BY matured) AS histogram
  FROM (SELECT dimension, grp, channel, matured, count(*) AS customers FROM per_customer WHERE revenue = 0 GROUP BY ALL)
  GROUP BY ALL
)
SELECT dimension, grp AS "group", any_value(label) AS label, channel,
  count(*)::BIGINT AS recipients,
  sum(sends)::BIGINT AS sends,
  sum(delivered)::BIGINT AS delivered,
  sum(matured)::BIGINT AS matured,
  sum(opened)::BIGINT AS opened,
  sum(clicked)::BIGINT AS clicked,
  sum(converted)::BIGINT AS converted,
  sum(orders)::BIGINT AS orders,
  -- In a fixed order: a floating-point sum in the engine's own order differs in the last digits from run to run.
  sum(revenue ORDER BY customer_id)::DOUBLE AS revenue,
  sum(unsubscribed)::BIGINT AS unsubscribed,
  coalesce(flatten(list(revenues ORDER BY customer_id) FILTER (WHERE revenues IS NOT NULL)), []) AS revenues,
  -- Per customer: Σx², Σx·m and Σm² of each rate's successes x and trials m (clustered intervals).
  [sum(sends * sends), sum(delivered * delivered), sum(matured * matured), sum(opened * opened), sum(clicked * clicked),
   sum(converted * converted), sum(unsubscribed * unsubscribed), sum(delivered * sends), sum(opened * delivered),
   sum(clicked * delivered), sum(clicked * opened), sum(converted * matured), sum(unsubscribed * delivered)]::DOUBLE[] AS moments,
  coalesce(list([revenue, matured::DOUBLE] ORDER BY customer_id) FILTER (WHERE revenue > 0), []) AS earners,
  coalesce(any_value(z.histogram), []) AS "zeroRevenue"
FROM per_customer LEFT JOIN zero_revenue z USING (dimension, grp, channel)
GROUP BY dimension, grp, channel
ORDER BY list_position(['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'], dimension), grp, channel`;
}
