/**
 * Special functions for likelihoods, in double precision. Pure, no allocation in the hot paths.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log|Γ(x)| for real x (Lanczos g=7 below 10, Stirling series above; ~1e-15 relative).
 * Poles (0, −1, −2, …) give +Infinity.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  if (x >= 10) return stirlingLogGamma(x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function stirlingLogGamma(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log(e^a + e^b) without overflow; −Infinity is the additive identity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a − e^b) for a ≥ b; −Infinity when equal, NaN when b > a. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

/** log Σ e^{v_i}. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/**
 * Gauss–Legendre nodes and weights on [−1, 1] (Newton iterations on P_n; computed once per order).
 */
const legendreCache = new Map<number, { nodes: Float64Array; weights: Float64Array }>();
export function gaussLegendre(order: number): { nodes: Float64Array; weights: Float64Array } {
  const cached = legendreCache.get(order);
  if (cached) return cached;
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  for (let i = 0; i < Math.ceil(order / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (order + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= order; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = order === 1 ? x : p1;
      const pPrev = order === 1 ? 1 : p0;
      derivative = (order * (x * pn - pPrev)) / (x * x - 1);
      const step = pn / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = -x;
    nodes[order - 1 - i] = x;
    const w = 2 / ((1 - x * x) * derivative * derivative);
    weights[i] = w;
    weights[order - 1 - i] = w;
  }
  const rule = { nodes, weights };
  legendreCache.set(order, rule);
  return rule;
}

/** ∫_a^b f by composite Gauss–Legendre (`panels` equal panels of `order` nodes). For smooth integrands. */
export function integrate(f: (u: number) => number, a: number, b: number, panels = 4, order = 20): number {
  if (a === b) return 0;
  const { nodes, weights } = gaussLegendre(order);
  const width = (b - a) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * width;
    const half = width / 2;
    let sum = 0;
    for (let i = 0; i < order; i++) sum += (weights[i] as number) * f(mid + half * (nodes[i] as number));
    total += sum * half;
  }
  return total;
}

/** ψ(x) = d/dx log Γ(x) for x > 0 (recurrence up to 12, then the asymptotic series; ~1e-15). */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let result = 0;
  let v = x;
  while (v < 12) {
    result -= 1 / v;
    v += 1;
  }
  const inv = 1 / v;
  const inv2 = inv * inv;
  return (
    result + Math.log(v) - 0.5 * inv - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}
