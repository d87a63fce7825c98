/**
 * Persona lineage across retrains: which new cluster continues which old persona, so that persona ids (and the
 * names attached to them) survive weekly retrains.
 *
 * Matching: an optimal one-to-one assignment (Hungarian) of old personas to new clusters on the cost
 *   cost = α · δ/(δ + s) + (1 − α) · (1 − J),
 * where δ is the distance between centroids (in the new run's feature space), s the median distance between
 * the new centroids (so δ/(δ + s) is a scale-free number in [0, 1)), and J the Jaccard overlap of the two
 * memberships over customers present in both runs. Without shared customers α is taken as 1. A matched pair
 * keeps the old id only when its cost is ≤ maxCost and (with shared customers) J ≥ minJaccard; otherwise the
 * cluster is new and the persona retired.
 *
 * Splits and merges are read from the migration matrix M (old persona × new cluster, shared customers):
 * old persona o *split* when ≥ 2 new clusters each take ≥ `share` of o's customers and are each ≥ 50 % made of
 * o; new cluster n is a *merge* when ≥ 2 old personas each put ≥ `share` of n's customers and each sent ≥ 50 %
 * of theirs to n. New ids are P<number> after the largest number ever used, so retired ids are never reused.
 */
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { minCostAssignment } from './hungarian.js';
import { parseSettings } from './params.js';

export const lineageSettingsSchema = z
  .object({
    /** Weight α of centroid distance against membership overlap in the matching cost. */
    distanceWeight: z.number().min(0).max(1).default(0.5),
    maxCost: z.number().min(0).max(1).default(0.6),
    /** With shared customers, a continuation also needs at least this membership overlap. */
    minJaccard: z.number().min(0).max(1).default(0.1),
    share: z.number().gt(0).max(0.5).default(0.2),
    idPrefix: z.string().regex(/^[A-Za-z_-]*$/).default('P'),
  })
  .strict();

export type LineageSettingsInput = z.input<typeof lineageSettingsSchema>;

export interface PreviousPersonas {
  /** Old personas: id and centroid in the current feature space. */
  personas: { id: string; centroid: ArrayLike<number> }[];
  /** Customer id → old persona id, for customers of the previous run. */
  membership: ReadonlyMap<string, string>;
  /** Ids retired in earlier runs (never reused). */
  retiredIds?: readonly string[];
}

export interface CurrentClusters {
  /** Row-major k × d. */
  centroids: Float64Array;
  nFeatures: number;
  customerIds: readonly string[];
  labels: ArrayLike<number>;
}

export interface MigrationMatrix {
  oldIds: string[];
  newIds: string[];
  /** counts[o][n]: customers in old persona o and new persona n. */
  counts: number[][];
  /** Customers of each new persona who were not in the previous run. */
  entered: number[];
  /** Customers of each old persona absent from this run. */
  left: number[];
}

export interface Lineage {
  /** Persona id of every new cluster (index = cluster label). */
  ids: string[];
  continued: { id: string; cluster: number; jaccard: number | null; centroidDistance: number; cost: number }[];
  created: { id: string; cluster: number; splitFrom: string | null }[];
  retired: { id: string; mergedInto: string | null }[];
  splits: { from: string; into: string[] }[];
  merges: { from: string[]; into: string }[];
  migration: MigrationMatrix;
  /** All ids retired so far, to pass as `retiredIds` next time. */
  retiredIds: string[];
}

/** Ids for a first run, with no previous personas: P1..Pk. */
export function initialPersonaIds(k: number, prefix = 'P'): string[] {
  return Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
}

export function matchPersonas(previous: PreviousPersonas, current: CurrentClusters, settingsInput: LineageSettingsInput = {}): Lineage {
  const settings = parseSettings(lineageSettingsSchema, settingsInput, 'cluster.lineage');
  const d = current.nFeatures;
  const k = current.centroids.length / d;
  if (!Number.isInteger(k) || current.customerIds.length !== current.labels.length) {
    inputError('cluster.lineage_input', `Persona lineage: ${current.centroids.length} centroid values for ${d} features, ${current.customerIds.length} customers for ${current.labels.length} labels.`, 'Pass the k × d centroids and one label per customer.');
  }
  for (const p of previous.personas) {
    if (p.centroid.length !== d) inputError('cluster.lineage_input', `Persona lineage: old persona ${p.id} has a ${p.centroid.length}-feature centroid; the new run has ${d}.`, 'Express old centroids in the current feature space (re-predict them with the current preprocessing).');
  }
  const oldIds = previous.personas.map((p) => p.id);
  const oldIndex = new Map(oldIds.map((id, i) => [id, i]));
  const nOld = oldIds.length;

  // Migration counts over shared customers.
  const counts = Array.from({ length: nOld }, () => new Array<number>(k).fill(0));
  const entered = new Array<number>(k).fill(0);
  const seen = new Set<string>();
  current.customerIds.forEach((customer, i) => {
    const label = current.labels[i] as number;
    seen.add(customer);
    const oldId = previous.membership.get(customer);
    const o = oldId === undefined ? undefined : oldIndex.get(oldId);
    if (o === undefined) entered[label] = (entered[label] as number) + 1;
    else (counts[o] as number[])[label] = ((counts[o] as number[])[label] as number) + 1;
  });
  const left = new Array<number>(nOld).fill(0);
  for (const [customer, oldId] of previous.membership) {
    const o = oldIndex.get(oldId);
    if (o !== undefined && !seen.has(customer)) left[o] = (left[o] as number) + 1;
  }
  const oldShared = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const newShared = Array.from({ length: k }, (_, n) => counts.reduce((a, row) => a + (row[n] as number), 0));
  const anyShared = oldShared.some((c) => c > 0);

  // Matching cost.
  const distance = (o: number, n: number): number => {
    const c = previous.personas[o]?.centroid as ArrayLike<number>;
    let s = 0;
    for (let t = 0; t < d; t++) s += ((c[t] as number) - (current.centroids[n * d + t] as number)) ** 2;
    return Math.sqrt(s);
  };
  const scale = medianCentroidSeparation(current.centroids, k, d);
  const alpha = anyShared ? settings.distanceWeight : 1;
  const jaccard = (o: number, n: number): number => {
    const both = (counts[o] as number[])[n] as number;
    const union = (oldShared[o] as number) + (newShared[n] as number) - both;
    return union > 0 ? both / union : 0;
  };
  const cost = new Float64Array(nOld * k);
  for (let o = 0; o < nOld; o++) {
    for (let n = 0; n < k; n++) {
      const delta = distance(o, n);
      cost[o * k + n] = alpha * (scale > 0 ? delta / (delta + scale) : delta > 0 ? 1 : 0) + (1 - alpha) * (1 - jaccard(o, n));
    }
  }
  const assignment = nOld > 0 && k > 0 ? minCostAssignment(cost, nOld, k) : new Int32Array(nOld).fill(-1);

  const ids = new Array<string | undefined>(k).fill(undefined);
  const continued: Lineage['continued'] = [];
  const retiredOld: number[] = [];
  assignment.forEach((n, o) => {
    const overlapOk = !anyShared || (oldShared[o] as number) === 0 || jaccard(o, n) >= settings.minJaccard;
    if (n >= 0 && (cost[o * k + n] as number) <= settings.maxCost && overlapOk) {
      ids[n] = oldIds[o] as string;
      continued.push({ id: oldIds[o] as string, cluster: n, jaccard: anyShared ? jaccard(o, n) : null, centroidDistance: distance(o, n), cost: cost[o * k + n] as number });
    } else {
      retiredOld.push(o);
    }
  });

  // Splits and merges from the migration matrix.
  const rowShare = (o: number, n: number): number => ((oldShared[o] as number) > 0 ? ((counts[o] as number[])[n] as number) / (oldShared[o] as number) : 0);
  const colShare = (o: number, n: number): number => ((newShared[n] as number) > 0 ? ((counts[o] as number[])[n] as number) / (newShared[n] as number) : 0);
  const splitParts = Array.from({ length: nOld }, (_, o) => range(k).filter((n) => rowShare(o, n) >= settings.share && colShare(o, n) >= 0.5));
  const mergeParts = Array.from({ length: k }, (_, n) => range(nOld).filter((o) => colShare(o, n) >= settings.share && rowShare(o, n) >= 0.5));

  let nextNumber = 1 + Math.max(0, ...[...oldIds, ...(previous.retiredIds ?? [])].map((id) => idNumber(id, settings.idPrefix)));
  const created: Lineage['created'] = [];
  for (let n = 0; n < k; n++) {
    if (ids[n] !== undefined) continue;
    const id = `${settings.idPrefix}${nextNumber++}`;
    ids[n] = id;
    const parent = splitParts.findIndex((parts) => parts.length >= 2 && parts.includes(n));
    created.push({ id, cluster: n, splitFrom: parent >= 0 ? (oldIds[parent] as string) : null });
  }
  const finalIds = ids as string[];
  const splits = splitParts.flatMap((parts, o) => (parts.length >= 2 ? [{ from: oldIds[o] as string, into: parts.map((n) => finalIds[n] as string) }] : []));
  const merges = mergeParts.flatMap((parts, n) => (parts.length >= 2 ? [{ from: parts.map((o) => oldIds[o] as string), into: finalIds[n] as string }] : []));
  const retired = retiredOld.map((o) => {
    const merge = mergeParts.findIndex((parts) => parts.length >= 2 && parts.includes(o));
    return { id: oldIds[o] as string, mergedInto: merge >= 0 ? (finalIds[merge] as string) : null };
  });
  return {
    ids: finalIds,
    continued,
    created,
    retired,
    splits,
    merges,
    migration: { oldIds, newIds: finalIds, counts, entered, left },
    retiredIds: [...new Set([...(previous.retiredIds ?? []), ...retired.map((r) => r.id)])],
  };
}

function idNumber(id: string, prefix: string): number {
  if (!id.startsWith(prefix)) return 0;
  const n = Number(id.slice(prefix.length));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function medianCentroidSeparation(centroids: Float64Array, k: number, d: number): number {
  const distances: number[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += ((centroids[a * d + t] as number) - (centroids[b * d + t] as number)) ** 2;
      distances.push(Math.sqrt(s));
    }
  }
  if (distances.length === 0) return 0;
  distances.sort((x, y) => x - y);
  return distances[Math.floor(distances.length / 2)] as number;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
