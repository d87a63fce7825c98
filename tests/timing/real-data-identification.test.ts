import { beforeAll, describe, expect, it } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { BetaGeoModel } from '../../src/timing/bgnbd.js';
import { ModifiedBetaGeoModel } from '../../src/timing/mbgnbd.js';
import { ParetoNbdModel } from '../../src/timing/pareto-nbd.js';
import { rfmSummary, type TransactionRow } from '../../src/timing/rfm-summary.js';

// The whole Online Retail file (tests/fixtures/online-retail), orders as pipelines/conf/online-retail.yaml
// makes them: one order per customer and invoice minute, purchases with a positive amount.
let rows: TransactionRow[] = [];
beforeAll(async () => {
  rows = await withConnection((c) =>
    queryRows<TransactionRow>(
      c,
      `SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS "customerId",
              CAST(floor(epoch(min(InvoiceDate)) / 86400) AS INTEGER) AS day, sum(UnitPrice * Quantity) AS amount
       FROM 'tests/fixtures/online-retail/online_retail.parquet' WHERE CustomerID IS NOT NULL
       GROUP BY 1, strftime(InvoiceDate, '%Y-%m-%d %H:%M') HAVING sum(UnitPrice * Quantity) > 0`,
    ),
  );
}, 120_000);

const DAY = (iso: string): number => Math.floor(Date.parse(iso) / 86_400_000);

function cohort(calibrationEnd: string) {
  const s = rfmSummary(rows, { calibrationEndDay: DAY(calibrationEnd), timeUnit: 'day' });
  const keep = Array.from(s.age, (T, i) => (T > 0 ? i : -1)).filter((i) => i >= 0);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i] as number);
  return { frequency: pick(s.frequency), recency: pick(s.recency), age: pick(s.age) };
}

function fitError(fit: () => unknown): PersonaeError {
  try {
    fit();
  } catch (error) {
    if (error instanceof PersonaeError) return error;
    throw error;
  }
  throw new Error('the fit succeeded');
}

describe('a model that cannot be identified on real data', () => {
  it('BG/NBD, MBG/NBD and Pareto/NBD on Online Retail to 2011-09-10 (the backtest of 2011-12-09): drop-out not identified', () => {
    const data = cohort('2011-09-10');
    expect(data.frequency.length).toBe(3370);
    for (const model of [new BetaGeoModel(), new ModifiedBetaGeoModel(), new ParetoNbdModel()]) {
      const error = fitError(() => model.fit(data, { seed: 42 }));
      // A convergence-kind error: the run stage skips the model with this message (exit code 5 only for btyd).
      expect(error.kind).toBe('convergence');
      expect(error.code).toBe('btyd.not_identified');
      expect(error.message).toMatch(/the likelihood is flat in .* the estimate is not identified/);
    }
  });

  it('BG/NBD on the whole year to 2011-12-09 is identified, with almost no drop-out (a ≪ b)', () => {
    const model = new BetaGeoModel().fit(cohort('2011-12-09'), { seed: 42 });
    expect(model.params.r).toBeGreaterThan(0.5);
    expect(model.params.a / (model.params.a + model.params.b)).toBeLessThan(0.01);
  });
});
