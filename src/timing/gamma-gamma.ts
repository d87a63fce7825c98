import { PersonaeError, inputError } from '../core/errors.js';
import { logGamma } from '../math/special.js';
import {
  BtydModelBase,
  checkArtifact,
  conditioningScale,
  fitKernel,
  type BtydSettings,
  type FitOptions,
  type LikelihoodKernel,
} from './base-fitter.js';

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999). A customer's
 * transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase
 * process. Fitted on customers with at least one repeat transaction (x > 0) and their mean repeat spend.
 *
 * Zero or negative mean spend (refunds outweighing purchases) is outside the model's support: those
 * customers are left out of the fit (the count is reported) and `conditionalExpectedSpend` returns 0 for
 * them: we do not project value onto a customer whose repeat purchases net to nothing. Customers without
 * repeat purchases get the population mean pγ/(q−1).
 */
export const GAMMA_GAMMA_TYPE = 'gamma_gamma';
export const GAMMA_GAMMA_VERSION = 1;
const PARAMS = ['p', 'q', 'gamma'] as const;

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface SpendRows {
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly weight: Float64Array;
}

export const gammaGammaKernel: LikelihoodKernel<SpendRows> = {
  paramNames: PARAMS,
  scaleExponents: [0, 0, 1],
  initialLogParams: [0, 0, 0],
  negLogLikelihood(logParams, rows) {
    const p = Math.exp(logParams[0] as number);
    const q = Math.exp(logParams[1] as number);
    const gamma = Math.exp(logParams[2] as number);
    const head = -logGamma(q) + q * Math.log(gamma);
    let total = 0;
    const { frequency, monetary, weight } = rows;
    for (let i = 0; i < frequency.length; i++) {
      const x = frequency[i] as number;
      const m = monetary[i] as number;
      const px = p * x;
      const ll = head + logGamma(px + q) - logGamma(px) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(x * m + gamma);
      total -= (weight[i] as number) * ll;
    }
    return total;
  },
};

export interface SpendColumns {
  readonly frequency: ArrayLike<number>;
  /** Mean repeat-transaction value (NaN or anything when frequency is 0: ignored). */
  readonly monetary: ArrayLike<number>;
}

const KIND = { type: GAMMA_GAMMA_TYPE, version: GAMMA_GAMMA_VERSION, label: 'Gamma-Gamma', paramNames: PARAMS };

export class GammaGammaModel extends BtydModelBase<GammaGammaParams> {
  private excluded = 0;

  constructor(settings: Partial<BtydSettings> = {}) {
    super(KIND, settings);
  }

  fit(data: SpendColumns, options: { seed?: number } & Omit<FitOptions, 'penalty'> = {}): this {
    const { rows, excludedNonPositive, customers } = spendRows(data);
    const scale = conditioningScale(rows.monetary);
    const scaled = { ...rows, monetary: rows.monetary.map((m) => m * scale) };
    const fit = fitKernel(KIND.label, gammaGammaKernel, rows, scaled, scale, customers, { ...options, penalty: this.settings.penalty }, {
      customers,
      uniqueRows: rows.frequency.length,
    });
    if (!(fit.params.q as number > 1)) {
      throw new PersonaeError(
        'convergence',
        'btyd.gamma_gamma_q',
        `Gamma-Gamma fitted q = ${(fit.params.q as number).toFixed(3)} ≤ 1: the expected spend would be infinite`,
        'spend values are too heavy-tailed for Gamma-Gamma; cap outliers or use the mean spend',
      );
    }
    this.excluded = excludedNonPositive;
    return this.setFitted(fit.params as unknown as GammaGammaParams, fit);
  }

  /** Customers with x > 0 left out of the last fit because their mean spend was ≤ 0. */
  get excludedNonPositive(): number {
    this.fitted();
    return this.excluded;
  }

  /** E[Z] for a customer we know nothing about: pγ/(q−1). */
  populationMeanSpend(): number {
    const { p, q, gamma } = this.fitted().params;
    return (p * gamma) / (q - 1);
  }

  /** E[Z | x, m̄] = p(γ + x m̄) / (px + q − 1); population mean when x = 0; 0 when m̄ ≤ 0 (see module doc). */
  conditionalExpectedSpend(x: number, meanSpend: number): number {
    const { p, q, gamma } = this.fitted().params;
    if (x <= 0 || !Number.isFinite(meanSpend)) return this.populationMeanSpend();
    if (meanSpend <= 0) return 0;
    return (p * (gamma + x * meanSpend)) / (p * x + q - 1);
  }

  static fromArtifact(artifact: unknown): GammaGammaModel {
    const checked = checkArtifact(artifact, KIND.type, KIND.version, KIND.paramNames);
    return new GammaGammaModel(checked.settings).restore(checked);
  }

  static withParams(params: GammaGammaParams, settings: Partial<BtydSettings> = {}): GammaGammaModel {
    return new GammaGammaModel(settings).setFitted(params, null);
  }
}

/** Unique (x, m̄) rows of the customers with x > 0 and m̄ > 0, with counts. */
function spendRows(data: SpendColumns): { rows: SpendRows; excludedNonPositive: number; customers: number } {
  if (data.frequency.length !== data.monetary.length) inputError('btyd.lengths', `frequency and monetary must have the same length (${data.frequency.length}, ${data.monetary.length})`);
  const index = new Map<string, number>();
  const fx: number[] = [];
  const mx: number[] = [];
  const wx: number[] = [];
  let excludedNonPositive = 0;
  let customers = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i] as number;
    if (!(x > 0)) continue;
    const m = data.monetary[i] as number;
    if (!Number.isFinite(m)) inputError('btyd.monetary', `customer ${i + 1}: mean spend ${m} is not a finite number`);
    if (m <= 0) {
      excludedNonPositive++;
      continue;
    }
    customers++;
    const key = `${x}|${m}`;
    const row = index.get(key);
    if (row === undefined) {
      index.set(key, fx.length);
      fx.push(x);
      mx.push(m);
      wx.push(1);
    } else {
      wx[row] = (wx[row] as number) + 1;
    }
  }
  if (customers < 2) inputError('btyd.gamma_gamma_empty', `Gamma-Gamma needs customers with repeat purchases and positive spend; found ${customers}`, 'lengthen the calibration period or check the amount column');
  return { rows: { frequency: Float64Array.from(fx), monetary: Float64Array.from(mx), weight: Float64Array.from(wx) }, excludedNonPositive, customers };
}
