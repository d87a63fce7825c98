import type { Localized } from '../../personas/types.js';
import { driftReport, type DriftReport, type FeatureProfile } from '../drift.js';
import type { RunContext } from '../context.js';
import type { FeatureTable } from './features.js';

export interface DriftSummary {
  readonly report: DriftReport;
  /** The features that moved (PSI ≥ 0.1), largest first, as the persona report shows them. */
  readonly moved: readonly { feature: string; label: Localized; psi: number; level: 'moderate' | 'major' }[];
}

/** Population stability of every feature against the reference profile of the promoted models' data. */
export async function driftStage(
  ctx: RunContext,
  features: FeatureTable,
  reference?: Record<string, FeatureProfile>,
): Promise<[DriftSummary | undefined]> {
  if (!reference) return [undefined];
  const report = driftReport(reference, features.columns as never);
  const labels = new Map(features.catalogue.map((f) => [f.name, f.label]));
  const moved = report.features
    .filter(
      (f): f is typeof f & { psi: number; level: 'moderate' | 'major' } =>
        f.psi !== null && (f.level === 'moderate' || f.level === 'major'),
    )
    .sort((a, b) => b.psi - a.psi)
    .map((f) => ({
      feature: f.feature,
      label: labels.get(f.feature) ?? { en: f.feature, fr: f.feature },
      psi: f.psi,
      level: f.level,
    }));
  ctx.log.info(
    `drift: ${report.counts.major ?? 0} features with a major shift, ${report.counts.moderate ?? 0} moderate`,
  );
  return [{ report, moved }];
}
