/**
 * Monotone corrections of predicted probabilities, fitted on held-out predictions and stored with the
 * model as plain data: Platt scaling (a logistic regression on the logit of the prediction; smooth,
 * keeps the ranking) and isotonic regression (pool-adjacent-violators; any monotone shape, step-wise).
 */

export type ProbabilityCorrection =
  | { readonly method: 'platt'; readonly slope: number; readonly intercept: number }
  | { readonly method: 'isotonic'; readonly thresholds: readonly number[]; readonly values: readonly number[] };

const EPS = 1e-6;

function logit(p: number): number {
  const q = Math.min(Math.max(p, EPS), 1 - EPS);
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Platt scaling by Newton–Raphson on the log-likelihood of y ~ sigmoid(slope·logit(p) + intercept), with
 * a tiny ridge so that separable data still gives finite coefficients.
 */
export function fitPlatt(p: ArrayLike<number>, outcomes: ArrayLike<number>): ProbabilityCorrection {
  let slope = 1;
  let intercept = 0;
  const ridge = 1e-6 * p.length;
  for (let iteration = 0; iteration < 50; iteration++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = ridge;
    let h01 = 0;
    let h11 = ridge;
    for (let i = 0; i < p.length; i++) {
      const x = logit(p[i] as number);
      const q = sigmoid(slope * x + intercept);
      const r = q - (outcomes[i] as number);
      const w = q * (1 - q);
      g0 += r * x;
      g1 += r;
      h00 += w * x * x;
      h01 += w * x;
      h11 += w;
    }
    g0 += ridge * (slope - 1);
    g1 += ridge * intercept;
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) break;
    const stepSlope = (h11 * g0 - h01 * g1) / det;
    const stepIntercept = (h00 * g1 - h01 * g0) / det;
    slope -= stepSlope;
    intercept -= stepIntercept;
    if (Math.abs(stepSlope) + Math.abs(stepIntercept) < 1e-10) break;
  }
  return { method: 'platt', slope, intercept };
}

/**
 * Isotonic regression of outcomes on predictions (pool adjacent violators). The fitted step function is
 * stored as block thresholds (the largest prediction of each block) and block means; between blocks it is
 * interpolated linearly so that the correction is continuous.
 */
export function fitIsotonic(p: ArrayLike<number>, outcomes: ArrayLike<number>): ProbabilityCorrection {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  const sums: number[] = [];
  const weights: number[] = [];
  const maxima: number[] = [];
  const minima: number[] = [];
  for (const i of order) {
    sums.push(outcomes[i] as number);
    weights.push(1);
    maxima.push(p[i] as number);
    minima.push(p[i] as number);
    while (sums.length > 1) {
      const last = sums.length - 1;
      if ((sums[last - 1] as number) / (weights[last - 1] as number) < (sums[last] as number) / (weights[last] as number) && maxima[last - 1] !== minima[last]) break;
      sums[last - 1] = (sums[last - 1] as number) + (sums.pop() as number);
      weights[last - 1] = (weights[last - 1] as number) + (weights.pop() as number);
      maxima[last - 1] = maxima.pop() as number;
      minima.pop();
    }
  }
  // Each block is represented at the mean of its extreme predictions.
  const thresholds = maxima.map((hi, b) => (hi + (minima[b] as number)) / 2);
  const values = sums.map((s, b) => s / (weights[b] as number));
  return { method: 'isotonic', thresholds, values };
}

/** Applies a correction to a probability array (returns a new array). */
export function applyCorrection(correction: ProbabilityCorrection, p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  if (correction.method === 'platt') {
    for (let i = 0; i < p.length; i++) out[i] = sigmoid(correction.slope * logit(p[i] as number) + correction.intercept);
    return out;
  }
  const { thresholds: t, values: v } = correction;
  const last = t.length - 1;
  for (let i = 0; i < p.length; i++) {
    const x = p[i] as number;
    if (x <= (t[0] as number)) out[i] = v[0] as number;
    else if (x >= (t[last] as number)) out[i] = v[last] as number;
    else {
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((t[mid] as number) <= x) lo = mid;
        else hi = mid;
      }
      const f = (x - (t[lo] as number)) / ((t[hi] as number) - (t[lo] as number));
      out[i] = (v[lo] as number) + f * ((v[hi] as number) - (v[lo] as number));
    }
  }
  return out;
}
