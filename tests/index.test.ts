// The public entry point, imported by the package name as a user program (or notebook) would. Here
// 'personae-pipeline' resolves to src/index.ts (vitest.config.ts alias, tsconfig.json paths); the built package
// (dist/, what "exports" points at) is imported from plain JavaScript by tests/e2e/package.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as personae from 'personae-pipeline';
import {
  BetaGeoModel,
  KMeans,
  PersonaeError,
  chartToSvg,
  computeFeatures,
  featureMatrix,
  openEngine,
  parseConfig,
  rfmSummary,
  silentLogger,
  validateData,
  writeDataset,
} from 'personae-pipeline';

/** What notebooks and programs are promised, by area (functions and classes). */
const SURFACE = {
  data: ['writeDataset', 'openEngine', 'withConnection', 'queryRows', 'queryColumns', 'validateData', 'ingest', 'applyConsent', 'readTransactionLog', 'findSources'],
  config: ['parseConfig', 'loadConfig'],
  features: ['computeFeatures', 'referenceCatalogue', 'fitPreprocessing', 'transform'],
  clustering: ['KMeans', 'MiniBatchKMeans', 'selectK', 'PCA', 'bootstrapStability', 'matchPersonas', 'adjustedRandIndex', 'featureMatrix', 'stopWorkers'],
  btyd: ['rfmSummary', 'BetaGeoModel', 'ModifiedBetaGeoModel', 'ParetoNbdModel', 'GammaGammaModel', 'predictCustomers', 'holdoutReport', 'timingLabels'],
  neural: ['trainNeuralTimingModel', 'NeuralTimingModel', 'selectBackend'],
  evaluation: ['evaluateModels', 'comparisonTable', 'fitRecencyBaseline', 'predictRecencyBaseline', 'auc', 'brierScore'],
  personas: ['buildPersonas', 'renderReport', 'renderHtmlReport', 'renderMarkdownReport', 'buildCharts', 'chartToSvg', 'svgToPng'],
  segments: ['assignLifecycle', 'scoreRfm', 'segmentInputs', 'buildScoreRows', 'buildExports', 'parseSegmentRules'],
  pipeline: ['runOnce', 'createLogger'],
} as const;

describe("import from 'personae-pipeline'", () => {
  for (const [area, names] of Object.entries(SURFACE)) {
    it(`exports the ${area} API`, () => {
      const missing = names.filter((name) => typeof (personae as Record<string, unknown>)[name] !== 'function');
      expect(missing).toEqual([]);
    });
  }

  it('k-means separates two hand-made groups and its centres are their means', () => {
    const points = [0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10];
    const model = new KMeans({ nClusters: 2, nInit: 3 }).fit(featureMatrix(Float64Array.from(points), 6, 2), { seed: 1 });
    const [a, b] = [model.labels[0], model.labels[3]];
    expect(a).not.toBe(b);
    expect(Array.from(model.labels)).toEqual([a, a, a, b, b, b]);
    const centre = (label: number) => Array.from(model.centres.subarray(label * 2, label * 2 + 2));
    expect(centre(a as number)[0]).toBeCloseTo(1 / 3, 12);
    expect(centre(a as number)[1]).toBeCloseTo(1 / 3, 12);
    expect(centre(b as number)[0]).toBeCloseTo(31 / 3, 12);
    expect(Array.from(model.predict(featureMatrix(Float64Array.from([0.2, 0.3, 9, 9]), 2, 2)))).toEqual([a, b]);
  });

  it('rfmSummary gives x, t_x, T and holdout counts by hand', () => {
    const summary = rfmSummary(
      [
        { customerId: 'A', day: 100, amount: 10 },
        { customerId: 'A', day: 107, amount: 20 },
        { customerId: 'A', day: 121, amount: 40 },
        { customerId: 'A', day: 135, amount: 5 },
        { customerId: 'B', day: 110, amount: 15 },
      ],
      { calibrationEndDay: 130, holdoutEndDay: 140, timeUnit: 'day' },
    );
    const row = (id: string) => summary.customerIds.indexOf(id);
    expect([summary.frequency[row('A')], summary.recency[row('A')], summary.age[row('A')]]).toEqual([2, 21, 30]);
    expect(summary.monetary[row('A')]).toBe(30); // mean of the repeat purchases 20 and 40
    expect(summary.holdoutFrequency[row('A')]).toBe(1);
    expect([summary.frequency[row('B')], summary.recency[row('B')], summary.age[row('B')]]).toEqual([0, 0, 20]);
  });

  it('BG/NBD with the CDNOW estimates: E[X(t)] matches the closed form, a customer with x = 0 is alive', () => {
    const params = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };
    const model = BetaGeoModel.withParams(params);
    // Fader, Hardie & Lee (2005) eq. 7, with 2F1 summed term by term here.
    const { r, alpha, a, b } = params;
    const t = 39;
    const z = t / (alpha + t);
    let term = 1;
    let hyp = 1;
    for (let n = 0; n < 20_000; n++) {
      term *= ((r + n) * (b + n) * z) / ((a + b - 1 + n) * (n + 1));
      hyp += term;
    }
    const expected = ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp);
    expect(model.expectedPurchases(t)).toBeCloseTo(expected, 6);
    expect(model.pAlive(0, 0, 38.86)).toBe(1);
  });

  it('parseConfig fills defaults and refuses an unknown setting with a PersonaeError naming it', () => {
    expect(parseConfig({}).consent.basis).toBe('consent');
    let error: unknown;
    try {
      parseConfig({ clustring: { k: 3 } }, 'personae.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PersonaeError);
    expect((error as PersonaeError).code).toBe('config_invalid');
    expect((error as PersonaeError).message).toContain('clustring');
  });

  it('chartToSvg renders a vega-lite spec without a browser', async () => {
    const svg = await chartToSvg({
      data: { values: [{ x: 'a', y: 1 }, { x: 'b', y: 3 }] },
      mark: 'bar',
      encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? svg.match(/role-mark mark-rect/g)).not.toBeNull();
  });

  describe('generate → validate → features on 60 customers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'personae-index-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('gives one feature row per consented customer', async () => {
      const dataDir = join(dir, 'data');
      const written = await writeDataset({ customers: 60, seed: 3, format: 'csv', end: '2025-12-31', years: 2 }, dataDir);
      expect(written.summary.rows.orders).toBeGreaterThan(0);
      const asOf = new Date('2025-12-31T00:00:00Z');
      const engine = await openEngine();
      try {
        const outcome = await validateData(engine, { dataDir, config: parseConfig({}), asOf, outDir: join(dir, 'out'), log: silentLogger, strictConsent: true });
        const orders = outcome.ingest.tables.orders;
        expect(orders && orders.accepted + orders.quarantined).toBe(orders?.rowsRead);
        const included = outcome.consent?.included ?? 0;
        expect(included).toBeGreaterThan(0);
        expect(included).toBeLessThanOrEqual(60);
        const features = await computeFeatures(engine.connection, { asOf });
        expect(features.rowCount).toBe(included);
        expect(features.catalogue.map((f) => f.name)).toContain('recency_days');
      } finally {
        engine.close();
      }
    });
  });
});
