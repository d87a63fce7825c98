import { logHyp2f1Shifted } from '../math/hypergeometric.js';
import { digamma, integrate, logAddExp, logGamma, logSubExp } from '../math/special.js';
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
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987). While alive a customer buys at rate λ ~ Gamma(r, α);
 * the lifetime is Exp(μ) with μ ~ Gamma(s, β). Likelihood as in Fader & Hardie's note "A Note on Deriving
 * the Pareto/NBD Model and Related Expressions" (2005), in log space, with the Gauss hypergeometric 2F1
 * evaluated on the side of max(α, β) so its argument stays in [0, 1) (as `lifetimes` does).
 */
export const PARETO_NBD_TYPE = 'pareto_nbd';
export const PARETO_NBD_VERSION = 1;
const PARAMS = ['r', 'alpha', 's', 'beta'] as const;

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/**
 * log F(τ), F(τ) = (m+τ)^{−(r+s+x)} 2F1(r+s+x, c; r+s+x+1; |α−β|/(m+τ)), m = max(α, β), c = r+x when α < β
 * else s+1, so that A₀ = F(t_x) − F(T) = (r+s+x)∫_{t_x}^{T} (α+τ)^{−(r+x)}(β+τ)^{−(s+1)} dτ (the mass of
 * dying between the last purchase and T).
 */
function logF(r: number, alpha: number, s: number, beta: number, x: number, tau: number): number {
  const max = Math.max(alpha, beta);
  const rsx = r + s + x;
  // 1 − z = (min+τ)/(max+τ), passed exactly since z nears 1 when min(α, β) + τ ≪ max(α, β) (daily data).
  const h = logHyp2f1Shifted(rsx, alpha < beta ? r + x : s + 1, Math.abs(alpha - beta) / (max + tau), (Math.min(alpha, beta) + tau) / (max + tau));
  return h.value - rsx * Math.log(max + tau);
}

/** log F(τ) and its partial derivatives in (r, α, s, β), written to out[0..4]. */
function logFGradient(r: number, alpha: number, s: number, beta: number, x: number, tau: number, out: Float64Array, at: number): void {
  const rsx = r + s + x;
  if (alpha < beta) {
    // m = β, c = r + x, z = (β − α)/(β + τ).
    const mt = beta + tau;
    const h = logHyp2f1Shifted(rsx, r + x, (beta - alpha) / mt, (alpha + tau) / mt);
    const logM = Math.log(mt);
    out[at] = h.value - rsx * logM;
    out[at + 1] = h.da + h.db - logM;
    out[at + 2] = -h.dz / mt;
    out[at + 3] = h.da - logM;
    out[at + 4] = (h.dz * (alpha + tau)) / (mt * mt) - rsx / mt;
  } else {
    // m = α, c = s + 1, z = (α − β)/(α + τ).
    const mt = alpha + tau;
    const h = logHyp2f1Shifted(rsx, s + 1, (alpha - beta) / mt, (beta + tau) / mt);
    const logM = Math.log(mt);
    out[at] = h.value - rsx * logM;
    out[at + 1] = h.da - logM;
    out[at + 2] = (h.dz * (beta + tau)) / (mt * mt) - rsx / mt;
    out[at + 3] = h.da + h.db - logM;
    out[at + 4] = -h.dz / mt;
  }
}

function logA0(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  return logSubExp(logF(r, alpha, s, beta, x, tx), logF(r, alpha, s, beta, x, T));
}

function logLikelihoodRow(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  const rows = indexRows({ frequency: Float64Array.of(x), recency: Float64Array.of(tx), age: Float64Array.of(T), weight: Float64Array.of(1) });
  return -paretoNbdKernel.negLogLikelihood(Float64Array.from([r, alpha, s, beta], Math.log), rows);
}

export const paretoNbdKernel: LikelihoodKernel<IndexedRows> = {
  paramNames: PARAMS,
  scaleExponents: [0, 1, 0, 1],
  initialLogParams: [0, 0, 0, 0],
  negLogLikelihood(logParams, rows) {
    const r = Math.exp(logParams[0] as number);
    const alpha = Math.exp(logParams[1] as number);
    const s = Math.exp(logParams[2] as number);
    const beta = Math.exp(logParams[3] as number);
    const xs = rows.distinctFrequencies;
    const head = new Float64Array(xs.length);
    const common = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    for (let k = 0; k < xs.length; k++) head[k] = common + logGamma(r + (xs[k] as number));
    const { agePairs, recencyPairs } = rows;
    // Per distinct (x, T): alive at T, and log F(T); per distinct (x, t_x): log F(t_x).
    const aliveAtT = new Float64Array(agePairs.frequency.length);
    const logFAge = new Float64Array(agePairs.frequency.length);
    for (let j = 0; j < aliveAtT.length; j++) {
      const x = agePairs.frequency[j] as number;
      const T = agePairs.time[j] as number;
      aliveAtT[j] = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
      logFAge[j] = logF(r, alpha, s, beta, x, T);
    }
    const logFRecency = new Float64Array(recencyPairs.frequency.length);
    for (let j = 0; j < logFRecency.length; j++) {
      logFRecency[j] = logF(r, alpha, s, beta, recencyPairs.frequency[j] as number, recencyPairs.time[j] as number);
    }
    const logS = Math.log(s);
    let total = 0;
    const { frequency, recency, age, weight, frequencyIndex } = rows;
    for (let i = 0; i < weight.length; i++) {
      const ai = agePairs.rowIndex[i] as number;
      const died =
        (recency[i] as number) < (age[i] as number)
          ? logS - Math.log(r + s + (frequency[i] as number)) + logSubExp(logFRecency[recencyPairs.rowIndex[i] as number] as number, logFAge[ai] as number)
          : -Infinity;
      total -= (weight[i] as number) * ((head[frequencyIndex[i] as number] as number) + logAddExp(aliveAtT[ai] as number, died));
    }
    return total;
  },
  negLogLikelihoodGradient(logParams, rows, gradient) {
    const r = Math.exp(logParams[0] as number);
    const alpha = Math.exp(logParams[1] as number);
    const s = Math.exp(logParams[2] as number);
    const beta = Math.exp(logParams[3] as number);
    const xs = rows.distinctFrequencies;
    const { agePairs, recencyPairs, frequency, recency, age, weight, frequencyIndex } = rows;
    const headWeight = new Float64Array(xs.length);
    for (let i = 0; i < weight.length; i++) headWeight[frequencyIndex[i] as number] += weight[i] as number;
    // Head Γ(r+x)α^rβ^s/Γ(r): value and derivatives, summed over rows through the per-x weights.
    let value = 0;
    const g = [0, 0, 0, 0];
    const psiR = digamma(r);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k] as number;
      const w = headWeight[k] as number;
      value += w * (logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta));
      g[0] += w * (digamma(r + x) - psiR + Math.log(alpha));
      g[1] += (w * r) / alpha;
      g[2] += w * Math.log(beta);
      g[3] += (w * s) / beta;
    }
    // Per (x, T): alive-at-T term and log F(T), each with 4 derivatives (stride 5).
    const nAge = agePairs.frequency.length;
    const aliveAtT = new Float64Array(nAge * 5);
    const fAge = new Float64Array(nAge * 5);
    for (let j = 0; j < nAge; j++) {
      const x = agePairs.frequency[j] as number;
      const T = agePairs.time[j] as number;
      const la = Math.log(alpha + T);
      const lb = Math.log(beta + T);
      aliveAtT[j * 5] = -(r + x) * la - s * lb;
      aliveAtT[j * 5 + 1] = -la;
      aliveAtT[j * 5 + 2] = -(r + x) / (alpha + T);
      aliveAtT[j * 5 + 3] = -lb;
      aliveAtT[j * 5 + 4] = -s / (beta + T);
      logFGradient(r, alpha, s, beta, x, T, fAge, j * 5);
    }
    const nRec = recencyPairs.frequency.length;
    const fRec = new Float64Array(nRec * 5);
    for (let j = 0; j < nRec; j++) logFGradient(r, alpha, s, beta, recencyPairs.frequency[j] as number, recencyPairs.time[j] as number, fRec, j * 5);
    const logS = Math.log(s);
    const logRsx = xs.map((x) => Math.log(r + s + x));
    for (let i = 0; i < weight.length; i++) {
      const w = weight[i] as number;
      const ai = (agePairs.rowIndex[i] as number) * 5;
      const A = aliveAtT[ai] as number;
      if (!((recency[i] as number) < (age[i] as number))) {
        value += w * A;
        for (let p = 0; p < 4; p++) g[p] += w * (aliveAtT[ai + p + 1] as number);
        continue;
      }
      const ri = (recencyPairs.rowIndex[i] as number) * 5;
      const rsx = r + s + (frequency[i] as number);
      const S = logSubExp(fRec[ri] as number, fAge[ai] as number);
      // S = log(F(t_x) − F(T)), so e^{log F(t_x) − S} − e^{log F(T) − S} = 1.
      const eR = Math.exp((fRec[ri] as number) - S);
      const eA = eR - 1;
      const died = logS - (logRsx[frequencyIndex[i] as number] as number) + S;
      const L = logAddExp(A, died);
      const wAlive = Math.exp(A - L);
      const wDied = 1 - wAlive;
      value += w * L;
      for (let p = 0; p < 4; p++) {
        const dS = eR * (fRec[ri + p + 1] as number) - eA * (fAge[ai + p + 1] as number);
        const dConst = p === 0 ? -1 / rsx : p === 2 ? 1 / s - 1 / rsx : 0;
        g[p] += w * (wAlive * (aliveAtT[ai + p + 1] as number) + wDied * (dConst + dS));
      }
    }
    const natural = [r, alpha, s, beta];
    for (let p = 0; p < 4; p++) gradient[p] = -(g[p] as number) * (natural[p] as number);
    return -value;
  },
};

const KIND = { type: PARETO_NBD_TYPE, version: PARETO_NBD_VERSION, label: 'Pareto/NBD', paramNames: PARAMS };

export class ParetoNbdModel extends BtydModelBase<ParetoNbdParams> implements PurchaseCountModel {
  constructor(settings: Partial<BtydSettings> = {}) {
    super(KIND, settings);
  }

  fit(data: RfmColumns, options: { seed?: number } & Omit<FitOptions, 'penalty'> = {}): this {
    const fit = fitPurchaseKernel(KIND.label, paretoNbdKernel, data, { ...options, penalty: this.settings.penalty });
    return this.setFitted(fit.params as unknown as ParetoNbdParams, fit);
  }

  logLikelihood(x: number, tx: number, T: number): number {
    const { r, alpha, s, beta } = this.fitted().params;
    return logLikelihoodRow(r, alpha, s, beta, x, tx, T);
  }

  /** E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^{s−1}] (the s → 1 limit is rβ/α · log(1 + t/β)). */
  expectedPurchases(t: number): number {
    const { r, alpha, s, beta } = this.fitted().params;
    return (r / alpha) * lifetimeIntegral(s, beta, t);
  }

  /**
   * A customer's predictions ask for P(alive) a dozen times (each horizon, each CLV month): the last one is
   * kept, since it costs two 2F1 evaluations (same value, bit for bit).
   */
  pAlive(x: number, tx: number, T: number): number {
    const state = this.fitted();
    const last = this.lastAlive;
    if (last && last.state === state && last.x === x && last.tx === tx && last.T === T) return last.value;
    const { r, alpha, s, beta } = state.params;
    let value = 1;
    if (tx < T) {
      const logOdds = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0(r, alpha, s, beta, x, tx, T);
      value = 1 / (1 + Math.exp(logOdds));
    }
    this.lastAlive = { state, x, tx, T, value };
    return value;
  }

  private lastAlive: { state: object; x: number; tx: number; T: number; value: number } | undefined;

  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number {
    if (t <= 0) return 0;
    const { r, alpha, s, beta } = this.fitted().params;
    return this.pAlive(x, tx, T) * ((r + x) / (alpha + T)) * lifetimeIntegral(s, beta + T, t);
  }

  /**
   * P(exactly n in (T, T+t]). Alive at T, λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) independently; the count
   * is N(min(D, t)) with D ~ Exp(μ): P(n) = NB_t(n)·S(t) + ∫₀ᵗ f_D(u) NB_u(n) du with S, f_D the posterior
   * survival and density of the remaining lifetime (integral by Gauss–Legendre on a log-time grid).
   */
  pPurchases(n: number, t: number, x: number, tx: number, T: number): number {
    const alive = this.pAlive(x, tx, T);
    return (n === 0 ? 1 - alive : 0) + alive * this.alivePurchases(n, t, x, T);
  }

  /**
   * P(exactly n in (T, T+t] | alive at T): it depends on (x, T) only, not on t_x, so the values of the last
   * (x, T) are kept (customers sorted by (x, T) then share them; same value, bit for bit).
   */
  private alivePurchases(n: number, t: number, x: number, T: number): number {
    const state = this.fitted();
    let kept = this.lastAlivePurchases;
    if (!kept || kept.state !== state || kept.x !== x || kept.T !== T) this.lastAlivePurchases = kept = { state, x, T, values: [] };
    for (const v of kept.values) if (v.n === n && v.t === t) return v.value;
    const { r, alpha, s, beta } = state.params;
    const shape = r + x;
    const A = alpha + T;
    const B = beta + T;
    // The Γ terms do not depend on u: computed once, not at each of the integral's nodes (same sum order).
    const logNbConstant = logGamma(shape + n) - logGamma(shape) - logGamma(n + 1);
    const logNb = (u: number): number => logNbConstant + shape * Math.log(A / (A + u)) + (n > 0 ? n * Math.log(u / (A + u)) : 0);
    const survival = (u: number): number => Math.exp(s * Math.log(B / (B + u)));
    const deathDensity = (u: number): number => (s / B) * Math.exp((s + 1) * Math.log(B / (B + u)));
    const diesFirst = integrateLogTime((u) => deathDensity(u) * Math.exp(logNb(u)), t, Math.min(A, B));
    const value = Math.exp(logNb(t)) * survival(t) + diesFirst;
    if (kept.values.length >= 8) kept.values.shift();
    kept.values.push({ n, t, value });
    return value;
  }

  private lastAlivePurchases: { state: object; x: number; T: number; values: { n: number; t: number; value: number }[] } | undefined;

  /** P(buys before dying | alive) = E[λ/(λ+μ)] = ∫₀^∞ E[λe^{−λu}] E[e^{−μu}] du. */
  pEverPurchaseAgain(x: number, tx: number, T: number): number {
    return this.pAlive(x, tx, T) * this.aliveEverPurchases(x, T);
  }

  /**
   * Quantile of the wait given a next purchase: safeguarded Newton on the conditional CDF (its derivative
   * is the density), falling back to bisection whenever a Newton step leaves the bracket.
   */
  nextPurchaseQuantile(q: number, x: number, _tx: number, T: number): number {
    const { density, scale, decay } = this.nextPurchaseDensity(x, T);
    const cdf = (t: number): number => integrateLogTime(density, t, scale, decay);
    const target = q * this.aliveEverPurchases(x, T);
    let lo = 0;
    let hi = scale;
    for (let k = 0; k < 200 && cdf(hi) < target; k++) {
      lo = hi;
      hi *= 4;
    }
    let t = 0.5 * (lo + hi);
    for (let k = 0; k < 100; k++) {
      const gap = cdf(t) - target;
      if (Math.abs(gap) <= 1e-12 * target) break;
      if (gap < 0) lo = t;
      else hi = t;
      if (hi - lo <= 1e-10 * hi) break;
      const newton = t - gap / density(t);
      t = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
    }
    return t;
  }

  /**
   * P(any next purchase | alive at T) = ∫₀^∞ (r+x)/A (A/(A+u))^{r+x+1} (B/(B+u))^s du. The integral to
   * infinity is the costly part of a customer's predictions (up to 1,200 nodes) and the same for
   * pEverPurchaseAgain and each quantile of every customer with this (x, T): the last one is kept (same
   * value, bit for bit).
   */
  private aliveEverPurchases(x: number, T: number): number {
    const state = this.fitted();
    const last = this.lastEverPurchases;
    if (last && last.state === state && last.x === x && last.T === T) return last.value;
    const { density, scale, decay } = this.nextPurchaseDensity(x, T);
    const value = integrateLogTime(density, Infinity, scale, decay);
    this.lastEverPurchases = { state, x, T, value };
    return value;
  }

  private lastEverPurchases: { state: object; x: number; T: number; value: number } | undefined;

  private nextPurchaseDensity(x: number, T: number): { density: (u: number) => number; scale: number; decay: number } {
    const { r, alpha, s, beta } = this.fitted().params;
    const shape = r + x;
    const A = alpha + T;
    const B = beta + T;
    const density = (u: number): number => (shape / A) * Math.exp((shape + 1) * Math.log(A / (A + u)) + s * Math.log(B / (B + u)));
    // In w = log(1 + u/c), c = min(A, B), the factor on the scale c guarantees decay e^{−shape·w} (A ≤ B)
    // or e^{−s·w}; the other factor only adds to it. Not shape + s: when one scale is far larger (B ≫ A, a
    // near-constant dropout rate s/B with s in the millions) its factor barely decays over the range.
    return { density, scale: Math.min(A, B), decay: A <= B ? shape : s };
  }

  static fromArtifact(artifact: unknown): ParetoNbdModel {
    const checked = checkArtifact(artifact, KIND.type, KIND.version, KIND.paramNames);
    return new ParetoNbdModel(checked.settings).restore(checked);
  }

  static withParams(params: ParetoNbdParams, settings: Partial<BtydSettings> = {}): ParetoNbdModel {
    return new ParetoNbdModel(settings).setFitted(params, null);
  }
}

/** ∫₀ᵗ (B/(B+u))^s du: expected time alive within t for μ ~ Gamma(s, B). */
function lifetimeIntegral(s: number, B: number, t: number): number {
  if (Math.abs(s - 1) < 1e-9) return B * Math.log1p(t / B);
  return (B / (s - 1)) * -Math.expm1((s - 1) * Math.log(B / (B + t)));
}

/**
 * ∫₀ᵗ f(u) du with u = c(e^w − 1): the BTYD integrands decay like powers of (c+u), i.e. exponentially in w,
 * which Gauss–Legendre integrates accurately. t = Infinity integrates to w = 45/decay (tail < e^{-45}).
 */
function integrateLogTime(f: (u: number) => number, t: number, c: number, decay = 1): number {
  const wMax = Number.isFinite(t) ? Math.log1p(t / c) : 45 / Math.max(decay, 1e-3);
  // Panels at most ~2 units of w wide (a long range, from a small decay or a far quantile, needs more of them).
  const panels = Math.min(60, Math.max(Number.isFinite(t) ? 4 : 12, Math.ceil(wMax / 2)));
  return integrate((w) => f(c * Math.expm1(w)) * c * Math.exp(w), 0, wMax, panels, 20);
}
