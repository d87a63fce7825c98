import { fitCategoryAffinity, recommendCategories } from '../../campaigns/category-affinity.js';
import { categoryHistorySql } from '../../campaigns/category-history-sql.js';
import { backtestCrossSell, type CrossSellBacktest } from '../../campaigns/cross-sell-backtest.js';
import { addDays, toIsoDate } from '../../core/time.js';
import { exec, forEachRow } from '../../io/duckdb.js';
import { NEXT_CATEGORIES_TABLE } from '../../segments/rule-sql.js';
import type { RunContext } from '../context.js';
import { rowFinder } from '../row-finder.js';
import type { FeatureTable } from './features.js';

export interface NextCategory {
  readonly category: string;
  readonly score: number;
  /** The category the customer bought that weighs most in the suggestion ("bought shoes, not yet bags"). */
  readonly because: string | null;
  /**
   * The categories bought, one bit per index of `categories` (up to 31 categories; null beyond): what the
   * report counts "bought shoes, not yet bags" with.
   */
  readonly bought: number | null;
}

/** Categories a bit mask can hold (JavaScript bitwise operators work on 32-bit integers). */
export const MASKABLE_CATEGORIES = 31;

export interface CrossSellResult {
  readonly available: boolean;
  readonly reason?: string;
  readonly categories: readonly string[];
  /** Categories of an "other"/unknown family: learned from, never recommended. */
  readonly excludedCategories: readonly string[];
  readonly backtest: (CrossSellBacktest & { readonly cutoff: string; readonly holdoutDays: number }) | null;
  /** The next best category per customer who bought something, with its score under the chosen method. */
  readonly next: NextCategoryLookup;
}

/** The next best categories by customer id or by row of the features, and how many customers have one. */
export interface NextCategoryLookup {
  readonly size: number;
  get(customerId: string): NextCategory | undefined;
  /** The next best category of the customer on row `row` of the features (no search by id). */
  at(row: number): NextCategory | undefined;
}

/**
 * Cross-sell: the category each customer is most likely to buy next among those they have not bought,
 * chosen among item-based CF and co-purchase lift by a backtest over the timing holdout window.
 */
export async function crossSellStage(ctx: RunContext, features: FeatureTable): Promise<[CrossSellResult]> {
  const holdoutDays = ctx.config.timing.holdout_days;
  const asOfEnd = `${toIsoDate(ctx.asOf)} 23:59:59.999999`;
  const cutoff = `${toIsoDate(addDays(ctx.asOf, -holdoutDays))} 23:59:59.999999`;
  // Read as DuckDB streams them, each category name held once (not once per customer who bought it).
  const rows: { customer_id: string; before: string[]; after: string[] }[] = [];
  const names = new Map<string, string>();
  const shared = (list: string[]): string[] =>
    list.map((c) => {
      const name = names.get(c);
      if (name !== undefined) return name;
      names.set(c, c);
      return c;
    });
  await forEachRow(ctx.engine.connection, categoryHistorySql(cutoff, asOfEnd), (r) =>
    rows.push({ customer_id: r.customer_id as string, before: shared(r.before as string[]), after: shared(r.after as string[]) }),
  );
  const categories = [...new Set(rows.flatMap((r) => [...r.before, ...r.after]))].sort();
  const none = (reason: string): [CrossSellResult] => {
    ctx.log.info(`cross-sell: none (${reason})`);
    return [{ available: false, reason, categories, excludedCategories: [], backtest: null, next: NO_NEXT_CATEGORIES }];
  };
  if (categories.length < 2) return none(categories.length === 0 ? 'the orders have no category' : 'only one category');
  const index = new Map(categories.map((c, i) => [c, i]));
  const ix = (list: readonly string[]): number[] => list.map((c) => index.get(c) as number);
  const unknown = new Set(ctx.config.campaigns.cross_sell_exclude.map((c) => c.trim().toLowerCase()));
  const excluded = new Set(categories.flatMap((c, i) => (unknown.has(c.trim().toLowerCase()) ? [i] : [])));
  if (categories.length - excluded.size < 2) return none('fewer than two categories that can be recommended');
  const backtest = backtestCrossSell(
    categories,
    rows.map((r) => ({ before: ix(r.before), after: ix(r.after) })),
    [1, 3],
    excluded,
  );
  const baskets = rows.map((r) => [...new Set([...ix(r.before), ...ix(r.after)])].sort((a, b) => a - b));
  const model = fitCategoryAffinity(categories, baskets);
  const next = new NextCategories(features.customerIds, categories);
  const written = await nextCategoriesWriter(ctx);
  try {
    rows.forEach((r, i) => {
      const [best] = recommendCategories(model, baskets[i] as number[], backtest.chosen, 1, excluded);
      if (!best) return;
      written.append(r.customer_id, categories[best.category] as string, best.score);
      next.set(r.customer_id, best.category, best.score, best.because, baskets[i] as number[]);
    });
  } finally {
    written.close();
  }
  const k = `@${Math.max(...backtest.ks)}`;
  ctx.log.info(
    `cross-sell: ${backtest.chosen} recall${k} ${backtest.methods[backtest.chosen].recall[k]?.toFixed(3)} vs popularity ${backtest.methods.popularity.recall[k]?.toFixed(3)} (${backtest.evaluated} customers in the holdout)`,
  );
  return [
    {
      available: true,
      categories,
      excludedCategories: [...excluded].map((i) => categories[i] as string),
      backtest: { ...backtest, cutoff: cutoff.slice(0, 10), holdoutDays },
      next,
    },
  ];
}

/** `next_categories(customer_id, next_category, next_category_score)`: what `next_category` rule conditions read. */
async function nextCategoriesWriter(
  ctx: RunContext,
): Promise<{ append: (customerId: string, category: string, score: number) => void; close: () => void }> {
  const { connection } = ctx.engine;
  await exec(
    connection,
    `CREATE OR REPLACE TABLE ${NEXT_CATEGORIES_TABLE} (customer_id VARCHAR, next_category VARCHAR, next_category_score DOUBLE)`,
  );
  const appender = await connection.createAppender(NEXT_CATEGORIES_TABLE);
  return {
    append: (customerId, category, score) => {
      appender.appendVarchar(customerId);
      appender.appendVarchar(category);
      appender.appendDouble(score);
      appender.endRow();
    },
    close: () => appender.closeSync(),
  };
}

const NO_NEXT_CATEGORIES: NextCategoryLookup = { size: 0, get: () => undefined, at: () => undefined };

/**
 * The next best categories as typed columns on the features' rows (20 bytes a customer), not an object and a map
 * entry keyed by a string of its own per customer: the scores and the report read them until the run ends. A
 * customer outside the features (none reads them) is only counted.
 */
class NextCategories implements NextCategoryLookup {
  #size = 0;
  readonly #rowOf: (customerId: string) => number | undefined;
  readonly #categories: readonly string[];
  /** Index in `categories`, -1 for none; `because` likewise. */
  readonly #category: Int32Array;
  readonly #because: Int32Array;
  readonly #score: Float64Array;
  readonly #bought: Int32Array;

  constructor(customerIds: readonly string[], categories: readonly string[]) {
    const n = customerIds.length;
    this.#rowOf = rowFinder(customerIds);
    this.#categories = categories;
    this.#category = new Int32Array(n).fill(-1);
    this.#because = new Int32Array(n).fill(-1);
    this.#score = new Float64Array(n);
    this.#bought = new Int32Array(n);
  }

  get size(): number {
    return this.#size;
  }

  set(customerId: string, category: number, score: number, because: number | null, basket: readonly number[]): void {
    this.#size++;
    const row = this.#rowOf(customerId);
    if (row === undefined) return;
    this.#category[row] = category;
    this.#because[row] = because ?? -1;
    this.#score[row] = score;
    this.#bought[row] = basket.reduce((m, c) => m | (1 << c), 0);
  }

  get(customerId: string): NextCategory | undefined {
    const row = this.#rowOf(customerId);
    return row === undefined ? undefined : this.at(row);
  }

  at(row: number): NextCategory | undefined {
    const category = this.#category[row] as number;
    if (category < 0) return undefined;
    const because = this.#because[row] as number;
    return {
      category: this.#categories[category] as string,
      score: this.#score[row] as number,
      because: because < 0 ? null : (this.#categories[because] as string),
      bought: this.#categories.length <= MASKABLE_CATEGORIES ? (this.#bought[row] as number) : null,
    };
  }
}
