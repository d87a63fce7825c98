import { bootstrapMeanInterval, clusterBootstrapRatio } from './bootstrap-mean.js';
import { clusteredWilson } from './clustered-rate.js';
import { MOMENT_CROSS, MOMENT_SQUARES, type KpiDimension } from './kpi-aggregates-sql.js';
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
  /** Delivered sends whose attribution window ended by the as-of date: conversion's and revenue's denominator. */
  readonly matured: number;
  readonly opened: number;
  readonly clicked: number;
  readonly converted: number;
  readonly orders: number;
  readonly revenue: number;
  readonly unsubscribed: number;
  /**
   * The non-zero credited revenue of matured delivered sends: what a send-level bootstrap resamples when the
   * counts come without `earners` and `zeroRevenue` (kpiAggregatesSql always gives those).
   */
  readonly revenues?: readonly number[];
  /**
   * Over customers, Σx², Σx·m, Σm² of each rate's successes and trials, in the order of `MOMENT_SQUARES` then `MOMENT_CROSS` (from
   * kpiAggregatesSql); with them the rates' intervals count each customer's sends as one cluster.
   */
  readonly moments?: readonly number[];
  /** Customers with credited revenue as [revenue, delivered], and the others as [delivered, customers]. */
  readonly earners?: readonly (readonly [number, number])[];
  readonly zeroRevenue?: readonly (readonly [number, number])[];
}

type CountName = (typeof MOMENT_SQUARES)[number];

export interface Rate {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** One row of kpis.parquet: the counts, each rate with its 95% interval, and whether it can be read. */
export interface KpiRow extends Omit<KpiCounts, 'revenues' | 'moments' | 'earners' | 'zeroRevenue'> {
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

function rate(c: KpiCounts, successes: CountName, trials: CountName): Rate {
  const x = c[successes];
  const m = c[trials];
  const moments = c.moments;
  const at = MOMENT_CROSS.findIndex(([a, b]) => a === successes && b === trials);
  const ci =
    moments && at >= 0
      ? clusteredWilson({
          customers: c.recipients,
          successes: x,
          trials: m,
          successesSquared: moments[MOMENT_SQUARES.indexOf(successes)] as number,
          cross: moments[MOMENT_SQUARES.length + at] as number,
          trialsSquared: moments[MOMENT_SQUARES.indexOf(trials)] as number,
        })
      : wilsonInterval(x, m);
  return ci ? { value: x / m, low: ci.low, high: ci.high } : NONE;
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
    const { revenues, moments: _m, earners: _e, zeroRevenue: _z, ...rest } = c;
    const email = c.channel === 'email';
    const key = `${c.dimension}/${c.group}/${c.channel}`;
    return {
      ...rest,
      deliverability: rate(c, 'delivered', 'sends'),
      openRate: email ? rate(c, 'opened', 'delivered') : NONE,
      clickRate: rate(c, 'clicked', 'delivered'),
      clickToOpen: email ? rate(c, 'clicked', 'opened') : NONE,
      conversionRate: rate(c, 'converted', 'matured'),
      revenuePerRecipient:
        c.matured > 0
          ? withInterval(
              c.revenue / c.matured,
              c.earners && c.zeroRevenue
                ? clusterBootstrapRatio(c.earners, c.zeroRevenue, options.bootstrapSamples, options.seed, key)
                : bootstrapMeanInterval(revenues ?? [], c.matured, options.bootstrapSamples, options.seed, key),
            )
          : NONE,
      unsubscribeRate: rate(c, 'unsubscribed', 'delivered'),
      tooSmall: c.delivered < options.minDelivered,
    };
  });
}
