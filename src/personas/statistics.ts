/**
 * The few tests persona profiling needs: Welch's t, the two-proportion z test and multiple-testing
 * corrections. Pure numeric kernels; callers pass valid (finite, n ≥ 2) summaries.
 */
import { logBeta } from '../math/special.js';

/** Complementary error function, Chebyshev fit (Numerical Recipes erfcc): relative error < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal statistic. */
export function normalTwoSidedP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = -logBeta(a, b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with df degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return 1;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, regularizedBeta(df / (df + t * t), df / 2, 0.5));
}

export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  /** Unbiased sample variance. */
  readonly variance: number;
}

/** Welch's unequal-variance t test of mean(a) = mean(b). */
export function welchTest(a: SampleSummary, b: SampleSummary): { statistic: number; df: number; pValue: number } {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) {
    // Both groups constant: identical means are no evidence, different constants are certain.
    const statistic = a.mean === b.mean ? 0 : Math.sign(a.mean - b.mean) * Infinity;
    return { statistic, df: a.n + b.n - 2, pValue: a.mean === b.mean ? 1 : 0 };
  }
  const statistic = (a.mean - b.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { statistic, df, pValue: studentTwoSidedP(statistic, df) };
}

/** Pooled two-proportion z test of p(a) = p(b) from success counts. */
export function twoProportionTest(successA: number, nA: number, successB: number, nB: number): { statistic: number; pValue: number } {
  const pooled = (successA + successB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  const diff = successA / nA - successB / nB;
  if (!(se > 0)) return { statistic: 0, pValue: 1 };
  const statistic = diff / se;
  return { statistic, pValue: normalTwoSidedP(statistic) };
}

/** Adjusted p-values: Benjamini–Hochberg (false discovery rate) or Holm (family-wise), in input order. */
export function adjustPValues(pValues: readonly number[], method: 'bh' | 'holm'): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m).fill(1);
  if (method === 'holm') {
    let running = 0;
    order.forEach(({ p, i }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      adjusted[i] = running;
    });
    return adjusted;
  }
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, i } = order[rank] as { p: number; i: number };
    running = Math.min(running, (m * p) / (rank + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

/** Cohen's h between two proportions. */
export function cohenH(p: number, p0: number): number {
  return 2 * Math.asin(Math.sqrt(clamp01(p))) - 2 * Math.asin(Math.sqrt(clamp01(p0)));
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Quantile of an ascending-sorted array with linear interpolation (type 7, as R and numpy). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}
