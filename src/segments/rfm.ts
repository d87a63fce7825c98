import { parseSettings, rfmSettingsSchema, type RfmSettingsInput } from '../config/segments-schema.js';
import { inputError, show } from '../core/errors.js';

/**
 * RFM scores and named groups.
 *
 * Scores. Each of recency (days since the last purchase, reversed: more recent scores higher), frequency
 * (completed purchases) and monetary (total completed spend) is scored 1..L (L = 3 or 5) by quantile over the
 * customers with at least one purchase: with p = (number of smaller values + half the number of equal
 * values) / n, the mid-rank percentile, the score is 1 + ⌊L·p⌋. Ties therefore always share a score and
 * the result does not depend on row order (NTILE or pandas qcut on ranks split tied customers arbitrarily),
 * and the scale is symmetric: reversing the order maps score s to L + 1 − s for distinct values.
 * Frequency is heavily tied in practice (most customers buy once), so its low scores may be empty.
 * Customers with no purchase get no scores and the group `no_purchase`.
 *
 * Groups. R is crossed with FM = ⌈(F + M) / 2⌉ (the average, halves rounded up) on the 5 × 5 grid below.
 * Group names and score ranges follow Putler's eleven RFM segments (putler.com/rfm-analysis: Champions,
 * Loyal Customers, Potential Loyalist, Recent Customers, Promising, Customers Needing Attention, About To
 * Sleep, At Risk, Can't Lose Them, Hibernating, Lost). Those ranges overlap, so each cell is resolved
 * the way the widely copied R-vs-F "seg_map" grid of RFM notebooks does (11–22 Hibernating, 13–24 At Risk,
 * 15–25 Can't Lose, 31–32 About to Sleep, 33 Need Attention, 34–45 Loyal, 41 Promising, 51 New, 42–53
 * Potential Loyalists, 54–55 Champions), with Lost split out of Hibernating for R = 1 and "New" named Recent.
 *
 * | R \ FM | 1              | 2                   | 3                   | 4         | 5          |
 * |--------|----------------|---------------------|---------------------|-----------|------------|
 * | 5      | recent         | potential_loyalists | potential_loyalists | champions | champions  |
 * | 4      | promising      | potential_loyalists | potential_loyalists | loyal     | loyal      |
 * | 3      | about_to_sleep | about_to_sleep      | needs_attention     | loyal     | loyal      |
 * | 2      | hibernating    | hibernating         | at_risk             | at_risk   | cant_lose  |
 * | 1      | lost           | lost                | at_risk             | at_risk   | cant_lose  |
 *
 * With 3 levels, scores 1, 2, 3 are placed on the 5-level grid at 1, 3, 5 (so 3-3 is champions, 2-2 needs
 * attention, 1-1 lost, 1-3 can't lose; promising and hibernating do not occur).
 */

export const RFM_GROUPS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'recent',
  'promising',
  'needs_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
  'no_purchase',
] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

export const RFM_GROUP_LABELS: Readonly<Record<RfmGroup, { en: string; fr: string }>> = {
  champions: { en: 'Champions', fr: 'Champions' },
  loyal: { en: 'Loyal', fr: 'Fidèles' },
  potential_loyalists: { en: 'Potential loyalists', fr: 'Fidèles potentiels' },
  recent: { en: 'Recent', fr: 'Récents' },
  promising: { en: 'Promising', fr: 'Prometteurs' },
  needs_attention: { en: 'Needs attention', fr: 'À surveiller' },
  about_to_sleep: { en: 'About to sleep', fr: 'En sommeil proche' },
  at_risk: { en: 'At risk', fr: 'À risque' },
  cant_lose: { en: "Can't lose them", fr: 'À ne pas perdre' },
  hibernating: { en: 'Hibernating', fr: 'En hibernation' },
  lost: { en: 'Lost', fr: 'Perdus' },
  no_purchase: { en: 'No purchase yet', fr: 'Aucun achat' },
};

/** RFM_GRID_5[R − 1][FM − 1] is the group of a customer scored R and FM on five levels. */
export const RFM_GRID_5: readonly (readonly RfmGroup[])[] = [
  ['lost', 'lost', 'at_risk', 'at_risk', 'cant_lose'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose'],
  ['about_to_sleep', 'about_to_sleep', 'needs_attention', 'loyal', 'loyal'],
  ['promising', 'potential_loyalists', 'potential_loyalists', 'loyal', 'loyal'],
  ['recent', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions'],
];

export interface RfmInput {
  readonly customerId: string;
  /** Null (with frequency 0) for a customer who never purchased. */
  readonly daysSinceLastPurchase: number | null;
  /** Completed purchases. */
  readonly frequency: number;
  /** Total completed spend. */
  readonly monetary: number;
}

export interface RfmScore {
  readonly customerId: string;
  readonly recency: number | null;
  readonly frequency: number | null;
  readonly monetary: number | null;
  /** ⌈(F + M) / 2⌉, the grid's column. */
  readonly fm: number | null;
  /** The three scores as digits, e.g. "545"; null without a purchase. */
  readonly code: string | null;
  readonly group: RfmGroup;
}

/**
 * Quantile scores 1..levels of `values` by mid-rank percentile (see the module comment). Pure; values
 * must be finite.
 */
export function quantileScores(values: readonly number[], levels: number): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const scores = new Array<number>(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start] as number];
    while (end < n && values[order[end] as number] === v) end += 1;
    const percentile = (start + (end - start) / 2) / n;
    const score = Math.min(levels, 1 + Math.floor(levels * percentile + 1e-12));
    for (let k = start; k < end; k += 1) scores[order[k] as number] = score;
    start = end;
  }
  return scores;
}

/** The named group of R and FM scores on `levels` levels. */
export function rfmGroup(recency: number, fm: number, levels: 3 | 5): RfmGroup {
  const row = RFM_GRID_5[toFiveLevels(recency, levels) - 1];
  const group = row?.[toFiveLevels(fm, levels) - 1];
  if (!group) throw new Error(`RFM scores out of range: R=${recency}, FM=${fm}, levels=${levels}`);
  return group;
}

function toFiveLevels(score: number, levels: 3 | 5): number {
  return levels === 5 ? score : 2 * score - 1;
}

/** Scores every customer and names their group; `settings` is the `segments.rfm` config section. */
export function scoreRfm(customers: readonly RfmInput[], settings: RfmSettingsInput = {}): RfmScore[] {
  const table = rfmTable(customers.length, (i) => customers[i] as RfmInput, settings);
  return customers.map((c, i) => rfmScoreAt(table, i, c.customerId));
}

/** {@link scoreRfm}'s scores as typed columns, one byte each per customer (0: no purchase, no score). */
export interface RfmTable {
  readonly levels: 3 | 5;
  readonly recency: Uint8Array;
  readonly frequency: Uint8Array;
  readonly monetary: Uint8Array;
}

/** {@link scoreRfm} over `count` customers given one at a time by `inputAt` (which may build each on demand). */
export function rfmTable(count: number, inputAt: (i: number) => RfmInput, settings: RfmSettingsInput = {}): RfmTable {
  const { levels } = parseSettings(rfmSettingsSchema, settings, 'segments.rfm');
  validate(count, inputAt);
  const rows: number[] = [];
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const c = inputAt(i);
    if (!isBuyer(c)) continue;
    rows.push(i);
    recency.push(-(c.daysSinceLastPurchase as number));
    frequency.push(c.frequency);
    monetary.push(c.monetary);
  }
  const table: RfmTable = {
    levels,
    recency: new Uint8Array(count),
    frequency: new Uint8Array(count),
    monetary: new Uint8Array(count),
  };
  const put = (column: Uint8Array, scores: number[]) => rows.forEach((row, k) => (column[row] = scores[k] as number));
  put(table.recency, quantileScores(recency, levels));
  put(table.frequency, quantileScores(frequency, levels));
  put(table.monetary, quantileScores(monetary, levels));
  return table;
}

/** The RFM score of the customer at `i` of an {@link RfmTable}, as {@link scoreRfm} gives it. */
export function rfmScoreAt(table: RfmTable, i: number, customerId: string): RfmScore {
  const rs = table.recency[i] as number;
  if (rs === 0) {
    return { customerId, recency: null, frequency: null, monetary: null, fm: null, code: null, group: 'no_purchase' };
  }
  const fs = table.frequency[i] as number;
  const ms = table.monetary[i] as number;
  const fm = Math.ceil((fs + ms) / 2);
  return {
    customerId,
    recency: rs,
    frequency: fs,
    monetary: ms,
    fm,
    code: `${rs}${fs}${ms}`,
    group: rfmGroup(rs, fm, table.levels),
  };
}

function isBuyer(c: RfmInput): boolean {
  return c.frequency > 0 && c.daysSinceLastPurchase !== null;
}

function validate(count: number, inputAt: (i: number) => RfmInput): void {
  const seen = new Set<string>();
  // The message is built only on failure: this loop runs once per customer.
  const fail = (i: number, c: RfmInput, problem: string, hint?: string): never =>
    inputError('rfm_input', `RFM input row ${i + 1} (customer ${show(c.customerId)}): ${problem}`, hint);
  for (let i = 0; i < count; i += 1) {
    const c = inputAt(i);
    if (seen.has(c.customerId)) fail(i, c, 'customer appears twice', 'pass one record per customer');
    seen.add(c.customerId);
    if (!Number.isInteger(c.frequency) || c.frequency < 0) {
      fail(i, c, `frequency is ${show(c.frequency)}, expected a count ≥ 0`);
    }
    if (!Number.isFinite(c.monetary)) fail(i, c, `monetary is ${show(c.monetary)}, expected a number`);
    const d = c.daysSinceLastPurchase;
    if (d !== null && !(Number.isFinite(d) && d >= 0)) {
      fail(i, c, `daysSinceLastPurchase is ${show(d)}, expected a number ≥ 0 or null`);
    }
    if ((d === null) !== (c.frequency === 0)) {
      fail(
        i,
        c,
        `daysSinceLastPurchase is ${show(d)} but frequency is ${c.frequency}`,
        'a customer without purchases has frequency 0 and daysSinceLastPurchase null, and vice versa',
      );
    }
  }
}
