import { inputError } from '../../core/errors.js';
import { KMeans } from '../../cluster/kmeans.js';
import { featureMatrix } from '../../cluster/types.js';
import { transform, type PreprocessingParams } from '../../features/preprocessing.js';
import type { Localized, PersonaDocument } from '../../personas/types.js';
import { openRegistry } from '../../registry/index.js';
import { btydFromArtifact } from '../../timing/btyd-models.js';
import { empiricalSpend } from '../../timing/empirical-predictions.js';
import { predictCustomers } from '../../timing/btyd-predictions.js';
import { GammaGammaModel } from '../../timing/gamma-gamma.js';
import { rfmSummary } from '../../timing/rfm-summary.js';
import { PredictionTable } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import { clvSettings, purchaseRows } from './purchases.js';
import type { FeatureTable } from './features.js';
import type { Personas } from './personas.js';
import type { TimingResult } from './timing.js';

/**
 * Scoring without training (`personae score`): the promoted k-means assigns personas with its saved
 * preprocessing, and the promoted BG/NBD + Gamma-Gamma give P(alive), P(buy) and CLV at the as-of date.
 */
export async function promotedStage(
  ctx: RunContext,
  features: FeatureTable,
  registryRoot: string,
): Promise<[TimingResult, Personas]> {
  const registry = openRegistry(registryRoot);
  if (!(await registry.pointer('personas'))) {
    inputError(
      'no_promoted_model',
      `the registry ${registryRoot} has no promoted personas model`,
      'Run `personae retrain` first, or pass --registry with the folder it wrote.',
    );
  }
  if (!(await registry.pointer('bgnbd'))) {
    inputError(
      'no_promoted_model',
      `the registry ${registryRoot} has no promoted purchase-timing model (bgnbd): no retrain has fitted one yet — retrain.json's notFitted says why`,
      '`personae run` scores this data without it (P(alive) and CLV from the empirical recency baseline); `personae score` needs a promoted BG/NBD, MBG/NBD or Pareto/NBD.',
    );
  }
  const personasVersion = await registry.read('personas', 'current');
  const kmeans = KMeans.fromArtifact(personasVersion.json('kmeans.json'));
  const preprocessing = personasVersion.json<PreprocessingParams>('preprocessing.json');
  const document = personasVersion.json<PersonaDocument>('personas.json');
  const { personaIds } = personasVersion.json<{ personaIds: string[] }>('lineage.json');
  const n = features.customerIds.length;
  // Top-N columns can differ from the data the model saw: an unknown one is missing for everyone.
  const columns = { ...features.columns };
  for (const f of preprocessing.features) if (!(f.name in columns)) columns[f.name] = new Array(n).fill(null);
  const prepared = transform(columns, preprocessing);
  const labels = kmeans.predict(featureMatrix(prepared.matrix, prepared.rows, prepared.columns.length));
  const byId = new Map<string, { personaId: string; name: Localized }>();
  for (const p of document.personas)
    for (const c of p.clusters) byId.set(String(c), { personaId: p.id, name: p.name });
  const assignment = Array.from(
    labels,
    (label) =>
      byId.get(String(label)) ??
      (personaIds[label]
        ? {
            personaId: personaIds[label] as string,
            name: { en: personaIds[label] as string, fr: personaIds[label] as string },
          }
        : null),
  );

  const btyd = await registry.read('bgnbd', 'current');
  const lifetime = btydFromArtifact(btyd.json('bgnbd.json'));
  const gammaGamma =
    'gamma_gamma.json' in btyd.files ? GammaGammaModel.fromArtifact(btyd.json('gamma_gamma.json')) : undefined;
  const rows = await purchaseRows(ctx.engine.connection);
  const summary = rfmSummary(rows, {
    calibrationEndDay: Math.floor(ctx.asOf.getTime() / 86_400_000),
    timeUnit: 'day',
  });
  const settings = ctx.config.timing;
  const predictions = PredictionTable.fromPredictions(
    features.customerIds,
    predictCustomers(summary, lifetime, gammaGamma ?? empiricalSpend(summary.frequency, summary.monetary), clvSettings(settings)),
  );
  ctx.log.info(`scored with personas ${personasVersion.version} and ${lifetime.type} ${btyd.version}`);
  const timing: TimingResult = {
    predictions,
    evaluation: undefined,
    choice: [],
    selection: 'promoted models (no backtest when scoring)',
    backtests: [],
    lifetimeModel: lifetime.type,
    chosenModel: lifetime.type,
    skipped: [],
    backend: undefined,
    models: { btyd: { [lifetime.type]: lifetime }, gammaGamma, neural: undefined, neuralPreprocessing: undefined },
    notes: [`promoted models: personas ${personasVersion.version}, bgnbd ${btyd.version}`],
  };
  return [timing, { document, assignment }];
}
