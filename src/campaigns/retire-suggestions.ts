import type { KpiRow } from './kpi-rows.js';

/** How many members a group reached with any send in the lookback window. */
export interface GroupReach {
  readonly dimension: string;
  readonly group: string;
  readonly label: string | null;
  readonly members: number;
  readonly reached: number;
}

export interface RetireSuggestion {
  readonly kind: 'never_converts' | 'unreachable';
  readonly dimension: string;
  readonly group: string;
  readonly label: string | null;
  /** The numbers behind it: delivered sends and the conversion interval's upper end, or members and reached. */
  readonly evidence: Readonly<Record<string, number>>;
}

/** Below this share of members sent anything, a group cannot be reached. */
export const UNREACHABLE_SHARE = 0.1;
/** Groups smaller than this are not judged unreachable (too few to matter). */
const MIN_MEMBERS = 50;

/**
 * Segments to retire: a persona, lifecycle or rule segment whose delivered emails (enough to read) were never
 * followed by a credited order; or one whose members were almost never sent anything (under 10%).
 */
export function retireSuggestions(rows: readonly KpiRow[], reach: readonly GroupReach[]): RetireSuggestion[] {
  const out: RetireSuggestion[] = [];
  for (const r of rows) {
    if (r.dimension === 'all' || r.dimension === 'campaign' || r.channel !== 'email') continue;
    if (r.tooSmall || r.converted > 0) continue;
    out.push({
      kind: 'never_converts',
      dimension: r.dimension,
      group: r.group,
      label: r.label,
      evidence: { delivered: r.delivered, conversion_high: r.conversionRate.high ?? 0 },
    });
  }
  for (const g of reach) {
    if (g.members < MIN_MEMBERS || g.reached >= UNREACHABLE_SHARE * g.members) continue;
    out.push({
      kind: 'unreachable',
      dimension: g.dimension,
      group: g.group,
      label: g.label,
      evidence: { members: g.members, reached: g.reached },
    });
  }
  return out;
}
