/** 97.5th percentile of the standard normal: two-sided 95% intervals. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval of a binomial proportion `successes / trials` (Wilson 1927): unlike the normal
 * approximation it stays inside [0, 1] and is honest for rates near 0 or 1 and for small counts.
 * Undefined (null) when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 (or every) success the bound is exactly 0 (or 1): centre − half leaves a rounding residue such as
  // 8.7e-19, which a report would print as a lower bound of 0.000000000000000087%.
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= trials ? 1 : Math.min(1, centre + half),
  };
}
