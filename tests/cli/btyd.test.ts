import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import { registerBtyd, type BtydReport } from '../../src/cli/commands/btyd.js';
import { CDNOW_FILE } from '../timing/cdnow.js';
import { writeDataDir } from '../helpers/data-dir.js';

/** Parses argv through a program holding the btyd command, as main() does, capturing stdout. */
async function btyd(args: string[]): Promise<string> {
  const program = new Command('personae').exitOverride();
  registerBtyd(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['btyd', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const CDNOW_ARGS = ['--transactions', CDNOW_FILE, '--customer-col', 'customer_id', '--date-col', 'date', '--calibration-end', '1997-09-30', '--time-unit', 'week'];

afterEach(() => vi.restoreAllMocks());

describe('personae btyd on the whole Online Retail file', () => {
  it('skips and counts the invoice lines without a customer id instead of refusing the file', async () => {
    const out = await btyd([
      '--transactions',
      'tests/fixtures/online-retail/online_retail.parquet',
      '--customer-col',
      'CustomerID',
      '--date-col',
      'InvoiceDate',
      '--calibration-end',
      '2011-09-30',
      '--time-unit',
      'day',
      '--json',
    ]);
    const report = JSON.parse(out) as BtydReport;
    // tests/fixtures/online-retail/PROVENANCE.md: 541,909 lines, 135,080 without CustomerID, 4,372 customers.
    expect(report.transactions).toMatchObject({ rows: 541909, rowsWithoutCustomer: 135080, firstRowWithoutCustomer: 623, customers: 4372 });
    expect(Object.keys(report.models).length + Object.keys(report.errors).length).toBe(3);
    expect(Object.keys(report.models).length).toBeGreaterThan(0);
  });
});

describe('personae btyd when no model fits', () => {
  it('exits 5 naming every model’s reason and a remedy that exists (--penalty)', async () => {
    const dir = writeDataDir({ 'log.csv': ['customer,date', 'a,2024-01-01', 'b,2024-02-01', 'c,2024-03-01', 'd,2024-04-01'] });
    const error = (await btyd(['--transactions', `${dir}/log.csv`, '--customer-col', 'customer', '--date-col', 'date', '--calibration-end', '2024-06-30', '--time-unit', 'day']).catch(
      (e: unknown) => e,
    )) as PersonaeError;
    expect(error).toBeInstanceOf(PersonaeError);
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(/no purchase model could be fitted on 4 customers \(BG\/NBD: .*; MBG\/NBD: .*; Pareto\/NBD: .*\)/);
    expect(error.hint).toMatch(/--penalty 0\.001/);
  });
});

describe('personae btyd on the CDNOW sample', () => {
  it('prints fitted parameters, log-likelihoods and the holdout comparison as JSON', async () => {
    const out = await btyd([...CDNOW_ARGS, '--amount-col', 'dollars', '--holdout-end', '1998-06-30', '--json']);
    const report = JSON.parse(out) as BtydReport;
    expect(report.transactions).toMatchObject({ rows: 6919, customers: 2357 });
    expect(report.summary).toMatchObject({ customers: 2357, repeatTransactions: 2457, oneTimeBuyers: 1411, calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    const bg = report.models.bgnbd!;
    expect(bg.params.r).toBeCloseTo(0.2426, 3);
    expect(bg.params.alpha).toBeCloseTo(4.4137, 2);
    expect(bg.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(bg.standardErrors.r).toBeGreaterThan(0);
    expect(report.models.pareto_nbd!.logLikelihood).toBeCloseTo(-9594.98, 1);
    expect(report.models.pareto_nbd!.params.s).toBeCloseTo(0.606, 2);
    expect(report.models.gamma_gamma!.params.p).toBeCloseTo(6.25, 1);
    expect(report.summary.nonPositiveSpendCustomers).toBe(0);
    const holdout = report.holdout!;
    expect(holdout.actualHoldoutTransactions).toBe(1882);
    expect(holdout.buckets.map((b) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(Object.keys(holdout.buckets[0]!.predicted)).toEqual(['bgnbd', 'mbgnbd', 'pareto_nbd']);
    // MBG/NBD as BTYDplus publishes it (tests/timing/mbgnbd.test.ts checks it against an independent fit).
    expect(report.models.mbgnbd!.params.r).toBeCloseTo(0.525, 3);
    expect(report.models.mbgnbd!.logLikelihood).toBeCloseTo(-9582.14, 1);
    expect(report.transactions).toMatchObject({ rowsWithoutCustomer: 0, firstRowWithoutCustomer: null });
    expect(holdout.tracking.at(-1)?.actual).toBe(4339);
    expect(holdout.predictedHoldoutTransactions.bgnbd).toBeGreaterThan(1600);
  });

  it('prints human tables on a terminal, without Gamma-Gamma when there is no amount column', async () => {
    const out = await btyd([...CDNOW_ARGS, '--holdout-end', '1998-06-30']);
    expect(out).toMatch(/BG\/NBD {2}log-likelihood -9582\.43/);
    expect(out).toMatch(/Pareto\/NBD {2}log-likelihood -9594\.98/);
    expect(out).toMatch(/MBG\/NBD {2}log-likelihood -9582\.14/);
    expect(out).not.toMatch(/Gamma-Gamma/);
    expect(out).toMatch(/actual 1882 transactions/);
    expect(out).toMatch(/^7\+ +64 +6\.359/m);
    expect(out).toMatch(/^78\* +1998-06-30 +4339/m);
  });

  it('works in days too, without a holdout', async () => {
    const out = await btyd([...CDNOW_ARGS.slice(0, -1), 'day', '--json']);
    const report = JSON.parse(out) as BtydReport;
    expect(report.holdout).toBeNull();
    // α is in days now: 7 × the weekly estimate; the shapes do not change.
    expect(report.models.bgnbd!.params.alpha / 7).toBeCloseTo(4.4137, 1);
    expect(report.models.bgnbd!.params.a).toBeCloseTo(0.793, 2);
  });

  it('fails with a clear input error on a wrong column, naming the file and the columns', async () => {
    const args = [...CDNOW_ARGS];
    args[3] = 'CustomerID';
    const error = await btyd(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonaeError);
    expect((error as PersonaeError).exitCode).toBe(2);
    expect((error as PersonaeError).message).toMatch(/column "CustomerID" \(--customer-col\) not found in .*cdnow_sample\.csv; available columns: master_id, customer_id, date, cds, dollars/);
  });

  it('rejects bad dates and flags', async () => {
    const args = [...CDNOW_ARGS];
    args[7] = '30/09/1997';
    expect(((await btyd(args).catch((e: unknown) => e)) as PersonaeError).message).toMatch(/--calibration-end must be a calendar date/);
    expect(((await btyd([...CDNOW_ARGS, '--holdout-end', '1997-01-01']).catch((e: unknown) => e)) as PersonaeError).message).toMatch(/must be after the calibration end/);
    expect(((await btyd([...CDNOW_ARGS, '--penalty', 'lots']).catch((e: unknown) => e)) as PersonaeError).message).toMatch(/--penalty/);
  });
});
