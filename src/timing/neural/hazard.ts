/**
 * Discrete-time hazard maths for the neural timing model (pure, no TensorFlow).
 *
 * Time after the cutoff is cut into bins [e0=0, e1), [e1, e2), … up to the horizon. The network predicts,
 * for each bin k, the hazard h_k = P(next purchase falls in bin k | no purchase before bin k). A customer
 * whose next purchase happens on day t contributes to every bin up to the one holding t (survived, then
 * event); a censored customer contributes only to the bins fully observed. This is the censored
 * discrete-time likelihood of nnet-survival (Gensheimer & Narasimhan 2019), which keeps customers with no
 * purchase in the window instead of treating them as "never".
 */

/** Bin edges in days, strictly increasing from 0 to the horizon. */
export interface HazardBins {
  readonly edges: Float64Array;
}

export function makeBins(binDays: number, horizonDays: number): HazardBins {
  const count = Math.ceil(horizonDays / binDays);
  const edges = new Float64Array(count + 1);
  for (let k = 1; k <= count; k++) edges[k] = Math.min(k * binDays, horizonDays);
  return { edges };
}

export function binCount(bins: HazardBins): number {
  return bins.edges.length - 1;
}

/** Per-bin targets, row-major n×K: `event` is 1 in the bin of the purchase; `atRisk` 1 where the bin counts. */
export interface HazardTargets {
  readonly event: Float32Array;
  readonly atRisk: Float32Array;
}

/**
 * Builds the targets from days to the next purchase (days are 1-based: a purchase the day after the cutoff
 * is day 1) and the event flag (0 = censored at `days`). A purchase on day t lies in the bin with
 * e_k < t ≤ e_{k+1}; a censored customer is at risk in the bins it survived entirely (e_{k+1} ≤ days).
 */
export function hazardTargets(days: Float64Array, event: Uint8Array, bins: HazardBins): HazardTargets {
  const k = binCount(bins);
  const n = days.length;
  const eventMask = new Float32Array(n * k);
  const atRisk = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const t = days[i] as number;
    const row = i * k;
    if (event[i] === 1) {
      for (let b = 0; b < k; b++) {
        atRisk[row + b] = 1;
        if (t <= (bins.edges[b + 1] as number)) {
          eventMask[row + b] = 1;
          break;
        }
      }
    } else {
      for (let b = 0; b < k && (bins.edges[b + 1] as number) <= t; b++) atRisk[row + b] = 1;
    }
  }
  return { event: eventMask, atRisk };
}

/** Mean observed hazard per bin (events / at-risk), used to start the output bias at the right level. */
export function empiricalHazards(targets: HazardTargets, k: number): Float64Array {
  const events = new Float64Array(k);
  const risk = new Float64Array(k);
  for (let j = 0; j < targets.atRisk.length; j++) {
    events[j % k] = (events[j % k] as number) + (targets.event[j] as number);
    risk[j % k] = (risk[j % k] as number) + (targets.atRisk[j] as number);
  }
  // Half a pseudo-event keeps bins with no events (or no one at risk) away from a hazard of exactly 0 or 1.
  return events.map((e, b) => (e + 0.5) / ((risk[b] as number) + 1));
}

/** Negative censored log-likelihood summed over customers (reference for the TensorFlow loss). */
export function hazardNegLogLik(hazards: Float64Array, targets: HazardTargets): number {
  let total = 0;
  for (let j = 0; j < hazards.length; j++) {
    if (targets.atRisk[j] === 0) continue;
    const h = Math.min(Math.max(hazards[j] as number, 1e-12), 1 - 1e-12);
    total -= targets.event[j] === 1 ? Math.log(h) : Math.log1p(-h);
  }
  return total;
}

/**
 * P(no purchase by day t) for each customer, from row-major n×K hazards. Within a bin the daily hazard is
 * taken as constant, so S(e_k + f·w_k) = S(e_k)·(1 − h_k)^f; beyond the horizon S is undefined (NaN).
 */
export function survivalAt(hazards: Float64Array, bins: HazardBins, t: number): Float64Array {
  const k = binCount(bins);
  const n = hazards.length / k;
  const out = new Float64Array(n);
  const horizon = bins.edges[k] as number;
  if (t > horizon) return out.fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let b = 0; b < k; b++) {
      const lo = bins.edges[b] as number;
      const hi = bins.edges[b + 1] as number;
      if (t <= lo) break;
      const h = hazards[i * k + b] as number;
      s *= t >= hi ? 1 - h : Math.pow(1 - h, (t - lo) / (hi - lo));
    }
    out[i] = s;
  }
  return out;
}

/**
 * The day by which the customer has bought with probability q (the q-quantile of days to the next
 * purchase), or +Infinity when that probability is not reached within the horizon.
 */
export function timeQuantile(hazards: Float64Array, bins: HazardBins, q: number): Float64Array {
  const k = binCount(bins);
  const n = hazards.length / k;
  const out = new Float64Array(n);
  const target = 1 - q;
  for (let i = 0; i < n; i++) {
    let s = 1;
    let found = Number.POSITIVE_INFINITY;
    for (let b = 0; b < k; b++) {
      const h = hazards[i * k + b] as number;
      const next = s * (1 - h);
      if (next <= target) {
        const lo = bins.edges[b] as number;
        const width = (bins.edges[b + 1] as number) - lo;
        // Solve s·(1−h)^f = target for the fraction f of the bin (f = 0 when h = 1).
        const fraction = h >= 1 ? 0 : Math.log(target / s) / Math.log1p(-h);
        found = lo + Math.min(Math.max(fraction, 0), 1) * width;
        break;
      }
      s = next;
    }
    out[i] = found;
  }
  return out;
}
