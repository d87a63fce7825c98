import { quoteLiteral as lit } from '../io/sql.js';

/**
 * Per customer, the distinct categories of their completed purchases (amount > 0) up to `cutoff` and in
 * (cutoff, asOfEnd]: what cross-sell learns from, and what its backtest checks against.
 */
export function categoryHistorySql(cutoff: string, asOfEnd: string): string {
  const c = `TIMESTAMP ${lit(cutoff)}`;
  return `
SELECT customer_id,
  coalesce(list(DISTINCT category ORDER BY category) FILTER (WHERE ordered_at <= ${c}), []) AS before,
  coalesce(list(DISTINCT category ORDER BY category) FILTER (WHERE ordered_at > ${c}), []) AS after
FROM orders
WHERE coalesce(status, 'completed') = 'completed' AND amount > 0 AND category IS NOT NULL
  AND ordered_at <= TIMESTAMP ${lit(asOfEnd)}
GROUP BY customer_id
ORDER BY customer_id`;
}
