import { checkArtifact, type BtydSettings } from './base-fitter.js';
import {
  BETA_GEOMETRIC_PARAMS,
  BetaGeometricModel,
  betaGeometricKernel,
  type BetaGeometricParams,
} from './beta-geometric.js';

/**
 * MBG/NBD, the modified BG/NBD (Batislam, Denizel & Filiztekin 2007; Wagner & Hoppe 2008 erratum; lifetimes'
 * `ModifiedBetaGeoFitter`). As BG/NBD, except that a customer may also drop out right after the first
 * purchase: one-time buyers can be "dead", and their P(alive) falls with the time since that purchase.
 * Parameters: r, alpha (time unit of the data), a, b. Formulas: beta-geometric.ts.
 */
export const MBGNBD_TYPE = 'mbgnbd';
export const MBGNBD_VERSION = 1;

export type MbgNbdParams = BetaGeometricParams;

/** Σ w·(−log L) on log-parameters (one drop-out opportunity right after the first purchase). */
export const mbgNbdKernel = betaGeometricKernel(1);

const KIND = {
  type: MBGNBD_TYPE,
  version: MBGNBD_VERSION,
  label: 'MBG/NBD',
  paramNames: BETA_GEOMETRIC_PARAMS,
};

export class ModifiedBetaGeoModel extends BetaGeometricModel {
  protected readonly shift = 1;
  protected readonly kernel = mbgNbdKernel;

  constructor(settings: Partial<BtydSettings> = {}) {
    super(KIND, settings);
  }

  static fromArtifact(artifact: unknown): ModifiedBetaGeoModel {
    const checked = checkArtifact(artifact, KIND.type, KIND.version, KIND.paramNames);
    return new ModifiedBetaGeoModel(checked.settings).restore(checked);
  }

  /** A model with given parameters (published estimates, simulations). */
  static withParams(params: MbgNbdParams, settings: Partial<BtydSettings> = {}): ModifiedBetaGeoModel {
    return new ModifiedBetaGeoModel(settings).setFitted(params, null);
  }
}
