/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1, as the BTYD models need it
 * (Fader & Hardie's Pareto/NBD likelihood note, the BG/NBD conditional expectation).
 *
 * The defining series Σ (a)_n (b)_n / ((c)_n n!) zⁿ is summed in scaled form so that huge values
 * (large a, b and z near 1, e.g. a frequent buyer over a long horizon) do not overflow: the result is
 * returned as log|2F1| and its sign. The terms behave like n^{a+b−c−1} zⁿ, so the series converges for
 * every z < 1; close to 1 it needs many terms, which is why a term budget guards it.
 */
import { PersonaeError } from '../core/errors.js';
import { gaussLegendre, logAddExp } from './special.js';

export interface SignedLog {
  readonly logAbs: number;
  readonly sign: number;
}

const RESCALE_AT = 1e250;
const MAX_TERMS = 2_000_000;
/** Above this z, 2F1(a, b; a+1; z) is split at z·t = 1/2 (see logHyp2f1Shifted): the series alone would need ~b/(1−z) terms. */
const SERIES_UP_TO = 0.5;

function isShift(a: number, c: number): boolean {
  return Math.abs(c - a - 1) <= 1e-12 * Math.max(1, Math.abs(c));
}

export function logHyp2f1(a: number, b: number, c: number, z: number): SignedLog {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer, got ${c}`);
  if (z === 0 || a === 0 || b === 0) return { logAbs: 0, sign: 1 };
  // c = a + 1 (or b + 1), the Pareto/NBD case: the split-integral evaluation stays fast for z near 1.
  const shiftedOn = isShift(a, c) ? a : isShift(b, c) ? b : NaN;
  if (shiftedOn > 0 && z > SERIES_UP_TO) {
    const other = shiftedOn === a ? b : a;
    const { value } = logHyp2f1Shifted(shiftedOn, other, z);
    if (Number.isFinite(value)) return { logAbs: value, sign: 1 };
  }
  let logScale = 0;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) break;
    // Past the peak of the terms (|ratio| < 1) the tail is bounded by a geometric series.
    const absRatio = Math.abs(ratio);
    if (absRatio < 1 && Math.abs(term) / (1 - absRatio) <= 1e-16 * Math.abs(sum)) break;
    if (Math.abs(sum) > RESCALE_AT || Math.abs(term) > RESCALE_AT) {
      sum /= RESCALE_AT;
      term /= RESCALE_AT;
      logScale += Math.log(RESCALE_AT);
    }
    if (n === MAX_TERMS - 1) {
      throw new PersonaeError(
        'convergence',
        'hyp2f1_not_converged',
        `hyp2f1(${a}, ${b}; ${c}; ${z}): the series did not converge within ${MAX_TERMS} terms (z too close to 1 for these a, b, c)`,
        'this is a numerical limitation, not a data error: rescale the time unit (e.g. weeks instead of days) or report the arguments',
      );
    }
  }
  return { logAbs: Math.log(Math.abs(sum)) + logScale, sign: sum < 0 ? -1 : sum > 0 ? 1 : 0 };
}

/** 2F1(a, b; c; z) as a plain number (may overflow to Infinity; prefer logHyp2f1 inside likelihoods). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const { logAbs, sign } = logHyp2f1(a, b, c, z);
  return sign * Math.exp(logAbs);
}

/** log 2F1(a, b; a+1; z) and its partial derivatives in a, b and z. */
export interface LogHyp2f1Gradient {
  readonly value: number;
  readonly da: number;
  readonly db: number;
  readonly dz: number;
}

/**
 * The special case 2F1(a, b; a+1; z), 0 ≤ z < 1, a > 0, b > 0 (the Pareto/NBD likelihood), with the
 * gradient of its logarithm.
 *
 * For z ≤ 1/2 the defining series converges geometrically: term_n carries d/da = 1/a − 1/(a+n)
 * (telescoping), d/db = Σ_{k<n} 1/(b+k) and d/dz = n/z; all terms are positive.
 * Closer to 1 the series needs ~(b + 40)/(1−z) terms (millions for daily data with a long-lived segment),
 * so the Euler integral 2F1 = a∫₀¹ t^{a−1}(1−zt)^{−b} dt is split at t* = 1/(2z):
 *   2F1(a, b; a+1; z) = t*^a · 2F1(a, b; a+1; 1/2) + a∫_{t*}^1 t^{a−1}(1−zt)^{−b} dt,
 * the first part by the series at 1/2, the second by Gauss–Legendre in v = log((1−zt)/(1−z)), where the
 * integrand is smooth; panels grow geometrically from the scale 1/(1 + a(1−z)) of the t^{a−1} factor.
 * Both parts are positive, so there is no cancellation, and the gradient is the weighted sum of theirs
 * (the split point is arbitrary, so its dependence on z drops out).
 * `oneMinusZ` may be passed when the caller knows 1 − z more precisely than z (z = d/(m+τ) near 1).
 * NaN (a bad point for an optimiser) only if the series at z ≤ 1/2 fails, which needs b beyond ~10⁵.
 */
export function logHyp2f1Shifted(a: number, b: number, z: number, oneMinusZ = 1 - z): LogHyp2f1Gradient {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (z === 0) return { value: 0, da: 0, db: 0, dz: (a * b) / (a + 1) };
  if (z > SERIES_UP_TO) return splitShifted(a, b, oneMinusZ);
  return seriesShifted(a, b, z);
}

function seriesShifted(a: number, b: number, z: number): LogHyp2f1Gradient {
  let logScale = 0;
  let term = 1;
  let sum = 1;
  let sumA = 0;
  let sumB = 0;
  let sumZ = 0;
  let harmonicB = 0;
  for (let n = 1; n <= MAX_TERMS; n++) {
    const ratio = ((a + n - 1) / (a + n)) * ((b + n - 1) / n) * z;
    harmonicB += 1 / (b + n - 1);
    term *= ratio;
    sum += term;
    sumA += term * (1 / a - 1 / (a + n));
    sumB += term * harmonicB;
    sumZ += term * n;
    if (ratio < 1 && (term * n) / (1 - ratio) <= 1e-16 * sumZ && term / (1 - ratio) <= 1e-16 * sum) break;
    if (sum > RESCALE_AT) {
      sum /= RESCALE_AT;
      term /= RESCALE_AT;
      sumA /= RESCALE_AT;
      sumB /= RESCALE_AT;
      sumZ /= RESCALE_AT;
      logScale += Math.log(RESCALE_AT);
    }
    if (n === MAX_TERMS) return { value: NaN, da: NaN, db: NaN, dz: NaN };
  }
  return { value: Math.log(sum) + logScale, da: sumA / sum, db: sumB / sum, dz: sumZ / (z * sum) };
}

const GL_ORDER = 12;

/** z > 1/2: the series part at 1/2 plus the integral over t ∈ [1/(2z), 1] (see logHyp2f1Shifted). */
function splitShifted(a: number, b: number, y: number): LogHyp2f1Gradient {
  const logZ = Math.log1p(-y);
  const z = 1 - y;
  const logTStar = -Math.LN2 - logZ;
  const head = seriesShifted(a, b, 0.5);
  const logHead = a * logTStar + head.value;
  // Tail: t = (1 − y e^v)/z, 1 − zt = y e^v, dt = (y e^v / z) dv, v ∈ [0, log(1/(2y))].
  const vEnd = Math.log(0.5 / y);
  const logY = Math.log(y);
  const { nodes, weights } = gaussLegendre(GL_ORDER);
  const logA = Math.log(a);
  // Log-sum-exp accumulation of Σ w·f and of Σ w·f·(∂ log f) for the three partials.
  let maxLog = -Infinity;
  let sum = 0;
  let sumA = 0;
  let sumB = 0;
  let sumZ = 0;
  // The first panel spans about one e-fold of the integrand: its log-slope at v = 0 is (1 − b) − (a − 1)y/(1 − y).
  let width = Math.min(0.5, 1 / (1 + a * y + Math.abs(1 - b)));
  for (let lo = 0; lo < vEnd; ) {
    if (a >= 1 && lo > 0) {
      // log f is concave in v when a ≥ 1, so once it decreases the rest is at most f(lo)/|(log f)'(lo)|.
      const edge = y * Math.exp(lo);
      const slope = 1 - b - ((a - 1) * edge) / (1 - edge);
      const logEdge = logA + (a - 1) * (Math.log1p(-edge) - logZ) + (1 - b) * (logY + lo) - logZ;
      if (slope < 0 && logEdge - Math.log(-slope) < maxLog + Math.log(sum) - 40) break;
    }
    const hi = Math.min(vEnd, lo + width);
    const half = (hi - lo) / 2;
    const mid = lo + half;
    for (let i = 0; i < GL_ORDER; i++) {
      const v = mid + half * (nodes[i] as number);
      const oneMinusZt = y * Math.exp(v);
      const logT = Math.log1p(-oneMinusZt) - logZ;
      const logOneMinusZt = logY + v;
      // a t^{a−1} (1−zt)^{−b} · dt/dv
      const logF = logA + (a - 1) * logT - b * logOneMinusZt + logOneMinusZt - logZ;
      if (logF > maxLog) {
        const shrink = Math.exp(maxLog - logF);
        sum *= shrink;
        sumA *= shrink;
        sumB *= shrink;
        sumZ *= shrink;
        maxLog = logF;
      }
      const f = (weights[i] as number) * half * Math.exp(logF - maxLog);
      sum += f;
      sumA += f * (1 / a + logT);
      sumB += f * -logOneMinusZt;
      sumZ += f * ((b * (1 - oneMinusZt)) / (oneMinusZt * z));
    }
    lo = hi;
    width = Math.min(2, width * 2);
  }
  const logTail = maxLog + Math.log(sum);
  const value = logAddExp(logHead, logTail);
  const wHead = Math.exp(logHead - value);
  const wTail = Math.exp(logTail - value);
  const tStar = Math.exp(logTStar);
  return {
    value,
    da: wHead * (logTStar + head.da) + (wTail * sumA) / sum,
    db: wHead * head.db + (wTail * sumB) / sum,
    dz: wHead * tStar * head.dz + (wTail * sumZ) / sum,
  };
}
