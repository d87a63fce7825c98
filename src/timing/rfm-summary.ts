import { inputError } from '../core/errors.js';
import { MS_PER_DAY, toIsoDate } from '../core/time.js';

/**
 * The RFM summary the BTYD models are fitted on, built from a bare transaction log.
 *
 * Recipe (Fader, Hardie & Lee; the CDNOW papers and `lifetimes`): all rows of one customer on one UTC
 * calendar day form ONE transaction (amounts summed); the first transaction starts the customer's clock
 * and is not counted; x = number of repeat transactions up to the calibration end (inclusive);
 * t_x = time of the last repeat transaction since the first (0 when x = 0); T = calibration end − first
 * transaction. Customers whose first transaction falls after the calibration end are not in the cohort.
 * Times are in `timeUnit` (day = 1, week = 7 days), fractional weeks allowed.
 */
export type TimeUnit = 'day' | 'week';
export const UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7 };

/** One transaction-log row: the day is a whole UTC day number (days since 1970-01-01). */
export interface TransactionRow {
  readonly customerId: string;
  readonly day: number;
  readonly amount: number;
}

export interface RfmOptions {
  /** Last day of the calibration period (inclusive), UTC day number. */
  readonly calibrationEndDay: number;
  /** Last day of the holdout period (inclusive); no holdout when undefined. */
  readonly holdoutEndDay?: number;
  readonly timeUnit: TimeUnit;
}

export interface RfmSummary {
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd: string;
  readonly holdoutEnd: string | null;
  /** Holdout length in time units (0 without holdout). */
  readonly holdoutLength: number;
  readonly customerIds: readonly string[];
  /** UTC day number of each customer's first transaction. */
  readonly firstDay: Int32Array;
  /** x: repeat transactions in the calibration period. */
  readonly frequency: Float64Array;
  /** t_x: time from first to last calibration transaction. */
  readonly recency: Float64Array;
  /** T: time from first transaction to the calibration end. */
  readonly age: Float64Array;
  /** Mean value of the repeat transactions (first excluded); NaN when x = 0. */
  readonly monetary: Float64Array;
  /** Repeat transactions in the holdout period (0 without holdout). */
  readonly holdoutFrequency: Float64Array;
  /** Repeat transactions of the cohort per calendar day, from the first cohort day to the last period day. */
  readonly dailyRepeats: { readonly startDay: number; readonly counts: Int32Array };
  /** Customers first seen after the calibration end (not in the cohort), and same-day rows merged. */
  readonly excludedLateCustomers: number;
  readonly mergedRows: number;
}

/**
 * Each customer's purchase days, sorted, with the day's amounts summed (in the rows' order), packed in
 * typed arrays: customer k's days are days[offsets[k]] … days[offsets[k+1] − 1]. Customers in order of
 * first appearance in the rows.
 */
export interface PurchaseLedger {
  readonly customerIds: readonly string[];
  readonly offsets: Int32Array;
  readonly days: Int32Array;
  readonly amounts: Float64Array;
  /** Rows of the log (before same-day rows were merged). */
  readonly rows: number;
}

/** A run builds about a dozen summaries from the same rows (each backtest, baseline and the as-of date). */
const ledgers = new WeakMap<readonly TransactionRow[], PurchaseLedger>();

/** The ledger of a transaction log, built once per rows array (which must not change afterwards). */
export function purchaseLedger(rows: readonly TransactionRow[]): PurchaseLedger {
  const known = ledgers.get(rows);
  if (known && known.rows === rows.length) return known;
  const byCustomer = mergeSameDay(rows);
  const customerIds: string[] = [];
  const offsets = new Int32Array(byCustomer.size + 1);
  let total = 0;
  for (const dayMap of byCustomer.values()) total += dayMap.size;
  const days = new Int32Array(total);
  const amounts = new Float64Array(total);
  let at = 0;
  for (const [id, dayMap] of byCustomer) {
    customerIds.push(id);
    for (const day of [...dayMap.keys()].sort((a, b) => a - b)) {
      days[at] = day;
      amounts[at] = dayMap.get(day) as number;
      at++;
    }
    offsets[customerIds.length] = at;
  }
  const ledger = { customerIds, offsets, days, amounts, rows: rows.length };
  ledgers.set(rows, ledger);
  return ledger;
}

/**
 * Builds a ledger row by row from a log grouped by customer and sorted by day within each customer (as
 * purchaseRows's query orders it): the same ledger as purchaseLedger of those rows, same-day amounts summed in
 * the order given, without a JavaScript object per row (at 1M customers the 4.5M row objects and the maps of
 * purchaseLedger were about a quarter of the timing stage's time, in garbage collection).
 */
export class SortedLedgerBuilder {
  readonly #customerIds: string[] = [];
  #offsets = new Int32Array(1024);
  #days = new Int32Array(1024);
  #amounts = new Float64Array(1024);
  #size = 0;
  #rows = 0;
  #last: string | undefined;

  add(customerId: string, day: number, amount: number): void {
    checkRow(customerId, day, amount, this.#rows);
    this.#rows++;
    const at = this.#size;
    if (customerId === this.#last) {
      const previous = this.#days[at - 1] as number;
      if (day === previous) {
        this.#amounts[at - 1] = (this.#amounts[at - 1] as number) + amount;
        return;
      }
      if (day < previous)
        throw new Error(`transaction ${this.#rows} (customer ${customerId}): day ${day} comes after day ${previous}; the log must be sorted by day within each customer`);
    } else {
      if (this.#customerIds.length + 1 >= this.#offsets.length) this.#offsets = grown(this.#offsets, new Int32Array(this.#offsets.length * 2));
      this.#offsets[this.#customerIds.length] = at;
      this.#customerIds.push(customerId);
      this.#last = customerId;
    }
    if (at === this.#days.length) {
      this.#days = grown(this.#days, new Int32Array(at * 2));
      this.#amounts = grown(this.#amounts, new Float64Array(at * 2));
    }
    this.#days[at] = day;
    // 0 + amount, as purchaseLedger sums: the same value (and -0 turned into 0).
    this.#amounts[at] = 0 + amount;
    this.#size = at + 1;
  }

  finish(): PurchaseLedger {
    const n = this.#customerIds.length;
    const offsets = this.#offsets.slice(0, n + 1);
    offsets[n] = this.#size;
    return {
      customerIds: this.#customerIds,
      offsets,
      days: this.#days.slice(0, this.#size),
      amounts: this.#amounts.slice(0, this.#size),
      rows: this.#rows,
    };
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** A transaction log: its rows (in any order), or their ledger. */
export type PurchaseLog = readonly TransactionRow[] | PurchaseLedger;

function ledgerOf(log: PurchaseLog): PurchaseLedger {
  return Array.isArray(log) ? purchaseLedger(log as readonly TransactionRow[]) : (log as PurchaseLedger);
}

/** Builds the calibration (and holdout) summary. Rows need not be sorted. */
export function rfmSummary(log: PurchaseLog, options: RfmOptions): RfmSummary {
  const { calibrationEndDay, holdoutEndDay, timeUnit } = options;
  if (!Number.isInteger(calibrationEndDay)) inputError('rfm.calibration_end', `calibration end must be a whole day, got ${calibrationEndDay}`);
  if (holdoutEndDay !== undefined && !(holdoutEndDay > calibrationEndDay)) {
    inputError('rfm.holdout_end', `holdout end ${toIsoDate(dayToDate(holdoutEndDay))} must be after the calibration end ${toIsoDate(dayToDate(calibrationEndDay))}`, 'pass a later --holdout-end or none');
  }
  const unitDays = UNIT_DAYS[timeUnit];
  const lastDay = holdoutEndDay ?? calibrationEndDay;
  const ledger = ledgerOf(log);
  const { offsets, days, amounts } = ledger;

  const ids: string[] = [];
  const members: number[] = [];
  let excludedLateCustomers = 0;
  const mergedRows = ledger.rows - days.length;
  ledger.customerIds.forEach((id, k) => {
    if ((days[offsets[k] as number] as number) > calibrationEndDay) {
      excludedLateCustomers++;
      return;
    }
    ids.push(id);
    members.push(k);
  });

  const n = ids.length;
  const firstDay = new Int32Array(n);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const age = new Float64Array(n);
  const monetary = new Float64Array(n);
  const holdoutFrequency = new Float64Array(n);
  let startDay = Infinity;
  for (const k of members) startDay = Math.min(startDay, days[offsets[k] as number] as number);
  if (n === 0) startDay = calibrationEndDay;
  const counts = new Int32Array(Math.max(0, lastDay - startDay + 1));

  for (let i = 0; i < n; i++) {
    const k = members[i] as number;
    const from = offsets[k] as number;
    const to = offsets[k + 1] as number;
    const first = days[from] as number;
    firstDay[i] = first;
    let x = 0;
    let last = first;
    let spend = 0;
    let holdout = 0;
    for (let m = from + 1; m < to; m++) {
      const day = days[m] as number;
      if (day <= calibrationEndDay) {
        x++;
        last = day;
        spend += amounts[m] as number;
      } else if (day <= lastDay) {
        holdout++;
      }
      if (day <= lastDay) counts[day - startDay] = (counts[day - startDay] as number) + 1;
    }
    frequency[i] = x;
    recency[i] = (last - first) / unitDays;
    age[i] = (calibrationEndDay - first) / unitDays;
    monetary[i] = x > 0 ? spend / x : NaN;
    holdoutFrequency[i] = holdout;
  }
  return {
    timeUnit,
    calibrationEnd: toIsoDate(dayToDate(calibrationEndDay)),
    holdoutEnd: holdoutEndDay === undefined ? null : toIsoDate(dayToDate(holdoutEndDay)),
    holdoutLength: holdoutEndDay === undefined ? 0 : (holdoutEndDay - calibrationEndDay) / unitDays,
    customerIds: ids,
    firstDay,
    frequency,
    recency,
    age,
    monetary,
    holdoutFrequency,
    dailyRepeats: { startDay, counts },
    excludedLateCustomers,
    mergedRows,
  };
}

/**
 * The customers who carry information for fitting: T > 0. A customer whose first purchase falls on the
 * calibration end day has T = 0 (the fitters reject such rows); predictions for them are still possible.
 */
export function withPositiveAge(summary: RfmSummary): RfmSummary {
  const keep: number[] = [];
  summary.age.forEach((t, i) => {
    if (t > 0) keep.push(i);
  });
  if (keep.length === summary.age.length) return summary;
  const pick = (values: Float64Array): Float64Array => Float64Array.from(keep, (i) => values[i] as number);
  return {
    ...summary,
    customerIds: keep.map((i) => summary.customerIds[i] as string),
    firstDay: Int32Array.from(keep, (i) => summary.firstDay[i] as number),
    frequency: pick(summary.frequency),
    recency: pick(summary.recency),
    age: pick(summary.age),
    monetary: pick(summary.monetary),
    holdoutFrequency: pick(summary.holdoutFrequency),
  };
}

function mergeSameDay(rows: readonly TransactionRow[]): Map<string, Map<number, number>> {
  const byCustomer = new Map<string, Map<number, number>>();
  rows.forEach((row, index) => {
    checkRow(row.customerId, row.day, row.amount, index);
    let days = byCustomer.get(row.customerId);
    if (!days) {
      days = new Map();
      byCustomer.set(row.customerId, days);
    }
    days.set(row.day, (days.get(row.day) ?? 0) + row.amount);
  });
  return byCustomer;
}

function checkRow(customerId: string, day: number, amount: number, index: number): void {
  if (!Number.isInteger(day)) inputError('rfm.day', `transaction ${index + 1} (customer ${customerId}) has no valid date`);
  if (!Number.isFinite(amount)) inputError('rfm.amount', `transaction ${index + 1} (customer ${customerId}) has a non-numeric amount`);
}

export function dayToDate(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

export function dateToDay(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}
