/**
 * Category affinity learned from who bought what: per category the number of customers who bought it, per
 * pair the number who bought both. Customers are sets of category indices (order does not matter).
 */
export interface CategoryAffinity {
  readonly categories: readonly string[];
  readonly customers: number;
  /** Customers who bought category i. */
  readonly buyers: readonly number[];
  /** Customers who bought both i and j (symmetric, row-major k × k; the diagonal is `buyers`). */
  readonly both: Float64Array;
}

export function fitCategoryAffinity(categories: readonly string[], baskets: readonly (readonly number[])[]): CategoryAffinity {
  const k = categories.length;
  const buyers = new Array<number>(k).fill(0);
  const both = new Float64Array(k * k);
  for (const basket of baskets) {
    for (const i of basket) {
      buyers[i] = (buyers[i] as number) + 1;
      for (const j of basket) both[i * k + j] = (both[i * k + j] as number) + 1;
    }
  }
  return { categories, customers: baskets.length, buyers, both };
}

export const CROSS_SELL_METHODS = ['item_cf', 'lift', 'popularity'] as const;
export type CrossSellMethod = (typeof CROSS_SELL_METHODS)[number];

export interface Recommendation {
  readonly category: number;
  readonly score: number;
  /** The category bought that weighs most in the score (largest cosine or lift); null for popularity. */
  readonly because: number | null;
}

/**
 * Categories the customer has not bought, best first (ties by popularity, then name order):
 * - `item_cf`: item-based collaborative filtering over categories (Sarwar et al. 2001): the sum, over the
 *   categories bought, of the cosine similarity of the buyer sets, both(i, c) / sqrt(buyers(i) · buyers(c));
 * - `lift`: co-purchase lift, the largest over the categories bought of
 *   P(c | i) / P(c) = both(i, c) · customers / (buyers(i) · buyers(c));
 * - `popularity`: the share of customers who bought c (the baseline).
 * A customer who bought nothing gets the popularity ranking from every method. `excluded` categories (an
 * "other" family) are never recommended.
 */
export function recommendCategories(
  model: CategoryAffinity,
  bought: readonly number[],
  method: CrossSellMethod,
  k: number,
  excluded: ReadonlySet<number> = new Set(),
): Recommendation[] {
  const n = model.categories.length;
  const owned = new Set(bought);
  const scored: Recommendation[] = [];
  for (let c = 0; c < n; c++) {
    const buyersC = model.buyers[c] as number;
    if (owned.has(c) || buyersC === 0 || excluded.has(c)) continue;
    let score = 0;
    let because: number | null = null;
    let strongest = 0;
    if (method === 'popularity' || bought.length === 0) score = buyersC / model.customers;
    else {
      for (const i of bought) {
        const term =
          method === 'item_cf'
            ? (model.both[i * n + c] as number) / Math.sqrt((model.buyers[i] as number) * buyersC)
            : ((model.both[i * n + c] as number) * model.customers) / ((model.buyers[i] as number) * buyersC);
        score = method === 'item_cf' ? score + term : Math.max(score, term);
        if (term > strongest) [strongest, because] = [term, i];
      }
    }
    scored.push({ category: c, score, because });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (model.buyers[b.category] as number) - (model.buyers[a.category] as number) ||
      a.category - b.category,
  );
  return scored.slice(0, k);
}
