import { mkdirSync, writeFileSync } from 'node:fs';
import { claimOutputs } from '../io/outputs.js';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { toIsoDate } from '../core/time.js';
import type { PreprocessingParams } from '../features/preprocessing.js';
import { readErasedCustomers } from '../io/erased-customers.js';
import type { PersonaDocument } from '../personas/types.js';
import { openRegistry, type Registry, type ScrubResult } from '../registry/index.js';
import type { PurchaseCountModel } from '../timing/base-fitter.js';
import { BTYD_MODELS, btydFromArtifact, type FittableBtyd } from '../timing/btyd-models.js';
import type { Evaluation } from '../timing/evaluate/index.js';
import { NeuralTimingModel, type NeuralTimingArtifact } from '../timing/neural/index.js';
import { parseIsoDate } from '../core/time.js';
import { driftReport, personaSizeChanges, profileColumns, type FeatureProfile } from './drift.js';
import { decidePromotion, gateRefusal, type GateDecision, type Metrics } from './gate.js';
import { withLock } from './lock.js';
import type { PreviousState } from './previous.js';
import { runOnce, type RunResult } from './run.js';
import type { Clustering } from './stages/cluster.js';
import type { FeatureTable } from './stages/features.js';
import type { Personas } from './stages/personas.js';
import type { Segments } from './stages/segments.js';
import type { Incumbents, TimingResult } from './stages/timing.js';

export interface RetrainOptions {
  readonly dataDir: string;
  /** What run.json names as the data when it is not `dataDir` (a PostgreSQL schema staged there). */
  readonly dataSource?: string | undefined;
  readonly asOf: Date;
  readonly outDir: string;
  readonly registryRoot: string;
  readonly config: Config;
  readonly configPath?: string | undefined;
  readonly log: Logger;
}

export interface RetrainResult {
  readonly status: 'promoted' | 'kept-incumbent' | 'already-promoted';
  readonly versions: Readonly<Record<string, string>>;
  /** Registry slots this run could not refit, with each attempt's reason (their promoted versions stay). */
  readonly notFitted: Readonly<Record<string, readonly string[]>>;
  /** What erasure removed from the versions already in the registry (counts only). */
  readonly erasure: ErasureSummary;
  readonly decision: GateDecision;
  readonly run: RunResult;
  readonly summaryPath: string;
}

/** The registry's models; `personas` carries k-means, preprocessing, membership and the persona document. */
export const REGISTRY_MODELS = ['personas', 'bgnbd', 'neural'] as const;

/** Erasure in the registry: rows removed per model and file, and how many versions were rewritten. */
export interface ErasureSummary {
  /** Customers in the erasure table at the as-of date. */
  readonly customers: number;
  readonly models: Readonly<
    Record<string, { readonly versions: number; readonly rowsRemoved: Readonly<Record<string, number>> }>
  >;
}

/**
 * The scheduled job: under the registry lock, first remove the customers of the erasure table from every
 * version already in the registry (so that neither a retained version nor the state this run starts from
 * keeps them, whatever the gate decides later), then run the pipeline with the promoted personas (lineage)
 * and the promoted timing models scored on the same holdout; register the new versions; promote them
 * together only when no model got worse beyond the gate's tolerance, otherwise keep the incumbents and throw
 * the gate error (exit code 3) after writing why.
 */
export async function retrain(options: RetrainOptions): Promise<RetrainResult> {
  return withLock(options.registryRoot, { owner: 'personae retrain', logger: options.log }, async () => {
    const claim = await claimOutputs(options.outDir);
    const registry = openRegistry(options.registryRoot);
    // Read before the run (whose outcome carries counts, not ids), with ingest's own validation of the table.
    const erased = await readErasedCustomers(options.dataDir, options.config, options.asOf);
    const erasure = erasureSummary(erased.length, await registry.scrub(erased));
    const scrubbedVersions = Object.values(erasure.models).reduce((n, m) => n + m.versions, 0);
    if (scrubbedVersions > 0)
      options.log.info(`erasure: removed erased customers from ${scrubbedVersions} registry version(s)`);
    const previous = await previousFromRegistry(registry);
    const incumbents = await incumbentsFromRegistry(registry);
    const run = await runOnce({
      ...options,
      previous: previous?.state,
      incumbents,
      driftReference: previous?.profile,
      claim,
    });
    const timing = run.catalog.get('timing') as TimingResult;
    const features = run.catalog.get('features') as FeatureTable;
    const clustering = run.catalog.get('clustering') as Clustering;
    const personas = run.catalog.get('personas') as Personas;
    const evaluation = timing.evaluation;
    // The registry's bgnbd slot holds the BTYD model of P(alive) and CLV: BG/NBD, or MBG/NBD or Pareto/NBD
    // when BG/NBD could not be fitted (its artifact says which). When none could be (e.g. data in which nobody
    // seems to drop out, so the dropout parameters are not identified), the personas and the neural model are
    // still registered and gated, and the slot keeps its promoted version: one model must not sink the job.
    const btyd = timing.models.btyd[timing.lifetimeModel] as FittableBtyd | undefined;
    const notFitted: Record<string, string[]> = {};
    if (!btyd) {
      notFitted.bgnbd = timing.skipped
        .filter((s) => BTYD_MODELS.some((m) => m.name === s.model))
        .map((s) => `${s.stage}: ${s.reason}`);
      options.log.warn(
        `retrain: none of BG/NBD, MBG/NBD and Pareto/NBD could be fitted at ${toIsoDate(options.asOf)} (run.json, timing.skipped, says why): ${incumbents.bgnbd ? 'the promoted BTYD model stays' : 'no BTYD model is registered'}; the personas and the other models are registered and gated as usual`,
      );
    }
    const candidate: Record<string, Metrics> = btyd ? { bgnbd: metricsOf(evaluation, timing.lifetimeModel) } : {};
    const incumbent: Record<string, Metrics | null> = btyd
      ? { bgnbd: incumbents.bgnbd ? metricsOf(evaluation, 'incumbent_bgnbd') : null }
      : {};
    if (timing.models.neural) {
      candidate.neural = metricsOf(evaluation, 'neural');
      incumbent.neural = incumbents.neural ? metricsOf(evaluation, 'incumbent_neural') : null;
    }
    const decision = decidePromotion({
      candidate,
      incumbent,
      settings: { tolerance: options.config.gate.tolerance },
    });
    const drift = previous ? driftSection(previous.profile, previous.sizes, features, personas) : null;
    const versions = await registerVersions(registry, run, {
      features,
      clustering,
      personas,
      timing,
      btyd,
      candidate,
    });
    const pointers = await Promise.all(
      Object.keys(versions).map(async (m) => [m, (await registry.pointer(m))?.version ?? null] as const),
    );
    const alreadyCurrent = pointers.every(([m, current]) => current === versions[m]);
    let status: RetrainResult['status'];
    if (alreadyCurrent) status = 'already-promoted';
    else if (decision.decision === 'promote') {
      await registry.promoteMany(versions, { reason: decision.summary });
      status = 'promoted';
    } else status = 'kept-incumbent';
    await registry.prune(options.config.registry.keep);
    const history = Object.fromEntries(
      await Promise.all(
        REGISTRY_MODELS.map(async (m) => [m, await registry.metricsHistory(m, 8).catch(() => [])] as const),
      ),
    );
    const summaryPath = writeSummary(options.outDir, {
      status,
      asOf: toIsoDate(options.asOf),
      versions,
      notFitted,
      erasure,
      decision,
      drift,
      metricsHistory: history,
    });
    // run.json carries the retrain's verdict too, so one file tells what a scheduled run did.
    const manifest = {
      ...run.manifest,
      retrain: { status, versions, notFitted, erasure, gate: decision, drift, metricsHistory: history },
    };
    writeFileSync(run.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await claim.finish();
    options.log.info(`retrain: ${status} (${decision.summary})`);
    const result: RetrainResult = { status, versions, notFitted, erasure, decision, run, summaryPath };
    if (status === 'kept-incumbent') throw gateRefusal(decision);
    return result;
  });
}

function erasureSummary(customers: number, results: readonly ScrubResult[]): ErasureSummary {
  return {
    customers,
    models: Object.fromEntries(
      results.map((r) => [r.model, { versions: r.scrubbed.length, rowsRemoved: r.rowsRemoved }]),
    ),
  };
}

function metricsOf(evaluation: Evaluation | undefined, model: string): Metrics {
  const m = evaluation?.models.find((e) => e.model === model);
  const at30 = m?.horizons.find((h) => h.horizon === 30);
  return {
    brier: at30?.brier ?? null,
    auc: at30?.auc ?? null,
    ...(m?.purchases ? { mae: m.purchases.mae } : {}),
  };
}

interface PreviousFromRegistry {
  readonly state: PreviousState;
  readonly profile: Record<string, FeatureProfile>;
  readonly sizes: Record<string, number>;
}

async function previousFromRegistry(registry: Registry): Promise<PreviousFromRegistry | undefined> {
  if (!(await registry.pointer('personas'))) return undefined;
  const v = await registry.read('personas', 'current');
  const membership = v.json<Record<string, string>>('membership.json');
  const lifecycle = v.json<Record<string, string>>('lifecycle.json');
  const sizes: Record<string, number> = {};
  for (const persona of Object.values(membership)) sizes[persona] = (sizes[persona] ?? 0) + 1;
  return {
    state: {
      source: `registry personas/${v.version}`,
      asOf: v.manifest.asOf ? parseIsoDate(v.manifest.asOf) : undefined,
      membership: new Map(Object.entries(membership)),
      lifecycle: new Map(Object.entries(lifecycle)),
      retiredIds: v.json<{ retiredIds: string[] }>('lineage.json').retiredIds,
      document: v.json<PersonaDocument>('personas.json'),
      featuresPath: undefined,
    },
    profile: v.json<Record<string, FeatureProfile>>('feature-profile.json'),
    sizes,
  };
}

async function incumbentsFromRegistry(registry: Registry): Promise<Incumbents> {
  const incumbents: {
    bgnbd?: PurchaseCountModel;
    neural?: { model: NeuralTimingModel; preprocessing: PreprocessingParams };
  } = {};
  if (await registry.pointer('bgnbd')) {
    incumbents.bgnbd = btydFromArtifact(
      (await registry.read('bgnbd', 'current')).json('bgnbd.json'),
    );
  }
  if (await registry.pointer('neural')) {
    const v = await registry.read('neural', 'current');
    const network = v.json<Omit<NeuralTimingArtifact, 'weightsBase64'>>('model.json');
    const weights = Buffer.from(v.files['weights.bin'] as Uint8Array).toString('base64');
    incumbents.neural = {
      model: await NeuralTimingModel.fromArtifact({
        ...network,
        weightsBase64: weights,
      } as NeuralTimingArtifact),
      preprocessing: v.json<PreprocessingParams>('preprocessing.json'),
    };
  }
  return incumbents;
}

async function registerVersions(
  registry: Registry,
  run: RunResult,
  parts: {
    features: FeatureTable;
    clustering: Clustering;
    personas: Personas;
    timing: TimingResult;
    /** The BTYD model for the registry's bgnbd slot; undefined when none could be fitted. */
    btyd: FittableBtyd | undefined;
    candidate: Record<string, Metrics>;
  },
): Promise<Record<string, string>> {
  const { features, clustering, personas, timing, btyd, candidate } = parts;
  const common = {
    dataFingerprint: run.manifest.dataFingerprint,
    asOf: run.manifest.asOf,
    runId: run.manifest.startedAt,
    onConflict: 'keep-existing' as const,
  };
  const json = (value: unknown): string => `${JSON.stringify(value)}\n`;
  const membership: Record<string, string> = {};
  const lifecycle: Record<string, string> = {};
  const segments = run.catalog.get('segments') as Segments;
  features.customerIds.forEach((id, i) => {
    const a = personas.assignment[i];
    if (a) membership[id] = a.personaId;
  });
  features.customerIds.forEach((id, row) => (lifecycle[id] = segments.segmentAt(row)));
  const kinds = Object.fromEntries(features.catalogue.map((f) => [f.name, f.kind]));
  const profile = profileColumns(
    Object.fromEntries(
      features.catalogue
        .filter((f) => f.name in features.columns)
        .map((f) => [f.name, features.columns[f.name] as never]),
    ),
    kinds,
  );
  const kmeans = clustering.model.toArtifact();
  const versions: Record<string, string> = {};
  versions.personas = (
    await registry.writeVersion('personas', {
      ...common,
      type: 'kmeans',
      formatVersion: 1,
      params: clustering.model.params,
      metrics: { k: clustering.k, inertia: clustering.model.inertia },
      files: {
        'kmeans.json': json(kmeans),
        'preprocessing.json': json(clustering.preprocessing),
        'membership.json': json(membership),
        'lifecycle.json': json(lifecycle),
        'personas.json': json(personas.document),
        'lineage.json': json({
          personaIds: clustering.personaIds,
          retiredIds: clustering.lineage?.retiredIds ?? [],
        }),
        'feature-profile.json': json(profile),
      },
    })
  ).version;
  if (btyd) {
    const bg = btyd.toArtifact();
    versions.bgnbd = (
      await registry.writeVersion('bgnbd', {
      ...common,
      type: bg.type,
      formatVersion: bg.version,
      // The BTYD artifact's own id hashes its settings and fitted parameters; BetaGeoModel.fromArtifact checks it.
      params: { settings: bg.settings, params: bg.params },
      metrics: definedMetrics(candidate.bgnbd),
      files: {
        'bgnbd.json': json(bg),
        // Without Gamma-Gamma (it could not be fitted), scoring uses each customer's mean spend.
        ...(timing.models.gammaGamma ? { 'gamma_gamma.json': json(timing.models.gammaGamma.toArtifact()) } : {}),
      },
    })
  ).version;
  }
  if (timing.models.neural && timing.models.neuralPreprocessing) {
    const artifact = await timing.models.neural.toArtifact();
    const { weightsBase64, ...network } = artifact;
    versions.neural = (
      await registry.writeVersion('neural', {
        ...common,
        type: artifact.type,
        formatVersion: artifact.version,
        params: artifact.params,
        metrics: definedMetrics(candidate.neural),
        artifact: 'model.json',
        files: {
          'model.json': json(network),
          'weights.bin': new Uint8Array(Buffer.from(weightsBase64, 'base64')),
          'preprocessing.json': json(timing.models.neuralPreprocessing),
        },
      })
    ).version;
  }
  return versions;
}

function definedMetrics(m: Metrics | undefined): Record<string, number | null> {
  return Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, v ?? null]));
}

function driftSection(
  reference: Record<string, FeatureProfile>,
  previousSizes: Record<string, number>,
  features: FeatureTable,
  personas: Personas,
) {
  const sizes: Record<string, number> = {};
  for (const a of personas.assignment) if (a) sizes[a.personaId] = (sizes[a.personaId] ?? 0) + 1;
  const names = Object.fromEntries(personas.document.personas.map((p) => [p.id, p.name.en]));
  return {
    features: driftReport(reference, features.columns as never),
    personaSizes: personaSizeChanges(previousSizes, sizes, names),
  };
}

function writeSummary(outDir: string, summary: Record<string, unknown>): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'retrain.json');
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  return path;
}
