import { checkArtifact, type BtydSettings } from './base-fitter.js';
import {
  BETA_GEOMETRIC_PARAMS,
  BetaGeometricModel,
  betaGeometricKernel,
  type BetaGeometricParams,
} from './beta-geometric.js';

/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). While alive a customer buys
 * as a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase they drop out with
 * probability p ~ Beta(a, b). Parameters: r, alpha (time unit of the data), a, b. Formulas: beta-geometric.ts.
 */
export const BGNBD_TYPE = 'bgnbd';
export const BGNBD_VERSION = 1;

export type BgNbdParams = BetaGeometricParams;

/** Σ w·(−log L) on log-parameters (no drop-out opportunity before the first repeat purchase). */
export const bgNbdKernel = betaGeometricKernel(0);

const KIND = { type: BGNBD_TYPE, version: BGNBD_VERSION, label: 'BG/NBD', paramNames: BETA_GEOMETRIC_PARAMS };

export class BetaGeoModel extends BetaGeometricModel {
  protected readonly shift = 0;
  protected readonly kernel = bgNbdKernel;

  constructor(settings: Partial<BtydSettings> = {}) {
    super(KIND, settings);
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
