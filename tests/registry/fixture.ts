// Shared fixture of the registry tests: the artifacts of a small "retrain generation" for two models, a
// k-means model (two JSON files) and a neural model (tfjs-style model.json + binary weights).
import { modelId } from '../../src/core/hash.js';
import { Rng } from '../../src/core/rng.js';
import type { Registry, VersionInput } from '../../src/registry/index.js';

export const KMEANS_PARAMS = { k: 3, nInit: 4, maxIter: 100 };
export const NEURAL_PARAMS = { hidden: [16, 8], epochs: 40 };

/** The inputs of generation `g` (as-of one week apart); deterministic in g. */
export function generationFiles(g: number): Record<'kmeans' | 'neural', VersionInput> {
  const rng = new Rng(1000 + g);
  const asOf = new Date(Date.UTC(2024, 0, 7 + 7 * g)).toISOString().slice(0, 10);
  const centroids = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.normal()));
  const weights = new Float32Array(2048).map(() => rng.normal());
  const common = {
    dataFingerprint: `data-${g}`,
    asOf,
    runId: `run-${g}`,
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, g)).toISOString(),
  };
  return {
    kmeans: {
      ...common,
      type: 'kmeans',
      formatVersion: 1,
      params: KMEANS_PARAMS,
      artifact: 'kmeans.json',
      metrics: { silhouette: 0.4 + g / 100 },
      files: {
        'kmeans.json': JSON.stringify({
          type: 'kmeans',
          version: 1,
          params: KMEANS_PARAMS,
          id: modelId('kmeans', 1, KMEANS_PARAMS),
          centroids,
        }),
        'preprocessing.json': JSON.stringify({ means: [1, 2, 3, 4], scales: [1, 1, 2, 2], generation: g }),
      },
    },
    neural: {
      ...common,
      type: 'neural_timing',
      formatVersion: 2,
      params: NEURAL_PARAMS,
      metrics: { brier: 0.12 - g / 1000, auc: 0.7 + g / 1000 },
      files: {
        'model.json': JSON.stringify({
          format: 'layers-model',
          weightsManifest: [{ paths: ['weights.bin'] }],
          generation: g,
        }),
        'weights.bin': new Uint8Array(weights.buffer),
      },
    },
  };
}

/** What a retrain does with the registry: write both models of generation g, promote them together, prune. */
export async function runGeneration(registry: Registry, g: number): Promise<Record<string, string>> {
  const targets: Record<string, string> = {};
  for (const [model, input] of Object.entries(generationFiles(g))) {
    targets[model] = (await registry.writeVersion(model, input)).version;
  }
  await registry.promoteMany(targets, { reason: `generation ${g}` });
  await registry.prune(2);
  return targets;
}

/** Customers of the personas fixture: c01 … c40. */
export const PERSONAS_CUSTOMERS = Array.from({ length: 40 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);

/** Customers who asked to be erased: generation 1 holds c02, c05, c10; generation 2 c05, c10, c22; c99 none. */
export const ERASURE_REQUEST = ['c02', 'c05', 'c10', 'c22', 'c99'];

/**
 * A personas-like version of generation g (as-of one week apart), with the two customer-level files:
 * membership.json holds customers c(g+1) … c(g+20) (persona p<n mod 3>), lifecycle.json those of them
 * with an odd number (segment "active" or "lapsed"), both written as retrain writes them (compact JSON
 * and a newline).
 */
export function personasGeneration(g: number): VersionInput {
  const members = PERSONAS_CUSTOMERS.slice(g, g + 20);
  const number = (id: string): number => Number(id.slice(1));
  const membership = Object.fromEntries(members.map((id) => [id, `p${number(id) % 3}`]));
  const lifecycle = Object.fromEntries(
    members
      .filter((id) => number(id) % 2 === 1)
      .map((id) => [id, number(id) % 4 === 1 ? 'active' : 'lapsed']),
  );
  const params = { k: 3 };
  return {
    type: 'kmeans',
    formatVersion: 1,
    params,
    dataFingerprint: `personas-${g}`,
    asOf: new Date(Date.UTC(2024, 0, 7 + 7 * g)).toISOString().slice(0, 10),
    runId: `run-${g}`,
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, g)).toISOString(),
    artifact: 'kmeans.json',
    metrics: { k: 3 },
    files: {
      'kmeans.json': `${JSON.stringify({ type: 'kmeans', version: 1, params, id: modelId('kmeans', 1, params), centroids: [[g]] })}\n`,
      'membership.json': `${JSON.stringify(membership)}\n`,
      'lifecycle.json': `${JSON.stringify(lifecycle)}\n`,
      'personas.json': `${JSON.stringify({ personas: ['p0', 'p1', 'p2'], generation: g })}\n`,
    },
  };
}
