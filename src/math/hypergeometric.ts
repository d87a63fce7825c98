/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1, as the BTYD models need it
 * (Fader & Hardie's Pareto/NBD likelihood note, the BG/NBD conditional expectation).
 *
 * The defining series Σ (a)_n (b)_n / ((c)_n n!) zⁿ is summed in scaled form so that huge values
 * (large a, b and z near 1, e.g. a frequent buyer over a long horizon) do not overflow: the result is
 * returned as log|2F1| and its sign. The terms behave like n^{a+b−c−1} zⁿ, so the series converges for
 * every z < 1; close to 1 it needs many terms, which is why a term budget guards it.
 */
export interface SignedLog {
  readonly logAbs: number;
  readonly sign: number;
}

const RESCALE_AT = 1e250;
const MAX_TERMS = 2_000_000;

export function logHyp2f1(a: number, b: number, c: number, z: number): SignedLog {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer, got ${c}`);
  if (z === 0 || a === 0 || b === 0) return { logAbs: 0, sign: 1 };
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
    if (n === MAX_TERMS - 1) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge`);
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
 * The special case 2F1(a, b; a+1; z), 0 ≤ z < 1, a > 0 (the Pareto/NBD likelihood), with the gradient of
 * its logarithm from the same series: term_n carries d/da = 1/a − 1/(a+n) (telescoping),
 * d/db = Σ_{k<n} 1/(b+k) and d/dz = n/z. All terms are positive when b > 0.
 * Inside a likelihood an optimiser may probe z extremely close to 1; there, instead of throwing, the
 * result is NaN when the series does not converge within the term budget, so that the line search backs
 * away from that point as from any non-finite objective.
 */
export function logHyp2f1Shifted(a: number, b: number, z: number): LogHyp2f1Gradient {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (z === 0) return { value: 0, da: 0, db: 0, dz: (a * b) / (a + 1) };
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
