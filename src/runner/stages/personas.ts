import { buildPersonas } from '../../personas/build-personas.js';
import type {
  FeatureColumn,
  Localized,
  PersonaDocument,
  PersonaInput,
  PredictionColumns,
  TransitionMatrix,
} from '../../personas/types.js';
import { forEachRow } from '../../io/duckdb.js';
import { toIsoDate } from '../../core/time.js';
import type { PredictionTable } from '../../timing/types.js';
import type { RunContext } from '../context.js';
import type { PreviousState } from '../previous.js';
import type { Clustering } from './cluster.js';
import type { DriftSummary } from './drift.js';
import type { FeatureTable } from './features.js';
import type { Segments } from './segments.js';
import type { TimingResult } from './timing.js';
import type { ValidationOutcome } from '../validate.js';

export interface Personas {
  readonly document: PersonaDocument;
  /** Persona id and name (in the report language) per customer, in the features' order. */
  readonly assignment: readonly ({ readonly personaId: string; readonly name: Localized } | null)[];
}

/** Stage 6: named personas with traits, narrative and playbook, from clusters + predictions + segments. */
export async function personasStage(
  ctx: RunContext,
  validation: ValidationOutcome,
  features: FeatureTable,
  clustering: Clustering,
  segments: Segments,
  previous?: PreviousState,
  drift?: DriftSummary,
  timing?: TimingResult,
): Promise<[Personas]> {
  const ids = features.customerIds;
  const n = ids.length;
  const hasConsentTable = validation.ingest.tables.consent !== undefined;
  const emailOk = new Uint8Array(n);
  const smsOk = new Uint8Array(n);
  let next = 0;
  let rowOf: Map<string, number> | undefined;
  await forEachRow(
    ctx.engine.connection,
    'SELECT e.customer_id, s.email_ok, s.sms_ok FROM eligible e JOIN consent_state s USING (customer_id) ORDER BY e.customer_id',
    (r) => {
      const id = r.customer_id as string;
      // The features are in customer_id order too: a customer is the next row, and a map of the rows is built only if not.
      const row = ids[next] === id ? next : (rowOf ??= new Map(ids.map((x, i) => [x, i]))).get(id);
      if (row === undefined) return;
      next = row + 1;
      emailOk[row] = r.email_ok === true ? 1 : 0;
      smsOk[row] = r.sms_ok === true ? 1 : 0;
    },
  );
  // A numeric feature's Float64Array is read as it is, not copied (nothing here writes into it).
  const numeric = (name: string): Float64Array => {
    const values = features.columns[name];
    return values instanceof Float64Array
      ? values
      : Float64Array.from(values ?? new Array(n).fill(null), (v: unknown) =>
          v === null || v === undefined ? Number.NaN : Number(v),
        );
  };
  const columns: Record<string, FeatureColumn> = {};
  for (const spec of features.catalogue) {
    const values = features.columns[spec.name];
    if (!values) continue;
    columns[spec.name] =
      spec.kind === 'categorical'
        ? Array.from(values as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : String(v)))
        : spec.kind === 'boolean'
          ? Float64Array.from(values as ArrayLike<unknown>, (v) => (v === null || v === undefined ? Number.NaN : v ? 1 : 0))
          : numeric(spec.name);
  }
  const previousNames = new Map<string, Localized>();
  for (const p of previous?.document?.personas ?? []) previousNames.set(p.id, p.name);
  const input: PersonaInput = {
    customerIds: ids,
    features: features.catalogue,
    columns,
    labels: clustering.labels,
    clusters: clustering.personaIds.map((personaId, label) => ({
      personaId,
      ...(previousNames.has(personaId) ? { previousName: previousNames.get(personaId) as Localized } : {}),
      stability: clustering.stability.meanJaccard[label] ?? 0,
    })),
    revenue: numeric('monetary_total').map((v) => (Number.isNaN(v) ? 0 : v)),
    orders: numeric('orders_count').map((v) => (Number.isNaN(v) ? 0 : v)),
    // Without consent records (orders-only data under legitimate interest) who can be contacted is unknown, not 0%.
    reachability: hasConsentTable
      ? {
          emailConsent: emailOk,
          smsConsent: smsOk,
          ...(features.columns.email_click_rate ? { emailEngagement: numeric('email_click_rate') } : {}),
          ...(features.columns.sms_click_rate ? { smsEngagement: numeric('sms_click_rate') } : {}),
        }
      : null,
    // Four typed columns, not an object per customer.
    predictions: predictionColumns(segments.predictions),
    lifecycle: {
      segment: Array.from(ids, (_, row) => segments.segmentAt(row)),
      vip: segments.lifecycle.vip.slice(),
    },
    pca: { points: clustering.pca.points, explainedVariance: clustering.pca.explained, axes: clustering.pca.axes },
    kSelection: {
      scores: clustering.kScores.map((s) => ({
        k: s.k,
        inertia: s.inertia,
        silhouette: s.silhouette ?? Number.NaN,
        daviesBouldin: s.daviesBouldin ?? Number.NaN,
        calinskiHarabasz: s.calinskiHarabasz ?? Number.NaN,
        gap: s.gap ?? undefined,
        gapError: s.gapError ?? undefined,
        stability: s.stability ?? undefined,
      })),
      chosenK: clustering.k,
      rule: clustering.kRule,
      choice: clustering.kChoice,
      kRange: clustering.kRange,
    },
    ...(previous?.document
      ? {
          previous: {
            document: previous.document,
            ...(clustering.lineage ? { migration: migrationMatrix(clustering) } : {}),
          },
        }
      : {}),
    run: {
      asOf: toIsoDate(ctx.asOf),
      consentBasis: ctx.config.consent.basis,
      featureFamilies: features.families,
      warnings: ctx.warnings,
      ...(drift ? { drift: drift.moved.slice(0, 12) } : {}),
      ...(timing?.trust ? { modelTrust: timing.trust } : {}),
      ...(validation.ingest.currency ? { currency: validation.ingest.currency } : {}),
      tables: Object.keys(validation.ingest.tables).sort(),
    },
  };
  const document = buildPersonas(input, { minSize: ctx.config.personas.min_size });
  const byCluster = new Map<number, { personaId: string; name: Localized }>();
  for (const p of document.personas)
    for (const c of p.clusters) byCluster.set(c, { personaId: p.id, name: p.name });
  // A customer of a suppressed (too small) persona has none.
  const assignment = Array.from(clustering.labels, (label) => byCluster.get(label) ?? null);
  ctx.log.info(`personas: ${document.personas.map((p) => `${p.id} ${p.name.en} (${p.size})`).join('; ')}`);
  return [{ document, assignment }];
}

/** The fields of the timing predictions the personas read, on the features' rows (NaN = none). */
function predictionColumns(table: PredictionTable): PredictionColumns {
  const column = (field: 'pAlive' | 'pBuy30' | 'nextPurchaseDays' | 'clv'): Float64Array =>
    Float64Array.from(table.customerIds, (_, row) => table.value(field, row) ?? Number.NaN);
  return { pAlive: column('pAlive'), pBuy30: column('pBuy30'), nextPurchaseDays: column('nextPurchaseDays'), clv: column('clv') };
}

function migrationMatrix(clustering: Clustering): TransitionMatrix {
  const m = clustering.lineage?.migration;
  if (!m) return { from: [], to: [], counts: [] };
  return { from: m.oldIds, to: m.newIds, counts: m.counts };
}
