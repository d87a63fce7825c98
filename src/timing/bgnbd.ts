import { logHyp2f1 } from '../math/hypergeometric.js';
import { digamma, logAddExp, logBeta, logGamma } from '../math/special.js';
import {
  BtydModelBase,
  checkArtifact,
  fitPurchaseKernel,
  indexRows,
  type BtydSettings,
  type FitOptions,
  type IndexedRows,
  type LikelihoodKernel,
  type PurchaseCountModel,
  type RfmColumns,
} from './base-fitter.js';

/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). While alive a customer buys
 * as a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase they drop out with
 * probability p ~ Beta(a, b). Parameters: r, alpha (time unit of the data), a, b.
 */
export const BGNBD_TYPE = 'bgnbd';
export const BGNBD_VERSION = 1;
const PARAMS = ['r', 'alpha', 'a', 'b'] as const;

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** Σ w·(−log L) on log-parameters; per-frequency log-gamma terms computed once per evaluation. */
export const bgNbdKernel: LikelihoodKernel<IndexedRows> = {
  paramNames: PARAMS,
  scaleExponents: [0, 1, 0, 0],
  initialLogParams: [0, 0, 0, 0],
  negLogLikelihood(logParams, rows) {
    const r = Math.exp(logParams[0] as number);
    const alpha = Math.exp(logParams[1] as number);
    const a = Math.exp(logParams[2] as number);
    const b = Math.exp(logParams[3] as number);
    const xs = rows.distinctFrequencies;
    const perX = new Float64Array(xs.length);
    const common = logGamma(a + b) - logGamma(b) - logGamma(r) + r * Math.log(alpha);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k] as number;
      perX[k] = common + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    }
    // log P(alive at T, x, t_x | λ, p) integrated: −(r+x) log(α+T), per distinct (x, T).
    const { agePairs, recencyPairs } = rows;
    const alive = new Float64Array(agePairs.frequency.length);
    for (let j = 0; j < alive.length; j++) alive[j] = -(r + (agePairs.frequency[j] as number)) * Math.log(alpha + (agePairs.time[j] as number));
    // Dropped out after the last purchase: log a − log(b+x−1) − (r+x) log(α+t_x), per distinct (x, t_x).
    const dropped = new Float64Array(recencyPairs.frequency.length);
    for (let j = 0; j < dropped.length; j++) {
      const x = recencyPairs.frequency[j] as number;
      dropped[j] = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + (recencyPairs.time[j] as number)) : -Infinity;
    }
    let total = 0;
    const { weight, frequencyIndex } = rows;
    const ageRow = agePairs.rowIndex;
    const recencyRow = recencyPairs.rowIndex;
    for (let i = 0; i < weight.length; i++) {
      const ll = (perX[frequencyIndex[i] as number] as number) + logAddExp(alive[ageRow[i] as number] as number, dropped[recencyRow[i] as number] as number);
      total -= (weight[i] as number) * ll;
    }
    return total;
  },
  negLogLikelihoodGradient(logParams, rows, gradient) {
    const r = Math.exp(logParams[0] as number);
    const alpha = Math.exp(logParams[1] as number);
    const a = Math.exp(logParams[2] as number);
    const b = Math.exp(logParams[3] as number);
    const xs = rows.distinctFrequencies;
    const { agePairs, recencyPairs, weight, frequencyIndex } = rows;
    // Per distinct x: the log-gamma head and its partial derivatives (natural parameters).
    const common = logGamma(a + b) - logGamma(b) - logGamma(r) + r * Math.log(alpha);
    const psiAB = digamma(a + b);
    const headWeight = new Float64Array(xs.length);
    for (let i = 0; i < weight.length; i++) headWeight[frequencyIndex[i] as number] += weight[i] as number;
    let value = 0;
    let gr = 0;
    let galpha = 0;
    let ga = 0;
    let gb = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k] as number;
      const w = headWeight[k] as number;
      value += w * (common + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x));
      const psiABX = digamma(a + b + x);
      gr += w * (digamma(r + x) - digamma(r) + Math.log(alpha));
      galpha += w * (r / alpha);
      ga += w * (psiAB - psiABX);
      gb += w * (psiAB - digamma(b) + digamma(b + x) - psiABX);
    }
    const nAge = agePairs.frequency.length;
    const alive = new Float64Array(nAge);
    const aliveDr = new Float64Array(nAge);
    const aliveDalpha = new Float64Array(nAge);
    for (let j = 0; j < nAge; j++) {
      const rx = r + (agePairs.frequency[j] as number);
      const log = Math.log(alpha + (agePairs.time[j] as number));
      alive[j] = -rx * log;
      aliveDr[j] = -log;
      aliveDalpha[j] = -rx / (alpha + (agePairs.time[j] as number));
    }
    const nRec = recencyPairs.frequency.length;
    const dropped = new Float64Array(nRec);
    const droppedDr = new Float64Array(nRec);
    const droppedDalpha = new Float64Array(nRec);
    const droppedDb = new Float64Array(nRec);
    for (let j = 0; j < nRec; j++) {
      const x = recencyPairs.frequency[j] as number;
      if (x === 0) {
        dropped[j] = -Infinity;
        continue;
      }
      const log = Math.log(alpha + (recencyPairs.time[j] as number));
      dropped[j] = Math.log(a) - Math.log(b + x - 1) - (r + x) * log;
      droppedDr[j] = -log;
      droppedDalpha[j] = -(r + x) / (alpha + (recencyPairs.time[j] as number));
      droppedDb[j] = -1 / (b + x - 1);
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
      const wAlive = Math.exp(A - L);
      const wDropped = 1 - wAlive;
      value += w * L;
      gr += w * (wAlive * (aliveDr[ai] as number) + wDropped * (droppedDr[di] as number));
      galpha += w * (wAlive * (aliveDalpha[ai] as number) + wDropped * (droppedDalpha[di] as number));
      ga += (w * wDropped) / a;
      gb += w * wDropped * (droppedDb[di] as number);
    }
    // Negative log-likelihood; chain rule to log-parameters: d/dlogθ = θ·d/dθ.
    gradient[0] = -gr * r;
    gradient[1] = -galpha * alpha;
    gradient[2] = -ga * a;
    gradient[3] = -gb * b;
    return -value;
  },
};

const KIND = { type: BGNBD_TYPE, version: BGNBD_VERSION, label: 'BG/NBD', paramNames: PARAMS };

export class BetaGeoModel extends BtydModelBase<BgNbdParams> implements PurchaseCountModel {
  constructor(settings: Partial<BtydSettings> = {}) {
    super(KIND, settings);
  }

  fit(data: RfmColumns, options: { seed?: number } & Omit<FitOptions, 'penalty'> = {}): this {
    const fit = fitPurchaseKernel(KIND.label, bgNbdKernel, data, { ...options, penalty: this.settings.penalty });
    return this.setFitted(fit.params as unknown as BgNbdParams, fit);
  }

  /** Per-customer log-likelihood (same formula as the kernel, for one row). */
  logLikelihood(x: number, tx: number, T: number): number {
    const lp = Float64Array.from(PARAMS, (k) => Math.log(this.fitted().params[k]));
    const rows = indexRows({ frequency: Float64Array.of(x), recency: Float64Array.of(tx), age: Float64Array.of(T), weight: Float64Array.of(1) });
    return -bgNbdKernel.negLogLikelihood(lp, rows);
  }

  expectedPurchases(t: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    const h = logHyp2f1(r, b, a + b - 1, t / (alpha + t));
    const term = h.sign * Math.exp(r * Math.log(alpha / (alpha + t)) + h.logAbs);
    return ((a + b - 1) / (a - 1)) * (1 - term);
  }

  /** P(alive at T): one-time buyers (x = 0) cannot have dropped out yet under BG/NBD, so it is 1. */
  pAlive(x: number, tx: number, T: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    if (x === 0) return 1;
    const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
    return 1 / (1 + Math.exp(logOdds));
  }

  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number {
    if (t <= 0) return 0;
    const { r, alpha, a, b } = this.fitted().params;
    const h = logHyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
    const term = h.sign * Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t)) + h.logAbs);
    const ifAlive = ((a + b + x - 1) / (a - 1)) * (1 - term);
    return this.pAlive(x, tx, T) * ifAlive;
  }

  /**
   * P(exactly n purchases in (T, T+t]). Alive at T, λ | history ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x);
   * the count is min(N(t), G) with N Poisson and G the purchase at which the customer drops out, so
   * P(n) = E[NB(n)]·E[(1−p)^{n−1}] + P(N > n)·E[p(1−p)^{n−1}] for n ≥ 1, and P(0) = P(N = 0) (plus the dead).
   */
  pPurchases(n: number, t: number, x: number, tx: number, T: number): number {
    const { r, alpha, a, b } = this.fitted().params;
    const alive = this.pAlive(x, tx, T);
    const shape = r + x;
    const rate = alpha + T;
    const nb = (k: number): number =>
      Math.exp(logGamma(shape + k) - logGamma(shape) - logGamma(k + 1) + shape * Math.log(rate / (rate + t)) + (k > 0 ? k * Math.log(t / (rate + t)) : 0));
    if (n === 0) return 1 - alive + alive * nb(0);
    let cdf = 0;
    for (let k = 0; k <= n; k++) cdf += nb(k);
    const base = logBeta(a, b + x);
    const survive = Math.exp(logBeta(a, b + x + n - 1) - base);
    const dieAtN = Math.exp(logBeta(a + 1, b + x + n - 1) - base);
    return alive * (nb(n) * survive + Math.max(0, 1 - cdf) * dieAtN);
  }

  /** Under BG/NBD an alive customer always buys again (drop-out only happens at a purchase). */
  pEverPurchaseAgain(x: number, tx: number, T: number): number {
    return this.pAlive(x, tx, T);
  }

  /** Alive, the wait is Exp(λ) with λ ~ Gamma(r+x, α+T): a Lomax law with closed-form quantiles. */
  nextPurchaseQuantile(q: number, x: number, _tx: number, T: number): number {
    const { r, alpha } = this.fitted().params;
    return (alpha + T) * Math.expm1(-Math.log1p(-q) / (r + x));
  }

  static fromArtifact(artifact: unknown): BetaGeoModel {
    const checked = checkArtifact(artifact, KIND.type, KIND.version, KIND.paramNames);
    return new BetaGeoModel(checked.settings).restore(checked);
  }

  /** A model with given parameters (published estimates, simulations). */
  static withParams(params: BgNbdParams, settings: Partial<BtydSettings> = {}): BetaGeoModel {
    return new BetaGeoModel(settings).setFitted(params, null);
  }
}
