import { logHyp2f1 } from '../math/hypergeometric.js';
import { digamma, logAddExp, logBeta, logGamma } from '../math/special.js';
import {
  BtydModelBase,
  fitPurchaseKernel,
  indexRows,
  type FitOptions,
  type IndexedRows,
  type LikelihoodKernel,
  type PurchaseCountModel,
  type RfmColumns,
} from './base-fitter.js';

/**
 * The beta-geometric family of purchase-count models: while alive a customer buys as a Poisson process with
 * rate λ ~ Gamma(r, α), and at each "drop-out opportunity" drops out for good with probability
 * p ~ Beta(a, b). The two members differ only in when the opportunities come:
 *
 * - BG/NBD (Fader, Hardie & Lee 2005): after each REPEAT purchase. A one-time buyer has had no opportunity,
 *   so BG/NBD must call every one-time buyer alive (P(alive) = 1, however long the silence).
 * - MBG/NBD (Batislam, Denizel & Filiztekin 2007; Wagner & Hoppe 2008 erratum): also right after the FIRST
 *   purchase, so a customer can leave without ever coming back, and a one-time buyer's P(alive) falls with
 *   the silence like everyone else's.
 *
 * `shift` is the number of extra opportunities before the first repeat purchase (0 for BG/NBD, 1 for
 * MBG/NBD): a customer with x repeat purchases has had x + shift opportunities, so every formula is
 * BG/NBD's with b + x replaced by b + x + shift (the posterior of p given survival is Beta(a, b + x + shift)).
 */
export interface BetaGeometricParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export const BETA_GEOMETRIC_PARAMS = ['r', 'alpha', 'a', 'b'] as const;

/**
 * Σ w·(−log L) on log-parameters: L = Γ(r+x)α^r/Γ(r) · B(a, b+x+k)/B(a, b) · [(α+T)^{−(r+x)} +
 * a/(b+x+k−1) · (α+t_x)^{−(r+x)}], the second (dropped-out) term only when x + k > 0.
 */
export function betaGeometricKernel(shift: 0 | 1): LikelihoodKernel<IndexedRows> {
  return {
    paramNames: BETA_GEOMETRIC_PARAMS,
    scaleExponents: [0, 1, 0, 0],
    initialLogParams: [0, 0, 0, 0],
    negLogLikelihood(logParams, rows) {
      return evaluate(shift, logParams, rows, undefined);
    },
    negLogLikelihoodGradient(logParams, rows, gradient) {
      return evaluate(shift, logParams, rows, gradient);
    },
  };
}

/** The negative log-likelihood, and its gradient in the log-parameters when `gradient` is given. */
function evaluate(
  k: number,
  logParams: Float64Array,
  rows: IndexedRows,
  gradient: Float64Array | undefined,
): number {
  const r = Math.exp(logParams[0] as number);
  const alpha = Math.exp(logParams[1] as number);
  const a = Math.exp(logParams[2] as number);
  const b = Math.exp(logParams[3] as number);
  const want = gradient !== undefined;
  const xs = rows.distinctFrequencies;
  const { agePairs, recencyPairs, weight, frequencyIndex } = rows;
  // Per distinct x: the log-gamma head Γ(r+x)α^r/Γ(r) · B(a, b+x+k)/B(a, b), weighted by its customers.
  const common = logGamma(a + b) - logGamma(b) - logGamma(r) + r * Math.log(alpha);
  const headWeight = new Float64Array(xs.length);
  for (let i = 0; i < weight.length; i++) headWeight[frequencyIndex[i] as number] += weight[i] as number;
  let value = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  const psiAB = want ? digamma(a + b) : 0;
  const psiR = want ? digamma(r) : 0;
  const psiB = want ? digamma(b) : 0;
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j] as number;
    const w = headWeight[j] as number;
    value += w * (common + logGamma(r + x) + logGamma(b + x + k) - logGamma(a + b + x + k));
    if (!want) continue;
    const psiABX = digamma(a + b + x + k);
    gr += w * (digamma(r + x) - psiR + Math.log(alpha));
    galpha += w * (r / alpha);
    ga += w * (psiAB - psiABX);
    gb += w * (psiAB - psiB + digamma(b + x + k) - psiABX);
  }
  // Alive at T: −(r+x) log(α+T), per distinct (x, T).
  const nAge = agePairs.frequency.length;
  const alive = new Float64Array(nAge);
  const aliveDr = new Float64Array(nAge);
  const aliveDalpha = new Float64Array(nAge);
  for (let j = 0; j < nAge; j++) {
    const rx = r + (agePairs.frequency[j] as number);
    const at = alpha + (agePairs.time[j] as number);
    const log = Math.log(at);
    alive[j] = -rx * log;
    aliveDr[j] = -log;
    aliveDalpha[j] = -rx / at;
  }
  // Dropped out after the last purchase: log a − log(b+x+k−1) − (r+x) log(α+t_x), per distinct (x, t_x).
  const nRec = recencyPairs.frequency.length;
  const dropped = new Float64Array(nRec);
  const droppedDr = new Float64Array(nRec);
  const droppedDalpha = new Float64Array(nRec);
  const droppedDb = new Float64Array(nRec);
  for (let j = 0; j < nRec; j++) {
    const x = recencyPairs.frequency[j] as number;
    if (x + k === 0) {
      dropped[j] = -Infinity;
      continue;
    }
    const at = alpha + (recencyPairs.time[j] as number);
    const log = Math.log(at);
    dropped[j] = Math.log(a) - Math.log(b + x + k - 1) - (r + x) * log;
    droppedDr[j] = -log;
    droppedDalpha[j] = -(r + x) / at;
    droppedDb[j] = -1 / (b + x + k - 1);
  }
  const ageRow = agePairs.rowIndex;
  const recencyRow = recencyPairs.rowIndex;
  for (let i = 0; i < weight.length; i++) {
    const ai = ageRow[i] as number;
    const di = recencyRow[i] as number;
    const A = alive[ai] as number;
    const D = dropped[di] as number;
    const L = logAddExp(A, D);
    const w = weight[i] as number;
    value += w * L;
    if (!want) continue;
    const wAlive = Math.exp(A - L);
    const wDropped = 1 - wAlive;
    gr += w * (wAlive * (aliveDr[ai] as number) + wDropped * (droppedDr[di] as number));
    galpha += w * (wAlive * (aliveDalpha[ai] as number) + wDropped * (droppedDalpha[di] as number));
    ga += (w * wDropped) / a;
    gb += w * wDropped * (droppedDb[di] as number);
  }
  if (gradient) {
    // Negative log-likelihood; chain rule to log-parameters: d/dlogθ = θ·d/dθ.
    gradient[0] = -gr * r;
    gradient[1] = -galpha * alpha;
    gradient[2] = -ga * a;
    gradient[3] = -gb * b;
  }
  return -value;
}

/** Closed-form predictions shared by BG/NBD and MBG/NBD (see the module comment for `shift`). */
export abstract class BetaGeometricModel
  extends BtydModelBase<BetaGeometricParams>
  implements PurchaseCountModel
{
  protected abstract readonly shift: 0 | 1;
  protected abstract readonly kernel: LikelihoodKernel<IndexedRows>;

  fit(data: RfmColumns, options: { seed?: number } & Omit<FitOptions, 'penalty'> = {}): this {
    const fit = fitPurchaseKernel(this.kind.label, this.kernel, data, {
      ...options,
      penalty: this.settings.penalty,
    });
    return this.setFitted(fit.params as unknown as BetaGeometricParams, fit);
  }

  /** Per-customer log-likelihood (same formula as the kernel, for one row). */
  logLikelihood(x: number, tx: number, T: number): number {
    const lp = Float64Array.from(BETA_GEOMETRIC_PARAMS, (name) => Math.log(this.fitted().params[name]));
    const rows = indexRows({
      frequency: Float64Array.of(x),
      recency: Float64Array.of(tx),
      age: Float64Array.of(T),
      weight: Float64Array.of(1),
    });
    return -this.kernel.negLogLikelihood(lp, rows);
  }

  /** E[X(t)] for a customer just acquired: P(survives the opportunities at the first purchase) · E[X(t) | alive]. */
  expectedPurchases(t: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    const k = this.shift;
    const survive = Math.exp(logBeta(a, b + k) - logBeta(a, b));
    return survive * this.ifAlive(t, 0, 0, r, alpha, a, b);
  }

  /**
   * P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x+k−1) · ((α+T)/(α+t_x))^{r+x}). Under BG/NBD a one-time buyer
   * (x = 0) has had no drop-out opportunity: 1. Under MBG/NBD it falls with the silence.
   */
  pAlive(x: number, tx: number, T: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    const k = this.shift;
    if (x + k === 0) return 1;
    const logOdds =
      Math.log(a) - Math.log(b + x + k - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
    return 1 / (1 + Math.exp(logOdds));
  }

  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number {
    if (t <= 0) return 0;
    const { r, alpha, a, b } = this.fitted().params;
    return this.pAlive(x, tx, T) * this.ifAlive(t, x, T, r, alpha, a, b);
  }

  /**
   * P(exactly n purchases in (T, T+t]). Alive at T, λ | history ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+k);
   * the count is min(N(t), G) with N Poisson and G the purchase after which the customer drops out, so
   * P(n) = E[NB(n)]·E[(1−p)^{n−1}] + P(N > n)·E[p(1−p)^{n−1}] for n ≥ 1, and P(0) = P(N = 0) (plus the dead).
   */
  pPurchases(n: number, t: number, x: number, tx: number, T: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    const bx = b + x + this.shift;
    const alive = this.pAlive(x, tx, T);
    const shape = r + x;
    const rate = alpha + T;
    const nb = (m: number): number =>
      Math.exp(
        logGamma(shape + m) -
          logGamma(shape) -
          logGamma(m + 1) +
          shape * Math.log(rate / (rate + t)) +
          (m > 0 ? m * Math.log(t / (rate + t)) : 0),
      );
    if (n === 0) return 1 - alive + alive * nb(0);
    let cdf = 0;
    for (let m = 0; m <= n; m++) cdf += nb(m);
    const base = logBeta(a, bx);
    const survive = Math.exp(logBeta(a, bx + n - 1) - base);
    const dieAtN = Math.exp(logBeta(a + 1, bx + n - 1) - base);
    return alive * (nb(n) * survive + Math.max(0, 1 - cdf) * dieAtN);
  }

  /** Drop-out only happens right after a purchase: an alive customer always buys again. */
  pEverPurchaseAgain(x: number, tx: number, T: number): number {
    return this.pAlive(x, tx, T);
  }

  /** Alive, the wait is Exp(λ) with λ ~ Gamma(r+x, α+T): a Lomax law with closed-form quantiles. */
  nextPurchaseQuantile(q: number, x: number, _tx: number, T: number): number {
    const { r, alpha } = this.fitted().params;
    return (alpha + T) * Math.expm1(-Math.log1p(-q) / (r + x));
  }

  /** E[purchases in (T, T+t] | alive at T] = (a+b+x+k−1)/(a−1) · [1 − (A/(A+t))^{r+x} 2F1(r+x, b+x+k; a+b+x+k−1; t/(A+t))], A = α+T. */
  private ifAlive(t: number, x: number, T: number, r: number, alpha: number, a: number, b: number): number {
    const bx = b + x + this.shift;
    const A = alpha + T;
    const h = logHyp2f1(r + x, bx, a + bx - 1, t / (A + t));
    const term = h.sign * Math.exp((r + x) * Math.log(A / (A + t)) + h.logAbs);
    return ((a + bx - 1) / (a - 1)) * (1 - term);
  }
}
