import { bootstrapMeanInterval } from './bootstrap-mean.js';
import type { KpiDimension } from './kpi-aggregates-sql.js';
import { wilsonInterval, type Interval } from './wilson-interval.js';

/** Counts of one cell (dimension × group × channel), as `kpiAggregatesSql` returns them. */
export interface KpiCounts {
  readonly dimension: KpiDimension;
  readonly group: string;
  readonly label: string | null;
  readonly channel: 'email' | 'sms';
  readonly recipients: number;
  readonly sends: number;
  readonly delivered: number;
  readonly opened: number;
  readonly clicked: number;
  readonly converted: number;
  readonly orders: number;
  readonly revenue: number;
  readonly unsubscribed: number;
  readonly revenues: readonly number[];
}

export interface Rate {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** One row of kpis.parquet: the counts, each rate with its 95% interval, and whether it can be read. */
export interface KpiRow extends Omit<KpiCounts, 'revenues'> {
  readonly deliverability: Rate;
  /** Email only: SMS has no open signal. */
  readonly openRate: Rate;
  readonly clickRate: Rate;
  /** Email only: clicked / opened. */
  readonly clickToOpen: Rate;
  readonly conversionRate: Rate;
  readonly revenuePerRecipient: Rate;
  readonly unsubscribeRate: Rate;
  readonly tooSmall: boolean;
}

const NONE: Rate = { value: null, low: null, high: null };

function rate(successes: number, trials: number): Rate {
  const ci = wilsonInterval(successes, trials);
  return ci ? { value: successes / trials, low: ci.low, high: ci.high } : NONE;
}

function withInterval(value: number, ci: Interval | null): Rate {
  return ci ? { value, low: ci.low, high: ci.high } : NONE;
}

/**
 * Rates per delivered send (deliverability per send), Wilson intervals for rates, a seeded percentile
 * bootstrap for revenue per recipient; a cell with fewer than `minDelivered` delivered sends is too small.
 */
export function kpiRows(
  counts: readonly KpiCounts[],
  options: { minDelivered: number; bootstrapSamples: number; seed: number },
): KpiRow[] {
  return counts.map((c) => {
    const { revenues, ...rest } = c;
    const email = c.channel === 'email';
    const key = `${c.dimension}/${c.group}/${c.channel}`;
    return {
      ...rest,
      deliverability: rate(c.delivered, c.sends),
      openRate: email ? rate(c.opened, c.delivered) : NONE,
      clickRate: rate(c.clicked, c.delivered),
      clickToOpen: email ? rate(c.clicked, c.opened) : NONE,
      conversionRate: rate(c.converted, c.delivered),
      revenuePerRecipient:
        c.delivered > 0
          ? withInterval(
              c.revenue / c.delivered,
              bootstrapMeanInterval(revenues, c.delivered, options.bootstrapSamples, options.seed, key),
            )
          : NONE,
      unsubscribeRate: rate(c.unsubscribed, c.delivered),
      tooSmall: c.delivered < options.minDelivered,
    };
  });
}
