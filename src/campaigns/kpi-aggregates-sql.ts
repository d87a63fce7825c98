/** The dimensions KPIs are read along: everyone, each persona, lifecycle segment, rule segment and campaign. */
export const KPI_DIMENSIONS = ['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

const COUNTS = ['sends', 'delivered', 'matured', 'opened', 'clicked', 'converted', 'orders', 'unsubscribed'] as const;

/** The order of `moments`: each count's square, then the cross products of each rate's successes and trials. */
export const MOMENT_SQUARES = ['sends', 'delivered', 'matured', 'opened', 'clicked', 'converted', 'unsubscribed'] as const;
export const MOMENT_CROSS = [
  ['delivered', 'sends'],
  ['opened', 'delivered'],
  ['clicked', 'delivered'],
  ['clicked', 'opened'],
  ['converted', 'matured'],
  ['unsubscribed', 'delivered'],
] as const;
const MOMENTS = [...MOMENT_SQUARES.map((c) => [c, c] as const), ...MOMENT_CROSS];

/**
 * A sum of counts over customers, added as doubles: whole numbers below 2^53 add exactly in any order, so the
 * total is the integer one, as fast as a floating-point sum (DuckDB sums BIGINTs into 128-bit integers).
 */
function total(expression: string): string {
  return `sum((${expression})::DOUBLE)`;
}

/** One customer's sends of a group and channel, counted; `key` are the columns they are grouped by. */
function perCustomerSql(key: string): string {
  return `SELECT ${key}, customer_id,
    count(*) AS sends,
    count_if(delivered) AS delivered,
    count_if(delivered AND opened) AS opened,
    count_if(delivered AND clicked) AS clicked,
    count_if(delivered AND matured) AS matured,
    count_if(delivered AND matured AND orders > 0) AS converted,
    coalesce(sum(orders) FILTER (WHERE delivered AND matured), 0) AS orders,
    count_if(delivered AND unsubscribed) AS unsubscribed
  FROM campaign_sends GROUP BY ${key}, customer_id`;
}

/**
 * A customer's credited revenue in a group and channel, added up in send order: a floating-point sum in the
 * engine's own order differs in the last digits from run to run. Only sends with revenue enter (adding a zero
 * changes no sum), so the ordered aggregate holds the few credited sends, not every send.
 */
function earnedSql(key: string): string {
  return `SELECT ${key}, customer_id, sum(revenue::DOUBLE ORDER BY send_id) AS revenue
  FROM campaign_sends WHERE delivered AND matured AND revenue > 0 GROUP BY ${key}, customer_id`;
}

/**
 * Counts per dimension, group and channel over `campaign_sends`, with customers placed in groups by
 * `campaign_members(customer_id, dimension, grp, label)` (a customer may be in several rule segments). Every count
 * but sends is over delivered sends, and converted, orders and revenue over matured ones (whose attribution
 * window ended by the as-of date, `matured` of them).
 *
 * Customers are the clusters of the intervals: `moments` holds, over customers, the sums of squares and cross
 * products of each rate's successes and trials (see `clusteredMoments`); `earners` the revenue and delivered
 * sends of each customer with credited revenue; `zeroRevenue` how many customers without revenue had each
 * number of delivered sends (what the customer bootstrap of revenue per recipient resamples).
 *
 * Sends are counted once per customer and channel, and once per customer, campaign and channel, before the
 * customers' counts are placed in their persona, lifecycle and rule segments: what is grouped grows with the
 * customers and sends, not with sends times memberships. Only plain sums and counts run over every customer
 * (DuckDB spills those past its memory limit); the ordered aggregates that keep sums and lists reproducible run
 * over customers with credited revenue alone.
 */
export function kpiAggregatesSql(hasCampaigns: boolean): string {
  const campaignName = hasCampaigns
    ? '(SELECT c.name FROM campaigns c WHERE c.campaign_id = grp)'
    : 'NULL::VARCHAR';
  return `
WITH by_customer AS (
  SELECT c.*, coalesce(e.revenue, 0)::DOUBLE AS revenue
  FROM (${perCustomerSql('channel')}) c LEFT JOIN (${earnedSql('channel')}) e USING (channel, customer_id)
),
by_campaign AS (
  SELECT c.*, coalesce(e.revenue, 0)::DOUBLE AS revenue
  FROM (${perCustomerSql('campaign, channel')}) c LEFT JOIN (${earnedSql('campaign, channel')}) e
    USING (campaign, channel, customer_id)
),
per_customer AS (
  SELECT 'all' AS dimension, 'all' AS grp, NULL::VARCHAR AS label, c.* FROM by_customer c
  UNION ALL SELECT m.dimension, m.grp, m.label, c.* FROM by_customer c JOIN campaign_members m USING (customer_id)
  UNION ALL SELECT 'campaign', c.campaign, NULL::VARCHAR, c.* EXCLUDE (campaign) FROM by_campaign c
)
-- One pass over the customers' rows: the earners' ordered aggregates and the histogram see only the rows they
-- filter, and nothing is materialised to be read again (at 1M customers, 15.6M rows, read three times before).
SELECT dimension, grp AS "group", CASE WHEN dimension = 'campaign' THEN ${campaignName} ELSE any_value(label) END AS label, channel,
  count(*)::BIGINT AS recipients,
  ${COUNTS.filter((c) => c !== 'orders' && c !== 'unsubscribed').map((c) => `${total(c)}::BIGINT AS ${c}`).join(',\n  ')},
  ${total('orders')}::BIGINT AS orders,
  -- In customer order: a fixed order for the sum and for the list the bootstrap draws from.
  coalesce(sum(revenue ORDER BY customer_id) FILTER (WHERE revenue > 0), 0)::DOUBLE AS revenue,
  ${total('unsubscribed')}::BIGINT AS unsubscribed,
  -- Per customer: Σx², Σx·m and Σm² of each rate's successes x and trials m (clustered intervals).
  [${MOMENTS.map(([a, b]) => total(`${a} * ${b}`)).join(', ')}] AS moments,
  coalesce(list([revenue, matured::DOUBLE] ORDER BY customer_id) FILTER (WHERE revenue > 0), []) AS earners,
  coalesce(list_transform(map_entries(histogram(matured) FILTER (WHERE revenue = 0)), e -> [e.key::DOUBLE, e.value::DOUBLE]), []) AS "zeroRevenue"
FROM per_customer GROUP BY dimension, grp, channel
ORDER BY list_position(['all', 'persona', 'lifecycle', 'rule_segment', 'campaign'], dimension), grp, channel`;
}
