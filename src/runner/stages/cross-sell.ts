import { fitCategoryAffinity, recommendCategories } from '../../campaigns/category-affinity.js';
import { categoryHistorySql } from '../../campaigns/category-history-sql.js';
import { backtestCrossSell, type CrossSellBacktest } from '../../campaigns/cross-sell-backtest.js';
import { addDays, toIsoDate } from '../../core/time.js';
import { queryRows } from '../../io/duckdb.js';
import type { RunContext } from '../context.js';

export interface CrossSellResult {
  readonly available: boolean;
  readonly reason?: string;
  readonly categories: readonly string[];
  readonly backtest: (CrossSellBacktest & { readonly cutoff: string; readonly holdoutDays: number }) | null;
  /** The next best category per customer who bought something, with its score under the chosen method. */
  readonly next: ReadonlyMap<string, { readonly category: string; readonly score: number }>;
}

/**
 * Cross-sell: the category each customer is most likely to buy next among those they have not bought,
 * chosen among item-based CF and co-purchase lift by a backtest over the timing holdout window.
 */
export async function crossSellStage(ctx: RunContext): Promise<[CrossSellResult]> {
  const holdoutDays = ctx.config.timing.holdout_days;
  const asOfEnd = `${toIsoDate(ctx.asOf)} 23:59:59.999999`;
  const cutoff = `${toIsoDate(addDays(ctx.asOf, -holdoutDays))} 23:59:59.999999`;
  const rows = await queryRows<{ customer_id: string; before: string[]; after: string[] }>(
    ctx.engine.connection,
    categoryHistorySql(cutoff, asOfEnd),
  );
  const categories = [...new Set(rows.flatMap((r) => [...r.before, ...r.after]))].sort();
  const none = (reason: string): [CrossSellResult] => {
    ctx.log.info(`cross-sell: none (${reason})`);
    return [{ available: false, reason, categories, backtest: null, next: new Map() }];
  };
  if (categories.length < 2) return none(categories.length === 0 ? 'the orders have no category' : 'only one category');
  const index = new Map(categories.map((c, i) => [c, i]));
  const ix = (list: readonly string[]): number[] => list.map((c) => index.get(c) as number);
  const backtest = backtestCrossSell(
    categories,
    rows.map((r) => ({ before: ix(r.before), after: ix(r.after) })),
  );
  const baskets = rows.map((r) => [...new Set([...ix(r.before), ...ix(r.after)])].sort((a, b) => a - b));
  const model = fitCategoryAffinity(categories, baskets);
  const next = new Map<string, { category: string; score: number }>();
  rows.forEach((r, i) => {
    const [best] = recommendCategories(model, baskets[i] as number[], backtest.chosen, 1);
    if (best) next.set(r.customer_id, { category: categories[best.category] as string, score: best.score });
  });
  const k = `@${Math.max(...backtest.ks)}`;
  ctx.log.info(
    `cross-sell: ${backtest.chosen} recall${k} ${backtest.methods[backtest.chosen].recall[k]?.toFixed(3)} vs popularity ${backtest.methods.popularity.recall[k]?.toFixed(3)} (${backtest.evaluated} customers in the holdout)`,
  );
  return [{ available: true, categories, backtest: { ...backtest, cutoff: cutoff.slice(0, 10), holdoutDays }, next }];
}
