import {
  CROSS_SELL_METHODS,
  fitCategoryAffinity,
  recommendCategories,
  type CrossSellMethod,
} from './category-affinity.js';

/** Categories a customer bought up to the cutoff, and those bought after it (indices into `categories`). */
export interface CategoryHistory {
  readonly before: readonly number[];
  readonly after: readonly number[];
}

export interface MethodScore {
  /** Share of evaluated customers who bought at least one of the top-k recommended categories. */
  readonly hitRate: Readonly<Record<string, number>>;
  /** Mean share of each evaluated customer's new categories that are among the top k. */
  readonly recall: Readonly<Record<string, number>>;
}

export interface CrossSellBacktest {
  /** Customers with a purchase before the cutoff who bought a category new to them after it. */
  readonly evaluated: number;
  readonly calibrationCustomers: number;
  readonly ks: readonly number[];
  readonly methods: Readonly<Record<CrossSellMethod, MethodScore>>;
  /** The method with the best recall at the largest k (hit rate breaks ties; item_cf wins a full tie). */
  readonly chosen: CrossSellMethod;
  /** Whether the chosen method's recall at the largest k is above the popularity baseline's. */
  readonly beatsPopularity: boolean;
}

/**
 * Backtest like the timing models': learn affinity from purchases up to the cutoff, recommend categories
 * not bought yet, and check them against the new categories each customer bought in the holdout window.
 */
export function backtestCrossSell(
  categories: readonly string[],
  histories: readonly CategoryHistory[],
  ks: readonly number[] = [1, 3],
  excluded: ReadonlySet<number> = new Set(),
): CrossSellBacktest {
  const calibration = histories.filter((h) => h.before.length > 0);
  const model = fitCategoryAffinity(categories, calibration.map((h) => h.before));
  const evaluated = calibration
    // A new category that is never recommended (an "other" family) is neither a hit nor a miss.
    .map((h) => ({ before: h.before, fresh: h.after.filter((c) => !h.before.includes(c) && !excluded.has(c)) }))
    .filter((h) => h.fresh.length > 0);
  const kMax = Math.max(...ks);
  const methods = {} as Record<CrossSellMethod, MethodScore>;
  for (const method of CROSS_SELL_METHODS) {
    const hits = new Array<number>(ks.length).fill(0);
    const recalls = new Array<number>(ks.length).fill(0);
    for (const h of evaluated) {
      const top = recommendCategories(model, h.before, method, kMax, excluded).map((r) => r.category);
      ks.forEach((k, i) => {
        const found = h.fresh.filter((c) => top.slice(0, k).includes(c)).length;
        if (found > 0) hits[i] = (hits[i] as number) + 1;
        recalls[i] = (recalls[i] as number) + found / h.fresh.length;
      });
    }
    const n = Math.max(1, evaluated.length);
    methods[method] = {
      hitRate: Object.fromEntries(ks.map((k, i) => [`@${k}`, (hits[i] as number) / n])),
      recall: Object.fromEntries(ks.map((k, i) => [`@${k}`, (recalls[i] as number) / n])),
    };
  }
  const at = `@${kMax}`;
  const chosen = (['item_cf', 'lift'] as const).reduce((best, m) => {
    const a = methods[m];
    const b = methods[best];
    const better =
      (a.recall[at] as number) > (b.recall[at] as number) ||
      ((a.recall[at] as number) === (b.recall[at] as number) && (a.hitRate[at] as number) > (b.hitRate[at] as number));
    return better ? m : best;
  }, 'item_cf' as CrossSellMethod);
  const beatsPopularity = (methods[chosen].recall[at] as number) > (methods.popularity.recall[at] as number);
  return { evaluated: evaluated.length, calibrationCustomers: calibration.length, ks, methods, chosen, beatsPopularity };
}
