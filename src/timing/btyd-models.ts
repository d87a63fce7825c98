import { inputError, show } from '../core/errors.js';
import type { BtydArtifact, PurchaseCountModel, RfmColumns } from './base-fitter.js';
import { BGNBD_TYPE, BetaGeoModel } from './bgnbd.js';
import { MBGNBD_TYPE, ModifiedBetaGeoModel } from './mbgnbd.js';
import { PARETO_NBD_TYPE, ParetoNbdModel } from './pareto-nbd.js';

/** A purchase-count model that can be fitted and saved (BG/NBD, MBG/NBD, Pareto/NBD). */
export interface FittableBtyd extends PurchaseCountModel {
  fit(data: RfmColumns, options?: { seed?: number }): this;
  toArtifact(): BtydArtifact;
}

/** The BTYD models a run fits, in the order a run falls back on them when no backtest ranks them. */
export const BTYD_MODELS: readonly {
  readonly name: string;
  readonly label: string;
  readonly make: () => FittableBtyd;
}[] = [
  { name: BGNBD_TYPE, label: 'BG/NBD', make: () => new BetaGeoModel() },
  { name: MBGNBD_TYPE, label: 'MBG/NBD', make: () => new ModifiedBetaGeoModel() },
  { name: PARETO_NBD_TYPE, label: 'Pareto/NBD', make: () => new ParetoNbdModel() },
];

/** A saved BTYD model of any of these types, checked by its own fromArtifact. */
export function btydFromArtifact(artifact: unknown): FittableBtyd {
  const type = (artifact as { type?: unknown } | null)?.type;
  if (type === BGNBD_TYPE) return BetaGeoModel.fromArtifact(artifact);
  if (type === MBGNBD_TYPE) return ModifiedBetaGeoModel.fromArtifact(artifact);
  if (type === PARETO_NBD_TYPE) return ParetoNbdModel.fromArtifact(artifact);
  return inputError(
    'btyd.artifact_type',
    `artifact is a ${show(type)} model, expected one of ${BTYD_MODELS.map((m) => m.name).join(', ')}`,
  );
}
