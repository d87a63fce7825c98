import { clusteredVariance, clusteredZ, designEffect, type ClusteredCounts } from './clustered-rate.js';
import { normalQuantile } from './normal-quantile.js';

/** One half of a persona's bisection: its customers and their email clicks and conversions per delivered send. */
export interface SplitHalf {
  readonly customers: number;
  readonly click: ClusteredCounts;
  readonly conversion: ClusteredCounts;
}

export interface SplitCandidate {
  readonly persona: string;
  readonly label: string | null;
  readonly halves: readonly [SplitHalf, SplitHalf];
  /** The clustering feature on which the halves' centres lie furthest apart, and which half is higher on it. */
  readonly apartOn: {
    readonly feature: string;
    readonly label: { readonly en: string; readonly fr: string };
    readonly higherHalf: 'a' | 'b';
  } | null;
}

export interface SplitSuggestion {
  readonly kind: 'split';
  readonly persona: string;
  readonly label: string | null;
  readonly apartOn: SplitCandidate['apartOn'];
  /** Both halves' sizes and rates, the z statistics of their differences and the threshold they passed. */
  readonly evidence: Readonly<Record<string, number>>;
}

export interface SplitOptions {
  /** Each half needs at least this many delivered emails to be compared (the KPI table's min_delivered). */
  readonly minDelivered: number;
  /** …and at least this many customers. */
  readonly minCustomers: number;
  /** Family-wise level over every test made (two per comparable persona), Bonferroni-corrected. */
  readonly alpha: number;
  /**
   * The higher half's rate must exceed the lower's by at least this share of it (0.2: 6% against 5%): with a
   * million sends a difference of a tenth of a point is significant, but no reason to run two campaigns.
   */
  readonly minRelativeDifference: number;
  /** …and by at least this much (0.001: a tenth of a percentage point), so that 0.02% against 0.01% is no reason either. */
  readonly minAbsoluteDifference: number;
}

export const DEFAULT_SPLIT_OPTIONS: SplitOptions = { minDelivered: 100, minCustomers: 30, alpha: 0.05, minRelativeDifference: 0.2, minAbsoluteDifference: 0.001 };

const rate = (c: ClusteredCounts): number => (c.trials > 0 ? c.successes / c.trials : 0);

/** How far the higher rate lies above the lower, as a share of the lower (Infinity against a rate of 0). */
function relativeDifference(a: ClusteredCounts, b: ClusteredCounts): number {
  const [low, high] = [rate(a), rate(b)].sort((x, y) => x - y) as [number, number];
  if (high === 0) return 0;
  return low === 0 ? Infinity : (high - low) / low;
}

/**
 * Personas to split: the two halves of a persona's bisection (2-means in the clustering space) respond
 * differently to email — their click rates or their conversion rates differ at the family-wise level α
 * (Bonferroni over the 2 × personas tests, so that a run with many personas does not find a split by chance),
 * with customers as clusters (a customer's sends are not independent), and by at least the minimum relative
 * and absolute differences, so that a large brand is not told to split over a difference too small to act on. Halves below the
 * minimum size are not compared.
 */
export function splitSuggestions(candidates: readonly SplitCandidate[], options: SplitOptions = DEFAULT_SPLIT_OPTIONS): SplitSuggestion[] {
  const comparable = candidates.filter((c) =>
    c.halves.every((h) => h.click.trials >= options.minDelivered && h.customers >= options.minCustomers),
  );
  const tests = 2 * comparable.length;
  if (tests === 0) return [];
  const threshold = normalQuantile(1 - options.alpha / (2 * tests));
  const out: SplitSuggestion[] = [];
  for (const c of comparable) {
    const [a, b] = c.halves;
    const zClick = clusteredZ(a.click, b.click);
    const zConversion = clusteredZ(a.conversion, b.conversion);
    const differs = (z: number, x: ClusteredCounts, y: ClusteredCounts): boolean =>
      Math.abs(z) >= threshold &&
      relativeDifference(x, y) >= options.minRelativeDifference &&
      Math.abs(rate(x) - rate(y)) >= options.minAbsoluteDifference;
    if (!differs(zClick, a.click, b.click) && !differs(zConversion, a.conversion, b.conversion)) continue;
    out.push({
      kind: 'split',
      persona: c.persona,
      label: c.label,
      apartOn: c.apartOn,
      evidence: {
        customers_a: a.customers,
        customers_b: b.customers,
        delivered_a: a.click.trials,
        delivered_b: b.click.trials,
        click_rate_a: rate(a.click),
        click_rate_b: rate(b.click),
        conversion_rate_a: rate(a.conversion),
        conversion_rate_b: rate(b.conversion),
        click_se_a: Math.sqrt(clusteredVariance(a.click)),
        click_se_b: Math.sqrt(clusteredVariance(b.click)),
        design_effect_click_a: designEffect(a.click),
        design_effect_click_b: designEffect(b.click),
        z_click: zClick,
        z_conversion: zConversion,
        z_threshold: threshold,
        tests,
      },
    });
  }
  return out;
}
