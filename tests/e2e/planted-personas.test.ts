// Issue 4's acceptance check, end to end: generate a brand with six planted personas, run the pipeline's own
// ingest → consent → features → clustering stage on it, and compare the personas found with the ground truth,
// which only this test reads (truth/ground_truth.csv is never given to the pipeline).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/cluster/adjustedRand.js';
import { KMeans } from '../../src/cluster/kmeans.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/core/log.js';
import { applyConsent } from '../../src/io/apply-consent.js';
import { openEngine, queryRows, quoteLiteral } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { clusterStage, type Clustering } from '../../src/runner/stages/cluster.js';
import { featuresStage } from '../../src/runner/stages/features.js';
import { PERSONAS } from '../../src/synthetic/personas.js';

const AS_OF = new Date(Date.UTC(2025, 11, 31));
const dirs: string[] = [];

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `personae-${label}-`));
  dirs.push(dir);
  return dir;
}

interface Found {
  clustering: Clustering;
  /** Planted persona index of every clustered customer, in the clustering's row order. */
  truth: number[];
}

async function clusterPlanted(seed: number): Promise<Found> {
  const dataDir = tempDir(`planted-${seed}`);
  await writeDataset({ customers: 3000, seed }, dataDir);
  const config = parseConfig({});
  const engine = await openEngine();
  try {
    await ingest(engine.connection, { dataDir, config, asOf: AS_OF });
    await applyConsent(engine.connection, { asOf: AS_OF, basis: config.consent.basis });
    const ctx = {
      engine,
      config,
      configPath: undefined,
      dataDir,
      asOf: AS_OF,
      outDir: tempDir(`planted-out-${seed}`),
      log: createLogger({ quiet: true }),
      warnings: [],
    };
    const [features] = await featuresStage(ctx);
    const [clustering] = await clusterStage(ctx, features);
    const planted = await queryRows<{ customer_id: string; persona: string }>(
      engine.connection,
      `SELECT customer_id, persona FROM read_csv(${quoteLiteral(join(dataDir, 'truth', 'ground_truth.csv'))}, all_varchar = true)`,
    );
    const keys = PERSONAS.map((p) => p.key);
    const byId = new Map(planted.map((r) => [r.customer_id, keys.indexOf(r.persona)]));
    return { clustering, truth: features.customerIds.map((id) => byId.get(id) as number) };
  } finally {
    engine.close();
  }
}

/** Labels of the nearest planted-persona centroid: the best any centroid-based clustering of this space can do. */
function nearestTrueCentroid({ clustering, truth }: Found): Int32Array {
  const { values, nRows, nCols: d } = clustering.matrix;
  const k = PERSONAS.length;
  const init = new Float64Array(k * d);
  const counts = new Array<number>(k).fill(0);
  truth.forEach((g, i) => {
    counts[g] = (counts[g] as number) + 1;
    for (let j = 0; j < d; j++) init[g * d + j] = (init[g * d + j] as number) + (values[i * d + j] as number);
  });
  for (let g = 0; g < k; g++) for (let j = 0; j < d; j++) init[g * d + j] = (init[g * d + j] as number) / (counts[g] as number);
  return Int32Array.from({ length: nRows }, (_, i) => {
    let best = 0;
    let bestDistance = Infinity;
    for (let g = 0; g < k; g++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ((values[i * d + j] as number) - (init[g * d + j] as number)) ** 2;
      if (s < bestDistance) [best, bestDistance] = [g, s];
    }
    return best;
  });
}

describe('planted personas (generated brand, 3,000 customers, seed 7)', () => {
  let found: Found;
  beforeAll(async () => {
    found = await clusterPlanted(7);
  }, 120_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('clusters the consented customers on the default behavioural features only', () => {
    expect(found.clustering.matrix.nRows).toBeGreaterThan(2000);
    expect(found.truth.every((g) => g >= 0)).toBe(true);
    for (const column of found.clustering.columns) expect(column).not.toMatch(/^(country|region|share_brand_|interest_|age_band|declared_gender)/);
    expect(found.clustering.columns).toContain('share_spend_nov_dec');
    expect(found.clustering.columns).toContain('share_category_toys');
  });

  it('separates the planted personas in feature space: nearest true centroid recovers them with ARI ≥ 0.9', () => {
    // Measured 0.924 (seed 7); 0.881 without the category mix, where lapsed gift buyers look like the lapsing persona.
    expect(adjustedRandIndex(found.truth, Array.from(nearestTrueCentroid(found)))).toBeGreaterThan(0.9);
  });

  it('k-means with the planted k recovers them with ARI ≥ 0.88', () => {
    const model = new KMeans({ nClusters: PERSONAS.length, nInit: 4, seed: 1 }).fit(found.clustering.matrix);
    expect(adjustedRandIndex(found.truth, Array.from(model.labels))).toBeGreaterThan(0.88);
  });

  it('chooses k = 6, the planted count, with adjusted Rand index ≥ 0.9 against the ground truth', () => {
    // Measured 0.906 (seed 7); with the same settings seed 11 gives k = 6, ARI 0.914 and seed 3 k = 6, ARI 0.906.
    expect(found.clustering.k).toBe(PERSONAS.length);
    expect(adjustedRandIndex(found.truth, Array.from(found.clustering.labels))).toBeGreaterThanOrEqual(0.9);
    expect(found.clustering.kRule).toMatch(/bootstrap resamples/);
  });

  it('stops at 6 because no larger k is reproducible: every persona of k = 6 is stable, each k > 6 has a cluster that resamples do not find again', () => {
    // The gap statistic alone keeps rising past 6 (it chose k = 9 here before the stability rule).
    // Measured (least stable cluster's mean Jaccard): k = 6 0.98; k = 7…10 0.46, 0.33, 0.27, 0.23.
    const stability = new Map(found.clustering.kScores.map((s) => [s.k, s.stability as number]));
    expect(stability.get(6)).toBeGreaterThan(0.9);
    for (let k = 7; k <= 10; k++) expect(stability.get(k), `k = ${k}`).toBeLessThan(0.6);
    expect(found.clustering.stability.meanJaccard).toHaveLength(PERSONAS.length);
    expect(Math.min(...found.clustering.stability.meanJaccard)).toBe(stability.get(6));
  });
});
