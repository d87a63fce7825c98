import { Option, type Command } from 'commander';
import { PersonaeError, inputError, isPersonaeError, show } from '../../core/errors.js';
import { parseIsoDate } from '../../core/time.js';
import { readTransactionLog } from '../../io/transactions.js';
import type { FitResult, PurchaseCountModel } from '../../timing/base-fitter.js';
import { BetaGeoModel } from '../../timing/bgnbd.js';
import { GammaGammaModel } from '../../timing/gamma-gamma.js';
import { holdoutReport, type HoldoutReport } from '../../timing/holdout-report.js';
import { ModifiedBetaGeoModel } from '../../timing/mbgnbd.js';
import { ParetoNbdModel } from '../../timing/pareto-nbd.js';
import { dateToDay, rfmSummary, withPositiveAge, type TimeUnit } from '../../timing/rfm-summary.js';

interface BtydFlags {
  transactions: string;
  customerCol: string;
  dateCol: string;
  amountCol?: string;
  dateFormat?: string;
  calibrationEnd: string;
  holdoutEnd?: string;
  timeUnit: TimeUnit;
  penalty: string;
  seed: string;
  json?: boolean;
}

/** A fitted model as reported: its fit result and how long the fit took. */
type ModelReport = Omit<FitResult, 'evaluations'> & { readonly seconds: number };

export interface BtydReport {
  readonly transactions: {
    readonly file: string;
    readonly rows: number;
    /** Rows without a customer id, skipped (and the first of them, a 1-based data row). */
    readonly rowsWithoutCustomer: number;
    readonly firstRowWithoutCustomer: number | null;
    readonly customerDays: number;
    readonly customers: number;
  };
  readonly summary: {
    readonly timeUnit: TimeUnit;
    readonly calibrationEnd: string;
    readonly holdoutEnd: string | null;
    readonly customers: number;
    readonly repeatTransactions: number;
    readonly oneTimeBuyers: number;
    readonly customersFirstSeenAfterCalibration: number;
    /** Repeat buyers left out of the Gamma-Gamma fit because their mean repeat spend is ≤ 0 (null without amounts). */
    readonly nonPositiveSpendCustomers: number | null;
  };
  /** Fitted models (absent when a fit failed; see `errors`). */
  readonly models: Record<string, ModelReport>;
  readonly errors: Record<string, string>;
  readonly holdout: HoldoutReport | null;
}

export function registerBtyd(program: Command): void {
  program
    .command('btyd')
    .description('fit BG/NBD, MBG/NBD, Pareto/NBD (and Gamma-Gamma spend) on a bare transaction log and check them on a holdout')
    .requiredOption('--transactions <file>', 'transaction log, CSV or Parquet (one row per order or order line)')
    .requiredOption('--customer-col <name>', 'column holding the customer id')
    .requiredOption('--date-col <name>', 'column holding the order date or timestamp')
    .option('--amount-col <name>', 'column holding the order value (enables the Gamma-Gamma spend model)')
    .option('--date-format <strptime>', 'date format when not ISO or YYYYMMDD, e.g. "%d/%m/%Y %H:%M"')
    .requiredOption('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD (inclusive)')
    .option('--holdout-end <date>', 'last day of the holdout period, YYYY-MM-DD (inclusive)')
    .addOption(new Option('--time-unit <unit>', 'time unit of the model parameters').choices(['day', 'week']).makeOptionMandatory())
    .option('--penalty <coef>', 'L2 penalty on the parameters (lifetimes penalizer_coef)', '0')
    .option('--seed <n>', 'seed for the optimiser restarts', '0')
    .option('--json', 'print one JSON document instead of tables')
    .action(async (flags: BtydFlags) => {
      const report = await runBtyd(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : renderBtyd(report));
    });
}

export async function runBtyd(flags: BtydFlags): Promise<BtydReport> {
  const calibrationEnd = parseDay(flags.calibrationEnd, '--calibration-end');
  const holdoutEnd = flags.holdoutEnd === undefined ? undefined : parseDay(flags.holdoutEnd, '--holdout-end');
  const penalty = Number(flags.penalty);
  if (!(penalty >= 0)) inputError('btyd.penalty', `--penalty must be a number ≥ 0, got ${show(flags.penalty)}`);
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed)) inputError('btyd.seed', `--seed must be a whole number, got ${show(flags.seed)}`);

  const log = await readTransactionLog(flags.transactions, {
    customerCol: flags.customerCol,
    dateCol: flags.dateCol,
    ...(flags.amountCol ? { amountCol: flags.amountCol } : {}),
    ...(flags.dateFormat ? { dateFormat: flags.dateFormat } : {}),
  });
  const full = rfmSummary(log.rows, { calibrationEndDay: calibrationEnd, ...(holdoutEnd !== undefined ? { holdoutEndDay: holdoutEnd } : {}), timeUnit: flags.timeUnit });
  const summary = withPositiveAge(full);
  if (summary.customerIds.length === 0) {
    inputError('btyd.empty', `${flags.transactions}: no customer made a first purchase before ${full.calibrationEnd}`, 'pick a later --calibration-end');
  }

  const models: Record<string, ModelReport> = {};
  const errors: Record<string, string> = {};
  const fitted: PurchaseCountModel[] = [];
  const attempt = <M extends { fitResult: FitResult | null }>(name: string, fit: () => M): M | undefined => {
    const started = performance.now();
    try {
      const model = fit();
      const { evaluations: _evaluations, ...result } = model.fitResult as FitResult;
      models[name] = { ...result, seconds: (performance.now() - started) / 1000 };
      return model;
    } catch (error) {
      // One model failing (e.g. not converging) must not hide the others' results.
      if (!isPersonaeError(error) || error.kind !== 'convergence') throw error;
      errors[name] = error.message;
      return undefined;
    }
  };
  const bg = attempt('bgnbd', () => new BetaGeoModel({ penalty }).fit(summary, { seed }));
  if (bg) fitted.push(bg);
  const mbg = attempt('mbgnbd', () => new ModifiedBetaGeoModel({ penalty }).fit(summary, { seed }));
  if (mbg) fitted.push(mbg);
  const pareto = attempt('pareto_nbd', () => new ParetoNbdModel({ penalty }).fit(summary, { seed }));
  if (pareto) fitted.push(pareto);
  if (fitted.length === 0) {
    throw new PersonaeError(
      'convergence',
      'btyd.no_model',
      `${flags.transactions}: no purchase model could be fitted on ${summary.customerIds.length} customers (${Object.entries(errors)
        .map(([name, message]) => `${LABELS[name] ?? name}: ${message}`)
        .join('; ')})`,
      penalty > 0
        ? 'the data carry too little repeat-purchase information: use a longer calibration period (a later --calibration-end) or a larger --penalty'
        : 'the data carry too little repeat-purchase information: add an L2 penalty (e.g. --penalty 0.001) or use a longer calibration period (a later --calibration-end)',
    );
  }
  const spend = log.hasAmount ? attempt('gamma_gamma', () => new GammaGammaModel({ penalty }).fit(summary, { seed })) : undefined;

  let repeat = 0;
  let oneTime = 0;
  for (const x of summary.frequency) {
    repeat += x;
    if (x === 0) oneTime++;
  }
  return {
    transactions: {
      file: flags.transactions,
      rows: log.rowsRead,
      rowsWithoutCustomer: log.rowsWithoutCustomer,
      firstRowWithoutCustomer: log.firstRowWithoutCustomer,
      customerDays: log.rows.length,
      customers: log.customers,
    },
    summary: {
      timeUnit: summary.timeUnit,
      calibrationEnd: summary.calibrationEnd,
      holdoutEnd: summary.holdoutEnd,
      customers: summary.customerIds.length,
      repeatTransactions: repeat,
      oneTimeBuyers: oneTime,
      customersFirstSeenAfterCalibration: full.excludedLateCustomers,
      nonPositiveSpendCustomers: spend ? spend.excludedNonPositive : null,
    },
    models,
    errors,
    holdout: holdoutEnd !== undefined && fitted.length > 0 ? holdoutReport(summary, fitted) : null,
  };
}

function parseDay(text: string, flag: string): number {
  const date = parseIsoDate(text);
  if (!date) inputError('btyd.date', `${flag} must be a calendar date YYYY-MM-DD, got ${show(text)}`);
  return dateToDay(date);
}

const LABELS: Record<string, string> = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', pareto_nbd: 'Pareto/NBD', gamma_gamma: 'Gamma-Gamma' };

/** Human tables for a terminal. */
export function renderBtyd(report: BtydReport): string {
  const out: string[] = [];
  const s = report.summary;
  const t = report.transactions;
  out.push(`${t.file}: ${t.rows} rows → ${t.customerDays} customer-days, ${t.customers} customers`);
  if (t.rowsWithoutCustomer > 0)
    out.push(`  ${t.rowsWithoutCustomer} rows without a customer id skipped (the first is data row ${t.firstRowWithoutCustomer})`);
  out.push(
    `calibration to ${s.calibrationEnd}${s.holdoutEnd ? `, holdout to ${s.holdoutEnd}` : ''} (${s.timeUnit}s): ${s.customers} customers, ${s.repeatTransactions} repeat transactions, ${s.oneTimeBuyers} without repeat` +
      (s.customersFirstSeenAfterCalibration > 0 ? `, ${s.customersFirstSeenAfterCalibration} first seen after calibration (not in the cohort)` : '') +
      (s.nonPositiveSpendCustomers ? `, ${s.nonPositiveSpendCustomers} repeat buyers with mean spend ≤ 0 (left out of Gamma-Gamma)` : ''),
    '',
  );
  for (const [name, m] of Object.entries(report.models)) {
    out.push(`${LABELS[name] ?? name}  log-likelihood ${m.logLikelihood.toFixed(2)}  (${m.customers} customers, ${m.uniqueRows} unique rows, ${m.iterations} iterations, ${m.seconds.toFixed(2)} s)`);
    for (const [param, value] of Object.entries(m.params)) {
      const se = m.standardErrors[param];
      out.push(`  ${param.padEnd(6)} ${fmt(value, 4).padStart(10)}   se ${se === undefined ? 'n/a' : fmt(se, 4)}`);
    }
    out.push('');
  }
  for (const [name, message] of Object.entries(report.errors)) out.push(`${LABELS[name] ?? name}: not fitted: ${message}`, '');
  const h = report.holdout;
  if (h) {
    const names = Object.keys(h.predictedHoldoutTransactions);
    out.push(`holdout (${fmt(h.holdoutLength, 2)} ${h.timeUnit}s): actual ${h.actualHoldoutTransactions} transactions; predicted ${names.map((n) => `${LABELS[n] ?? n} ${h.predictedHoldoutTransactions[n]?.toFixed(1)}`).join(', ')}`);
    out.push('', 'mean holdout transactions per customer by calibration frequency');
    out.push(['x', 'customers', 'actual', ...names.map((n) => LABELS[n] ?? n)].map((c, i) => (i === 0 ? c.padEnd(4) : c.padStart(11))).join(''));
    for (const b of h.buckets) {
      out.push([b.label.padEnd(4), String(b.customers).padStart(11), fmt(b.actual, 3).padStart(11), ...names.map((n) => fmt(b.predicted[n] ?? NaN, 3).padStart(11))].join(''));
    }
    out.push('', 'cumulative repeat transactions (weekly; * = holdout)');
    out.push(['week', 'date'.padStart(11), 'actual'.padStart(10), ...names.map((n) => (LABELS[n] ?? n).padStart(11))].join(''));
    for (const p of h.tracking) {
      out.push([`${p.week}${p.inHoldout ? '*' : ''}`.padEnd(4), p.date.padStart(11), String(p.actual).padStart(10), ...names.map((n) => fmt(p.predicted[n] ?? NaN, 1).padStart(11))].join(''));
    }
  }
  return `${out.join('\n')}\n`;
}

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
