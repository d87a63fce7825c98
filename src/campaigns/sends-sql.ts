import { quoteLiteral as lit } from '../io/sql.js';
import type { CampaignSettings } from './settings.js';

export interface SendsSqlOptions {
  /** Last instant of the as-of day, `YYYY-MM-DD 23:59:59.999999` (UTC). */
  readonly asOfEnd: string;
  readonly settings: CampaignSettings;
  /** Whether a validated `campaigns` table exists (names, channels, send dates of campaign ids). */
  readonly hasCampaigns: boolean;
}

const SEND_TYPES = "('email_sent', 'sms_sent')";
const RESPONSE_TYPES = "('email_bounce', 'email_open', 'email_click', 'sms_bounce', 'sms_click', 'unsubscribe')";

/**
 * `campaign_sends`: one row per send (an email_sent or sms_sent event in the lookback window) with what came
 * of it — delivered, opened, clicked, unsubscribed — and the orders attributed to it.
 *
 * A response belongs to a send of the same customer: the latest send of the same campaign id at or before
 * it; a response without a campaign id, to the customer's latest send of its channel at or before it and at
 * most `response_window_days` earlier (an unsubscribe without an id is an email one). Without campaign
 * ids a send's campaign is its channel and day (`email 2025-03-04`). A click counts as an open (the open
 * pixel is often blocked). Attribution: each completed order (amount > 0) goes to the send whose latest
 * touch came before it within `attribution.window_days`, last touch wins, at most one send per order.
 * A send is `matured` when its attribution window ended by the as-of date: only those count in conversion
 * and revenue per recipient (a later one has not had its full window and would drag them down).
 */
export function campaignSendsSql(options: SendsSqlOptions): string {
  const { settings, asOfEnd } = options;
  const end = `TIMESTAMP ${lit(asOfEnd)}`;
  const start = `${end} - INTERVAL ${settings.lookback_days} DAY`;
  const responseWindow = `INTERVAL ${Math.round(settings.response_window_days * 86_400)} SECOND`;
  const attributionWindow = `INTERVAL ${Math.round(settings.attribution.window_days * 86_400)} SECOND`;
  const touchTypes = settings.attribution.touches
    .flatMap((t) => (t === 'click' ? ['email_click', 'sms_click'] : ['email_open']))
    .map((t) => lit(t))
    .join(', ');
  // An unsubscribe's channel is its campaign's: a join on the (validated, unique) campaign ids, which DuckDB
  // probes row by row, where a correlated subquery made it gather the distinct ids of every event first.
  const campaignChannel = options.hasCampaigns ? 'c.channel' : 'NULL';
  const campaignJoin = options.hasCampaigns ? 'LEFT JOIN campaigns c ON c.campaign_id = e.campaign_id' : '';
  return `
CREATE OR REPLACE TEMP TABLE campaign_events AS
SELECT e.customer_id, e.occurred_at, e.type, e.campaign_id,
  coalesce(CASE WHEN e.type LIKE 'sms%' THEN 'sms' WHEN e.type LIKE 'email%' THEN 'email' END, ${campaignChannel}, 'email') AS channel
FROM events e ${campaignJoin}
WHERE (e.type IN ${SEND_TYPES} OR e.type IN ${RESPONSE_TYPES}) AND e.occurred_at > ${start} AND e.occurred_at <= ${end};

CREATE OR REPLACE TEMP TABLE campaign_send_list AS
SELECT row_number() OVER (ORDER BY customer_id, occurred_at, channel, campaign_id) AS send_id,
  customer_id, channel, occurred_at AS sent_at, campaign_id,
  coalesce(campaign_id, channel || ' ' || strftime(occurred_at, '%Y-%m-%d')) AS campaign
FROM campaign_events WHERE type IN ${SEND_TYPES};

CREATE OR REPLACE TEMP TABLE campaign_responses AS
WITH r AS (SELECT * FROM campaign_events WHERE type IN ${RESPONSE_TYPES}),
with_id AS (SELECT * FROM r WHERE campaign_id IS NOT NULL),
without_id AS (SELECT * FROM r WHERE campaign_id IS NULL),
-- Each ASOF JOIN sorts its whole right side, whatever its left: only the sends a response can match enter it
-- (same customer and campaign, or same customer and channel), not every send.
by_id AS (
  SELECT s.send_id, r.type, r.occurred_at FROM with_id r
  ASOF JOIN (SELECT * FROM campaign_send_list SEMI JOIN (SELECT DISTINCT customer_id, campaign_id FROM with_id)
    USING (customer_id, campaign_id)) s
    ON r.customer_id = s.customer_id AND r.campaign_id = s.campaign_id AND r.occurred_at >= s.sent_at
),
by_time AS (
  SELECT s.send_id, r.type, r.occurred_at FROM without_id r
  ASOF JOIN (SELECT * FROM campaign_send_list SEMI JOIN (SELECT DISTINCT customer_id, channel FROM without_id)
    USING (customer_id, channel)) s
    ON r.customer_id = s.customer_id AND r.channel = s.channel AND r.occurred_at >= s.sent_at
  WHERE r.occurred_at - s.sent_at <= ${responseWindow}
)
SELECT * FROM by_id UNION ALL SELECT * FROM by_time;

CREATE OR REPLACE TEMP TABLE campaign_touches AS
SELECT r.send_id, s.customer_id, r.occurred_at AS touched_at
FROM campaign_responses r JOIN campaign_send_list s USING (send_id)
WHERE r.type IN (${touchTypes});

CREATE OR REPLACE TEMP TABLE campaign_attributed AS
SELECT t.send_id, o.order_id, o.amount
FROM (
  SELECT order_id, customer_id, ordered_at, amount FROM orders
  WHERE coalesce(status, 'completed') = 'completed' AND amount > 0 AND ordered_at > ${start} AND ordered_at <= ${end}
    AND customer_id IN (SELECT customer_id FROM campaign_touches)
) o
ASOF JOIN campaign_touches t ON o.customer_id = t.customer_id AND o.ordered_at >= t.touched_at
WHERE o.ordered_at - t.touched_at <= ${attributionWindow};

CREATE OR REPLACE TABLE campaign_sends AS
SELECT s.send_id, s.customer_id, s.channel, s.sent_at, s.campaign,
  NOT coalesce(f.bounced, FALSE) AS delivered,
  -- Its whole attribution window lies before the as-of date: an order it led to could have been seen.
  s.sent_at <= ${end} - ${attributionWindow} AS matured,
  coalesce(f.opened, FALSE) AS opened,
  coalesce(f.clicked, FALSE) AS clicked,
  coalesce(f.unsubscribed, FALSE) AS unsubscribed,
  coalesce(a.orders, 0) AS orders,
  coalesce(a.revenue, 0) AS revenue
FROM campaign_send_list s
LEFT JOIN (
  SELECT send_id,
    bool_or(type IN ('email_bounce', 'sms_bounce')) AS bounced,
    bool_or(type IN ('email_open', 'email_click')) AS opened,
    bool_or(type IN ('email_click', 'sms_click')) AS clicked,
    bool_or(type = 'unsubscribe') AS unsubscribed
  FROM campaign_responses GROUP BY send_id
) f USING (send_id)
LEFT JOIN (SELECT send_id, count(*) AS orders, sum(amount) AS revenue FROM campaign_attributed GROUP BY send_id) a
  USING (send_id);

DROP TABLE campaign_events; DROP TABLE campaign_send_list; DROP TABLE campaign_responses;
DROP TABLE campaign_touches; DROP TABLE campaign_attributed;
`;
}
