import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/core/log.js';
import type { Engine } from '../../../src/io/duckdb.js';
import type { RunContext } from '../../../src/runner/context.js';
import { computeFeatures } from '../../../src/features/compute.js';
import { readFeatureTable } from '../../../src/features/read-feature-table.js';
import type { FeatureTable } from '../../../src/runner/stages/features.js';
import { purchaseLedgerOf } from '../../../src/runner/stages/purchases.js';
import { timingStage, type TimingResult } from '../../../src/runner/stages/timing.js';
import { backtestSample } from '../../../src/timing/backtest-sample.js';
import { dateToDay, rfmSummary } from '../../../src/timing/rfm-summary.js';
import { GENERATED_AS_OF, validatedGeneratedBrand } from '../../helpers/generated-brand.js';
import { tempDir } from '../../helpers/data-dir.js';

let engine: Engine;
let features: FeatureTable;
/** Customers with a purchase: those the backtests can grade. */
let buyers: number;

function context(timing: Record<string, unknown>): RunContext {
  return {
    engine,
    config: configSchema.parse({ timing }),
    configPath: undefined,
    dataDir: '',
    asOf: GENERATED_AS_OF,
    outDir: tempDir(),
    log: silentLogger,
    warnings: [],
  };
}

async function timing(settings: Record<string, unknown>): Promise<TimingResult> {
  const [result] = await timingStage(context(settings), features);
  return result;
}

/** Everything the stage gives that run.json, the scores and the report read, as plain values. */
function comparable(r: TimingResult): unknown {
  const { predictions, models, ...rest } = r;
  return JSON.parse(
    JSON.stringify({
      ...rest,
      predictions: predictions.customerIds.map((_, i) => predictions.at(i)),
      params: Object.fromEntries(Object.entries(models.btyd).map(([name, m]) => [name, m.params])),
      gammaGamma: models.gammaGamma?.params,
    }),
  );
}

beforeAll(async () => {
  ({ engine } = await validatedGeneratedBrand(3000, 11));
  // The features stage's table, without its features.parquet (file access is locked after validation).
  const result = await computeFeatures(engine.connection, { asOf: GENERATED_AS_OF, topCategories: 8, topBrands: 8, restrictedToPopulation: true });
  features = { ...result, ...(await readFeatureTable(engine.connection, 'SELECT * FROM features', result.catalogue, result.rowCount)) };
  buyers = (await purchaseLedgerOf(engine.connection)).customerIds.length;
}, 120_000);

afterAll(() => engine?.close());

describe('timing.backtest_max_customers', () => {
  it('changes nothing while the customers with a purchase are no more than the cap', async () => {
    expect(buyers).toBeGreaterThan(1000);
    const atCap = await timing({ neural: false, backtest_max_customers: buyers });
    const byDefault = await timing({ neural: false });
    expect(atCap.backtestSample).toBeUndefined();
    expect(atCap.trust?.sample).toBeUndefined();
    expect(atCap.notes.some((n) => n.includes('seeded sample'))).toBe(false);
    expect(comparable(atCap)).toEqual(comparable(byDefault));
  }, 120_000);

  it('grades exactly the cap of seeded customers beyond it, the same ones every time, and still predicts everyone', async () => {
    const everyone = await timing({ neural: false });
    const settings = { neural: false, backtest_max_customers: 1000 };
    const sampled = await timing(settings);
    expect(sampled.backtestSample).toEqual({ customers: 1000, of: buyers });
    expect(sampled.trust?.sample).toEqual({ customers: 1000, of: buyers });
    expect(sampled.notes.some((n) => n.includes(`seeded sample of 1000 of the ${buyers} customers`))).toBe(true);
    // Each window grades the sample's customers who had bought by its cutoff.
    const sample = backtestSample(await purchaseLedgerOf(engine.connection), 1000, context(settings).config.seed);
    expect(sample?.ledger.customerIds).toHaveLength(1000);
    expect(sampled.backtests.length).toBe(everyone.backtests.length);
    for (const w of sampled.backtests) {
      const cohort = rfmSummary(sample?.ledger ?? [], { calibrationEndDay: dateToDay(new Date(`${w.cutoff}T00:00:00Z`)), timeUnit: 'day' });
      expect(w.customers).toBe(cohort.customerIds.length);
      expect(w.customers).toBeLessThanOrEqual(1000);
    }
    // The as-of fits use every customer: the same parameters; every customer is still predicted.
    const s = comparable(sampled) as { params: unknown; gammaGamma: unknown; predictions: unknown[] };
    const e = comparable(everyone) as typeof s;
    expect(s.params).toEqual(e.params);
    expect(s.gammaGamma).toEqual(e.gammaGamma);
    expect(s.predictions.filter((p) => p !== null)).toHaveLength(e.predictions.filter((p) => p !== null).length);
    expect(comparable(await timing(settings))).toEqual(comparable(sampled));
  }, 120_000);

  it('trains and grades the neural model on the sample’s feature tables', async () => {
    const sampled = await timing({ neural_epochs: 2, backtest_max_customers: 1000 });
    const test = sampled.backtests.find((w) => w.role === 'test');
    expect(test?.customers).toBeLessThanOrEqual(1000);
    expect(test?.evaluation.models.map((m) => m.model)).toContain('neural');
    expect(await engine.connection.run(`SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'features_%' AND table_name <> 'features'`).then((r) => r.getRowsJson())).toEqual([['0']]);
  }, 240_000);
});
