/**
 * Labels for purchase-timing models from the window that follows a cutoff date.
 *
 * Conventions (shared by the pure function and the SQL builder, and tested against each other):
 * - the cutoff day itself belongs to the past (features at the cutoff see its orders, see core/time.ts);
 * - day 1 is the day after the cutoff, and the window covers days 1..windowDays;
 * - `daysToNext` is the day of the first purchase in the window; customers without one are censored at
 *   `windowDays` (`event` = 0);
 * - `purchases` counts distinct purchase days in the window, the BTYD convention of one transaction per
 *   customer-day, so it compares with BG/NBD's expected number of transactions.
 */
import { inputError, show } from '../core/errors.js';
import { MS_PER_DAY, addDays, toIsoDate } from '../core/time.js';
import { quoteIdent, quoteLiteral } from '../io/duckdb.js';

export interface TimingLabels {
  /** Days from the cutoff to the first purchase in the window (1..windowDays), or windowDays if censored. */
  readonly daysToNext: Float64Array;
  /** 1 when the customer bought within the window, 0 when censored. */
  readonly event: Uint8Array;
  /** Distinct purchase days in the window (holdout transactions). */
  readonly purchases: Float64Array;
  readonly windowDays: number;
}

export interface LabelOptions {
  /** The cutoff date (UTC day); orders on that day are in the past. */
  readonly cutoff: Date;
  readonly windowDays: number;
  /** The last day covered by the data; the window must end on or before it, else labels would be biased. */
  readonly dataEnd?: Date;
}

function checkWindow(options: LabelOptions): void {
  const { windowDays, cutoff, dataEnd } = options;
  if (!Number.isInteger(windowDays) || windowDays < 1) {
    inputError('bad_label_window', `label window ${show(windowDays)} days is not a positive whole number`, 'use e.g. 90 or 180');
  }
  if (Number.isNaN(cutoff.getTime())) inputError('bad_label_cutoff', 'label cutoff is not a valid date', 'pass a YYYY-MM-DD date');
  if (dataEnd && addDays(cutoff, windowDays).getTime() > dataEnd.getTime()) {
    inputError(
      'label_window_past_data',
      `the label window ${toIsoDate(cutoff)} + ${windowDays} days ends after the data (last day ${toIsoDate(dataEnd)})`,
      'choose an earlier cutoff or a shorter window so that the whole window is observed',
    );
  }
}

/**
 * Labels from per-customer purchase times (any order; each array is one customer's orders as Dates or
 * epoch milliseconds). Returns arrays aligned with `purchaseTimes`.
 */
export function timingLabels(
  purchaseTimes: ReadonlyArray<ReadonlyArray<Date | number>>,
  options: LabelOptions,
): TimingLabels {
  checkWindow(options);
  const { windowDays } = options;
  const cutoffDay = Math.floor(options.cutoff.getTime() / MS_PER_DAY);
  const n = purchaseTimes.length;
  const daysToNext = new Float64Array(n).fill(windowDays);
  const event = new Uint8Array(n);
  const purchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    for (const time of purchaseTimes[i] ?? []) {
      const ms = typeof time === 'number' ? time : time.getTime();
      if (!Number.isFinite(ms)) inputError('bad_purchase_time', `customer row ${i}: purchase time ${show(time)} is not a date`);
      const day = Math.floor(ms / MS_PER_DAY) - cutoffDay;
      if (day < 1 || day > windowDays) continue;
      seen.add(day);
      if (event[i] === 0 || day < (daysToNext[i] as number)) daysToNext[i] = day;
      event[i] = 1;
    }
    purchases[i] = seen.size;
  }
  return { daysToNext, event, purchases, windowDays };
}

/**
 * The same labels as `timingLabels`, from purchase days packed as a ledger (see PurchaseLedger in
 * rfm-summary.ts: customer k's distinct UTC days are days[offsets[k]] … days[offsets[k+1] − 1]), for the
 * customers at `members` (ledger positions, −1 for a customer without purchases), without an array per customer.
 */
export function ledgerLabels(
  ledger: { readonly offsets: Int32Array; readonly days: Int32Array },
  members: ArrayLike<number>,
  options: LabelOptions,
): TimingLabels {
  checkWindow(options);
  const { windowDays } = options;
  const cutoffDay = Math.floor(options.cutoff.getTime() / MS_PER_DAY);
  const { offsets, days } = ledger;
  const n = members.length;
  const daysToNext = new Float64Array(n).fill(windowDays);
  const event = new Uint8Array(n);
  const purchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = members[i] as number;
    if (k < 0) continue;
    let count = 0;
    for (let m = offsets[k] as number, end = offsets[k + 1] as number; m < end; m++) {
      const day = (days[m] as number) - cutoffDay;
      if (day < 1 || day > windowDays) continue;
      // A ledger's days are distinct and sorted: the first one in the window is the earliest.
      if (count === 0) daysToNext[i] = day;
      count++;
    }
    event[i] = count > 0 ? 1 : 0;
    purchases[i] = count;
  }
  return { daysToNext, event, purchases, windowDays };
}

export interface LabelSqlOptions {
  readonly cutoff: Date;
  readonly windowDays: number;
  /** Table or view of orders (already validated, completed orders only). */
  readonly ordersTable?: string;
  readonly customerColumn?: string;
  readonly timeColumn?: string;
  /**
   * SQL query or table listing the customers to label (one column named like `customerColumn`). Default:
   * every customer with an order on or before the cutoff day.
   */
  readonly customersQuery?: string;
}

/**
 * DuckDB SQL giving one row per customer: customer id, days_to_next, event, purchases — the same
 * labels as `timingLabels` (ordered by customer id).
 */
export function timingLabelsSql(options: LabelSqlOptions): string {
  checkWindow(options);
  const orders = quoteIdent(options.ordersTable ?? 'orders');
  const customer = quoteIdent(options.customerColumn ?? 'customer_id');
  const time = quoteIdent(options.timeColumn ?? 'ordered_at');
  const cutoff = `DATE ${quoteLiteral(toIsoDate(options.cutoff))}`;
  const window = options.windowDays;
  const universe =
    options.customersQuery ??
    `SELECT DISTINCT ${customer} FROM ${orders} WHERE CAST(${time} AS DATE) <= ${cutoff}`;
  return `WITH universe AS (${universe}),
window_days AS (
  SELECT DISTINCT ${customer}, date_diff('day', ${cutoff}, CAST(${time} AS DATE)) AS day
  FROM ${orders}
  WHERE CAST(${time} AS DATE) > ${cutoff} AND CAST(${time} AS DATE) <= ${cutoff} + INTERVAL ${window} DAY
),
per_customer AS (
  SELECT ${customer}, min(day) AS first_day, count(*) AS purchases FROM window_days GROUP BY ${customer}
)
SELECT u.${customer} AS ${customer},
  CAST(coalesce(p.first_day, ${window}) AS DOUBLE) AS days_to_next,
  CAST(CASE WHEN p.first_day IS NULL THEN 0 ELSE 1 END AS UTINYINT) AS event,
  CAST(coalesce(p.purchases, 0) AS DOUBLE) AS purchases
FROM universe u LEFT JOIN per_customer p ON u.${customer} = p.${customer}
ORDER BY u.${customer}`;
}
