import { flatKpiRow } from '../campaigns/kpi-table.js';
import type { CampaignKpis } from './stages/campaigns.js';
import type { CrossSellResult } from './stages/cross-sell.js';
import { BTYD_MODELS } from '../timing/btyd-models.js';
import type { Config } from '../config/schema.js';
import type { ConsentAudit } from '../io/apply-consent.js';
import type { TableValidation } from '../io/ingest.js';
import type { Clustering } from './stages/cluster.js';
import type { FeatureTable } from './stages/features.js';
import type { ScoresOutput } from './stages/scores.js';
import type { TimingResult } from './stages/timing.js';
import type { FileFingerprint } from './fingerprint.js';
import type { Catalog, StageTiming } from './pipeline.js';
import type { ValidationOutcome } from './validate.js';
import { personaeVersion } from './version.js';

export interface RowAccounting {
  readonly read: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** Accepted rows whose unusable contact field was dropped, by reason (customers only). */
  readonly fieldsDropped?: Readonly<Record<string, number>>;
  /** Accepted rows of customers left out by consent or erasure. */
  readonly excludedByConsent: number;
  readonly used: number;
}

export interface RunManifest {
  readonly personae: string;
  readonly node: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly asOf: string;
  readonly dataDir: string;
  readonly inputs: readonly FileFingerprint[];
  readonly dataFingerprint: string;
  readonly configPath: string | null;
  readonly config: Config;
  readonly rows: Record<string, RowAccounting>;
  readonly consent: (ConsentAudit & { lawfulBasis: string }) | null;
  readonly features: {
    readonly count: number;
    readonly families: readonly string[];
    readonly customers: number;
  } | null;
  readonly stages: readonly StageTiming[];
  readonly warnings: readonly string[];
  readonly [section: string]: unknown;
}

export interface ManifestInput {
  started: Date;
  asOf: string;
  dataDir: string;
  inputs: FileFingerprint[];
  dataFingerprint: string;
  config: Config;
  configPath: string | undefined;
  stages: StageTiming[];
  catalog: Catalog;
  warnings: string[];
}

function rowAccounting(
  tables: Partial<Record<string, TableValidation>>,
  consent: ConsentAudit | undefined,
): Record<string, RowAccounting> {
  const rows: Record<string, RowAccounting> = {};
  for (const [table, v] of Object.entries(tables)) {
    if (!v) continue;
    const excluded = consent?.rowsExcluded[table as keyof ConsentAudit['rowsExcluded']] ?? 0;
    rows[table] = {
      read: v.rowsRead,
      accepted: v.accepted,
      quarantined: v.quarantined,
      ...(v.fieldsDropped !== undefined ? { fieldsDropped: v.fieldsDropped } : {}),
      excludedByConsent: excluded,
      used: v.accepted - excluded,
    };
  }
  return rows;
}

/** run.json: what went in, what came out, and how every row was accounted for. */
export function buildManifest(input: ManifestInput): RunManifest {
  const validation = input.catalog.get('validation') as ValidationOutcome | undefined;
  const features = input.catalog.get('features') as FeatureTable | undefined;
  const clustering = input.catalog.get('clustering') as Clustering | undefined;
  const timing = input.catalog.get('timing') as TimingResult | undefined;
  const sections = (input.catalog.get('manifestSections') as Record<string, unknown> | undefined) ?? {};
  return {
    personae: personaeVersion(),
    node: process.version,
    startedAt: input.started.toISOString(),
    finishedAt: new Date().toISOString(),
    asOf: input.asOf,
    dataDir: input.dataDir,
    inputs: input.inputs,
    dataFingerprint: input.dataFingerprint,
    configPath: input.configPath ?? null,
    config: input.config,
    rows: validation ? rowAccounting(validation.ingest.tables, validation.consent) : {},
    consent: validation?.consent ? { ...validation.consent, lawfulBasis: input.config.consent.basis } : null,
    features: features
      ? { count: features.catalogue.length, families: features.families, customers: features.rowCount }
      : null,
    clustering: clustering ? clusteringSection(clustering) : null,
    timing: timing ? timingSection(timing) : null,
    backend: timing?.backend ?? null,
    exports: (input.catalog.get('scores') as ScoresOutput | undefined)?.exports ?? null,
    report: input.catalog.get('report') ?? null,
    crossSell: crossSellSection(input.catalog.get('crossSell') as CrossSellResult | undefined),
    campaigns: campaignsSection(input.catalog.get('campaigns') as CampaignKpis | undefined),
    ...sections,
    stages: input.stages,
    warnings: [...new Set(input.warnings)],
  };
}

function clusteringSection(c: Clustering) {
  const sizes = new Array<number>(c.k).fill(0);
  for (const label of c.labels) sizes[label] = (sizes[label] as number) + 1;
  return {
    k: c.k,
    rule: c.kRule,
    choice: c.kChoice,
    range: c.kRange,
    scores: c.kScores,
    features: c.columns.length,
    inertia: c.model.inertia,
    personas: c.personaIds.map((id, label) => ({
      id,
      customers: sizes[label],
      stability: c.stability.meanJaccard[label] ?? null,
    })),
    lineage: c.lineage
      ? {
          continued: c.lineage.continued,
          created: c.lineage.created,
          retired: c.lineage.retired,
          splits: c.lineage.splits,
          merges: c.lineage.merges,
        }
      : null,
    pcaExplainedVariance: c.pca.explained,
  };
}

function timingSection(t: TimingResult) {
  const { btyd, gammaGamma, neural } = t.models;
  return {
    // Per horizon: the model whose P(buy) is in the scores, why, its held-out and same-season metrics.
    scoring: {
      horizons: t.choice,
      selection: t.selection,
      lifetimeModel: t.lifetimeModel,
      spendModel: gammaGamma ? 'gamma_gamma' : 'empirical',
    },
    skipped: t.skipped,
    backtests: t.backtests.map(({ evaluation: _e, ...w }) => w),
    // Only beyond timing.backtest_max_customers: the backtests' metrics are estimates on this seeded sample.
    ...(t.backtestSample ? { backtestSample: t.backtestSample } : {}),
    evaluation: t.evaluation ?? null,
    selectionEvaluation: t.backtests.find((w) => w.role === 'selection')?.evaluation ?? null,
    seasonalEvaluation: t.backtests.find((w) => w.role === 'seasonal')?.evaluation ?? null,
    parameters: {
      ...Object.fromEntries(BTYD_MODELS.map((m) => [m.name, btyd[m.name]?.params ?? null])),
      gamma_gamma: gammaGamma?.params ?? null,
    },
    neural: neural ? { id: neural.id, training: neural.state.training } : null,
    notes: t.notes,
  };
}

/** run.json → campaigns: the attribution rule and every KPI row (as in kpis.parquet). */
function campaignsSection(c: CampaignKpis | undefined) {
  if (!c) return null;
  return { ...c, file: c.available ? 'kpis.parquet' : null, rows: c.rows.map(flatKpiRow) };
}

/** run.json → crossSell: the backtest of each method against popularity, and the method chosen. */
function crossSellSection(c: CrossSellResult | undefined) {
  if (!c) return null;
  const { next, ...rest } = c;
  return { ...rest, customersScored: next.size };
}
