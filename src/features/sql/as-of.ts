import { quoteLiteral } from '../../io/duckdb.js';
import { endOfDay, toIsoDate } from '../../core/time.js';

/** SQL literals for one as-of date: every source row is filtered by `<= end` before anything else. */
export interface AsOfSql {
  /** DATE literal of the as-of day. */
  readonly day: string;
  /** TIMESTAMP literal of the last millisecond of the as-of day. */
  readonly end: string;
}

export function asOfSql(asOf: Date): AsOfSql {
  const end = endOfDay(asOf).toISOString().replace('T', ' ').replace('Z', '');
  return { day: `DATE ${quoteLiteral(toIsoDate(asOf))}`, end: `TIMESTAMP ${quoteLiteral(end)}` };
}

/** Calendar days from `dateExpr` (a DATE) to the as-of day: 0 for something that happened on the as-of day. */
export function daysBefore(at: AsOfSql, dateExpr: string): string {
  return `(${at.day} - ${dateExpr})`;
}

/** True when `dateExpr` (a DATE) falls in the last `days` calendar days, the as-of day included. */
export function withinLastDays(at: AsOfSql, dateExpr: string, days: number): string {
  return `${dateExpr} > ${at.day} - ${Math.trunc(days)}`;
}
