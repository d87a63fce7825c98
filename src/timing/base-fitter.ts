import { z } from 'zod';
import { PersonaeError, configError, inputError, show } from '../core/errors.js';
import { modelId } from '../core/hash.js';
import { Rng } from '../core/rng.js';
import { hessianFromGradient, invertSpd, minimizeBfgs, numericHessian } from '../math/optimize.js';

/**
 * Maximum-likelihood fitting shared by the BTYD models. A model supplies a pure negative log-likelihood
 * on log-parameters over weighted rows; this module compresses customers into unique rows, rescales
 * time (or money) for conditioning, runs BFGS, retries from seeded starts when a run fails, and derives
 * standard errors from the Hessian. It never returns garbage: failure is a 'convergence' PersonaeError.
 */

/** Unique (x, t_x, T) rows with the number of customers sharing them. */
export interface WeightedRows {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly age: Float64Array;
  readonly weight: Float64Array;
}

export interface LikelihoodKernel<D> {
  readonly paramNames: readonly string[];
  /** Exponent of the data scale in each parameter (α and β are in time units: 1; shapes: 0). */
  readonly scaleExponents: readonly number[];
  /** Starting point on the log scale, in scaled units. */
  readonly initialLogParams: readonly number[];
  /** Σ weight · (−log-likelihood) of the rows at exp(logParams). */
  negLogLikelihood(logParams: Float64Array, data: D): number;
  /** The same value, with its gradient in the log-parameters written to `gradient` (finite differences otherwise). */
  negLogLikelihoodGradient?(logParams: Float64Array, data: D, gradient: Float64Array): number;
}

/** A parameter whose log has a standard error above this (a factor e^10) is not identified by the data. */
const MAX_LOG_SE = 10;

export interface FitOptions {
  readonly seed?: number;
  /** L2 penalty coefficient on the (scaled) parameters, as in lifetimes' `penalizer_coef`. */
  readonly penalty?: number;
  readonly maxIterations?: number;
}

export interface FitResult {
  readonly params: Record<string, number>;
  readonly standardErrors: Record<string, number>;
  /** Log-likelihood of the data at the estimate (without penalty). */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly customers: number;
  readonly uniqueRows: number;
}

/** Checks x, t_x, T per customer: finite, x ≥ 0 whole, 0 ≤ t_x ≤ T, t_x = 0 when x = 0, T > 0. */
export function validateRfm(frequency: ArrayLike<number>, recency: ArrayLike<number>, age: ArrayLike<number>, what = 'customer'): void {
  if (frequency.length !== recency.length || frequency.length !== age.length) {
    inputError('btyd.lengths', `frequency, recency and T must have the same length (${frequency.length}, ${recency.length}, ${age.length})`);
  }
  if (frequency.length === 0) inputError('btyd.empty', 'no customers to fit', 'check the calibration period and the input file');
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const tx = recency[i] as number;
    const t = age[i] as number;
    // Cheap checks first; the message is only built for a bad row.
    const ok = Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(t) && x >= 0 && Number.isInteger(x) && tx >= 0 && tx <= t * (1 + 1e-12) && (x > 0 || tx === 0) && t > 0;
    if (!ok) rejectRow(i, x, tx, t, what);
  }
}

function rejectRow(i: number, x: number, tx: number, t: number, what: string): never {
  const where = `${what} ${i + 1} (x=${x}, t_x=${tx}, T=${t})`;
  if (!Number.isFinite(x) || !Number.isFinite(tx) || !Number.isFinite(t)) inputError('btyd.non_finite', `${where}: frequency, recency and T must be finite numbers`);
  if (x < 0 || !Number.isInteger(x)) inputError('btyd.frequency', `${where}: frequency must be a whole number ≥ 0`);
  if (tx < 0) inputError('btyd.recency', `${where}: recency must be ≥ 0`);
  if (tx > t) inputError('btyd.recency_after_T', `${where}: recency is greater than T (last purchase after the end of the period)`, 'recency and T must be measured from the first purchase to the same calibration end');
  if (x === 0 && tx !== 0) inputError('btyd.recency_without_repeat', `${where}: recency must be 0 when frequency is 0`);
  inputError('btyd.age', `${where}: T must be > 0 (a customer first seen at the very end of the period carries no information; drop it)`);
}

/** Groups identical (x, t_x, T) rows; customers sharing a row contribute one likelihood term times their count. */
export function compressRfm(frequency: ArrayLike<number>, recency: ArrayLike<number>, age: ArrayLike<number>): WeightedRows {
  const { rowIndex: _rowIndex, ...rows } = groupRfm(frequency, recency, age);
  return rows;
}

/**
 * The unique (x, t_x, T) rows in order of first appearance, with their counts, and the unique row of each
 * customer: a quantity that depends only on (x, t_x, T) is computed once per unique row and read back per
 * customer through `rowIndex` (the same value, bit for bit, as computing it per customer).
 */
export function groupRfm(frequency: ArrayLike<number>, recency: ArrayLike<number>, age: ArrayLike<number>): WeightedRows & { readonly rowIndex: Int32Array } {
  // Open-addressing hash on the bits of the three doubles: several times faster than nested Maps on 10⁶ rows.
  const n = frequency.length;
  let capacity = 1024;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const fx = new Float64Array(n);
  const rx = new Float64Array(n);
  const ax = new Float64Array(n);
  const wx = new Float64Array(n);
  const rowIndex = new Int32Array(n);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const mix = (h: number, v: number): number => {
    bits[0] = v + 0; // −0 and 0 hash alike
    h = Math.imul(h ^ (words[0] as number), 0x85ebca6b);
    h = Math.imul(h ^ (words[1] as number), 0xc2b2ae35);
    return h ^ (h >>> 15);
  };
  let unique = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i] as number;
    const tx = recency[i] as number;
    const t = age[i] as number;
    let slot = mix(mix(mix(0x9e3779b9, x), tx), t) & mask;
    for (;;) {
      const row = slots[slot] as number;
      if (row === -1) {
        slots[slot] = unique;
        fx[unique] = x;
        rx[unique] = tx;
        ax[unique] = t;
        wx[unique] = 1;
        rowIndex[i] = unique;
        unique++;
        break;
      }
      if (fx[row] === x && rx[row] === tx && ax[row] === t) {
        wx[row] = (wx[row] as number) + 1;
        rowIndex[i] = row;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { frequency: fx.slice(0, unique), recency: rx.slice(0, unique), age: ax.slice(0, unique), weight: wx.slice(0, unique), rowIndex };
}

/**
 * The unique rows in order of (x, T, t_x): rows sharing (x, T) come one after another. Given a next purchase
 * the customer is alive at T, and an alive customer's rates depend on x and T alone, so the waits (the
 * probability of buying, the time to the next purchase) are the same for all of them: a model that keeps
 * the values of the last (x, T) computes them once per (x, T) in this order.
 */
export function waitOrder(rows: Pick<WeightedRows, 'frequency' | 'recency' | 'age'>): Int32Array {
  const { frequency: x, recency: tx, age: T } = rows;
  const order = Int32Array.from({ length: x.length }, (_, i) => i);
  return order.sort((a, b) => (x[a] as number) - (x[b] as number) || (T[a] as number) - (T[b] as number) || (tx[a] as number) - (tx[b] as number) || a - b);
}

/**
 * Rows plus their distinct frequencies and distinct (x, T) and (x, t_x) pairs, so that the terms that
 * depend only on those (log Γ(r + x), the 2F1 of Pareto/NBD, …) are computed once per evaluation: with a
 * daily log of a million customers there are far fewer distinct pairs than rows.
 */
export interface IndexedRows extends WeightedRows {
  readonly distinctFrequencies: Float64Array;
  readonly frequencyIndex: Int32Array;
  readonly agePairs: DistinctPairs;
  readonly recencyPairs: DistinctPairs;
}

export interface DistinctPairs {
  /** Index into distinctFrequencies of each pair. */
  readonly frequencyIndex: Int32Array;
  readonly frequency: Float64Array;
  readonly time: Float64Array;
  /** Pair of each row. */
  readonly rowIndex: Int32Array;
}

export function indexRows(rows: WeightedRows): IndexedRows {
  const distinct = [...new Set(rows.frequency)].sort((a, b) => a - b);
  const position = new Map(distinct.map((x, i) => [x, i]));
  const frequencyIndex = Int32Array.from(rows.frequency, (x) => position.get(x) as number);
  return {
    ...rows,
    distinctFrequencies: Float64Array.from(distinct),
    frequencyIndex,
    agePairs: distinctPairs(rows.frequency, rows.age, frequencyIndex),
    recencyPairs: distinctPairs(rows.frequency, rows.recency, frequencyIndex),
  };
}

function distinctPairs(frequency: Float64Array, time: Float64Array, frequencyIndex: Int32Array): DistinctPairs {
  const index = new Map<number, Map<number, number>>();
  const fi: number[] = [];
  const fx: number[] = [];
  const tx: number[] = [];
  const rowIndex = new Int32Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const t = time[i] as number;
    let byTime = index.get(x);
    if (!byTime) index.set(x, (byTime = new Map()));
    let pair = byTime.get(t);
    if (pair === undefined) {
      pair = fx.length;
      byTime.set(t, pair);
      fi.push(frequencyIndex[i] as number);
      fx.push(x);
      tx.push(t);
    }
    rowIndex[i] = pair;
  }
  return { frequencyIndex: Int32Array.from(fi), frequency: Float64Array.from(fx), time: Float64Array.from(tx), rowIndex };
}

/** Multiplies the time columns by `scale` (better conditioning when T is in the hundreds of days). */
export function scaleRows(rows: IndexedRows, scale: number): IndexedRows {
  const scalePairs = (pairs: DistinctPairs): DistinctPairs => ({ ...pairs, time: pairs.time.map((v) => v * scale) });
  return {
    ...rows,
    recency: rows.recency.map((v) => v * scale),
    age: rows.age.map((v) => v * scale),
    agePairs: scalePairs(rows.agePairs),
    recencyPairs: scalePairs(rows.recencyPairs),
  };
}

/**
 * Fits a kernel: `scaledData` is the data after multiplying its scale-carrying columns by `scale`;
 * `data` the original (for the reported log-likelihood and the Hessian).
 */
export function fitKernel<D>(
  modelName: string,
  kernel: LikelihoodKernel<D>,
  data: D,
  scaledData: D,
  scale: number,
  totalWeight: number,
  options: FitOptions,
  meta: { customers: number; uniqueRows: number },
): FitResult {
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0)) inputError('btyd.penalty', `${modelName}: penalty must be ≥ 0, got ${penalty}`);
  const objective = (logParams: Float64Array): number => {
    const nll = kernel.negLogLikelihood(logParams, scaledData) / totalWeight;
    if (penalty === 0) return nll;
    let l2 = 0;
    for (const v of logParams) l2 += Math.exp(2 * v);
    return nll + penalty * l2;
  };
  const analytic = kernel.negLogLikelihoodGradient?.bind(kernel);
  const gradient = analytic
    ? (logParams: Float64Array): Float64Array => {
        const g = new Float64Array(logParams.length);
        analytic(logParams, scaledData, g);
        for (let i = 0; i < g.length; i++) {
          // d/dlogθ of penalty·θ² is 2·penalty·θ².
          g[i] = (g[i] as number) / totalWeight + (penalty > 0 ? 2 * penalty * Math.exp(2 * (logParams[i] as number)) : 0);
        }
        return g;
      }
    : undefined;
  const rng = Rng.derive(options.seed ?? 0, `${modelName}/starts`);
  const starts: number[][] = [kernel.initialLogParams.slice()];
  for (let k = 0; k < 4; k++) starts.push(kernel.initialLogParams.map((v) => v + rng.normal(0, 1)));

  let best: ReturnType<typeof minimizeBfgs> | undefined;
  let iterations = 0;
  let evaluations = 0;
  let lastMessage = '';
  for (const start of starts) {
    const result = minimizeBfgs(objective, start, {
      maxIterations: options.maxIterations ?? 400,
      gradientTolerance: 1e-7,
      ...(gradient ? { gradient } : {}),
    });
    iterations += result.iterations;
    evaluations += result.evaluations;
    lastMessage = result.message;
    const sane = result.x.every((v) => Number.isFinite(v) && Math.abs(v) < 30);
    if (result.converged && sane && Number.isFinite(result.value) && (!best || result.value < best.value)) best = result;
    if (best) break;
  }
  if (!best) {
    throw new PersonaeError(
      'convergence',
      'btyd.convergence',
      `${modelName} did not converge (${lastMessage}) on ${meta.customers} customers`,
      'the data may not fit this model (e.g. almost no repeat purchases); check the calibration period, or add a small L2 penalty (`personae btyd --penalty 0.001`, or the model setting `penalty`)',
    );
  }
  const logParams = best.x.map((v, i) => v - (kernel.scaleExponents[i] as number) * Math.log(scale));
  const logLikelihood = -kernel.negLogLikelihood(logParams, data);
  // Curvature of the objective that was optimised (scaling only shifts log-parameters, so this is the
  // Hessian of the log-likelihood on the log scale; with a penalty, that of the penalised objective).
  const n = logParams.length;
  const hessian = (gradient ? hessianFromGradient(gradient, best.x) : numericHessian(objective, best.x)).map((v) => v * totalWeight);
  const covariance = invertSpd(hessian, n);
  const logSe = kernel.paramNames.map((_, i) => Math.sqrt(covariance?.[i * n + i] ?? NaN));
  const unidentified = kernel.paramNames.filter((_, i) => !((logSe[i] as number) < MAX_LOG_SE));
  if (unidentified.length > 0) {
    const where = kernel.paramNames.map((name, i) => `${name}=${Math.exp(logParams[i] as number).toPrecision(3)}`).join(', ');
    throw new PersonaeError(
      'convergence',
      'btyd.not_identified',
      `${modelName}: the likelihood is flat in ${unidentified.join(', ')} at the optimum (${where}) on ${meta.customers} customers: the estimate is not identified`,
      'the data carry too little repeat-purchase information for this model; use a longer calibration period, more customers, or a small L2 penalty (`personae btyd --penalty 0.001`, or the model setting `penalty`)',
    );
  }
  const params: Record<string, number> = {};
  const standardErrors: Record<string, number> = {};
  kernel.paramNames.forEach((name, i) => {
    const value = Math.exp(logParams[i] as number);
    params[name] = value;
    // Delta method: se(θ) = θ · se(log θ).
    standardErrors[name] = value * (logSe[i] as number);
  });
  return { params, standardErrors, logLikelihood, iterations, evaluations, ...meta };
}

/** Columns of an RFM summary the purchase models fit on (an RfmSummary satisfies it). */
export interface RfmColumns {
  readonly frequency: ArrayLike<number>;
  readonly recency: ArrayLike<number>;
  readonly age: ArrayLike<number>;
}

/** What a saved BTYD model looks like: plain JSON, identified by modelId(type, version, {settings, params}). */
export interface BtydArtifact {
  readonly type: string;
  readonly version: number;
  readonly id: string;
  readonly settings: { readonly penalty: number };
  readonly params: Record<string, number>;
  readonly fit: Omit<FitResult, 'params'> | null;
}

/** Median time scale of the data → multiply time by this so that the typical T is about 10. */
export function conditioningScale(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  return max > 0 ? 10 / max : 1;
}

/** Fits a purchase-count kernel on customers' (x, t_x, T): validation, compression, scaling, BFGS. */
export function fitPurchaseKernel(modelName: string, kernel: LikelihoodKernel<IndexedRows>, data: RfmColumns, options: FitOptions): FitResult {
  validateRfm(data.frequency, data.recency, data.age);
  const rows = indexRows(compressRfm(data.frequency, data.recency, data.age));
  const scale = conditioningScale(rows.age);
  return fitKernel(modelName, kernel, rows, scaleRows(rows, scale), scale, data.frequency.length, options, {
    customers: data.frequency.length,
    uniqueRows: rows.frequency.length,
  });
}

export const btydSettingsSchema = z.object({ penalty: z.number().min(0).default(0) }).strict();
export type BtydSettings = z.infer<typeof btydSettingsSchema>;

/** Validates hyper-parameters once, at construction, with a message naming the model and the setting. */
export function parseSettings(modelName: string, settings: unknown): BtydSettings {
  const parsed = btydSettingsSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    configError('btyd.settings', `${modelName}: invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function makeArtifact(type: string, version: number, settings: BtydSettings, params: Record<string, number>, fit: FitResult | null): BtydArtifact {
  const fitInfo = fit ? (({ params: _p, ...rest }) => rest)(fit) : null;
  return { type, version, id: modelId(type, version, { settings, params }), settings, params: { ...params }, fit: fitInfo };
}

/** Checks a loaded artifact: right type and version, every parameter positive and finite, id matching its content. */
export function checkArtifact(artifact: unknown, type: string, version: number, paramNames: readonly string[]): BtydArtifact {
  const a = artifact as Partial<BtydArtifact> | null;
  if (!a || typeof a !== 'object') inputError('btyd.artifact', `not a ${type} model artifact`);
  if (a.type !== type) inputError('btyd.artifact_type', `artifact is a ${show(a.type)} model, expected ${type}`);
  if (a.version !== version) inputError('btyd.artifact_version', `${type} artifact has format version ${show(a.version)}, this build reads version ${version}`, 'refit the model with this version');
  const params = a.params ?? {};
  for (const name of paramNames) {
    const v = params[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) inputError('btyd.artifact_params', `${type} artifact: parameter ${name} is ${show(v)}, expected a positive number`);
  }
  const settings = parseSettings(type, a.settings);
  const expected = modelId(type, version, { settings, params });
  if (a.id !== expected) {
    inputError('btyd.artifact_id', `${type} artifact id ${show(a.id)} does not match its content (expected ${expected}): the file was edited or corrupted`, 'refit and save the model again');
  }
  return a as BtydArtifact;
}

/** Closed-form predictions every fitted purchase-count model provides (times in the model's time unit). */
export interface PurchaseCountModel {
  readonly type: string;
  readonly params: Record<string, number>;
  /** E[X(t)] for a customer just acquired (t after the first purchase). */
  expectedPurchases(t: number): number;
  /** E[X(T, T+t] | x, t_x, T]. */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
  pAlive(x: number, tx: number, T: number): number;
  /** P(exactly n purchases in (T, T+t] | x, t_x, T). */
  pPurchases(n: number, t: number, x: number, tx: number, T: number): number;
  /** P(at least one more purchase, ever | x, t_x, T) (alive customers may still die before buying). */
  pEverPurchaseAgain(x: number, tx: number, T: number): number;
  /**
   * q-quantile of the time to the next purchase given that there is one (conditional on the history). It
   * depends on (x, T) only: given a next purchase the customer is alive at T (callers may reuse it across t_x).
   */
  nextPurchaseQuantile(q: number, x: number, tx: number, T: number): number;
}

export interface ModelKind {
  readonly type: string;
  readonly version: number;
  /** Name in messages (BG/NBD, …). */
  readonly label: string;
  readonly paramNames: readonly string[];
}

/** Settings, learned parameters and the artifact contract shared by the BTYD models. */
export abstract class BtydModelBase<P extends object> {
  readonly settings: BtydSettings;
  private state: { params: P; fit: FitResult | null } | undefined;

  protected constructor(
    protected readonly kind: ModelKind,
    settings: unknown,
  ) {
    this.settings = parseSettings(kind.type, settings);
  }

  get type(): string {
    return this.kind.type;
  }

  get params(): P & Record<string, number> {
    return { ...this.fitted().params } as P & Record<string, number>;
  }

  get fitResult(): FitResult | null {
    return this.fitted().fit;
  }

  toArtifact(): BtydArtifact {
    const { params, fit } = this.fitted();
    return makeArtifact(this.kind.type, this.kind.version, this.settings, { ...params } as Record<string, number>, fit);
  }

  protected setFitted(params: P, fit: FitResult | null): this {
    this.state = { params: { ...params }, fit };
    return this;
  }

  /** Takes the learned state of an artifact already checked by checkArtifact. */
  protected restore(artifact: BtydArtifact): this {
    return this.setFitted(artifact.params as unknown as P, artifact.fit ? ({ ...artifact.fit, params: artifact.params } as FitResult) : null);
  }

  protected fitted(): { params: P; fit: FitResult | null } {
    if (!this.state) configError('btyd.not_fitted', `${this.kind.label} model is not fitted yet`, 'call fit() or load an artifact first');
    return this.state;
  }
}
