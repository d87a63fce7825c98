import { inputError, show } from '../core/errors.js';
import { LIFECYCLE_SEGMENTS } from './lifecycle.js';

/** A customer's segment in one run. */
export interface SegmentMembership {
  readonly customerId: string;
  readonly segment: string;
}

export interface TransitionCell {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

/** How customers moved between segments from the previous run to this one. */
export interface SegmentTransitions {
  /** Row and column order of `counts`: lifecycle segments first in their canonical order, then others A→Z. */
  readonly segments: readonly string[];
  /** counts[i][j] = customers in segments[i] at the previous run and segments[j] now (present in both). */
  readonly counts: readonly (readonly number[])[];
  /** The non-zero cells of `counts`, for charts. */
  readonly cells: readonly TransitionCell[];
  /** Customers present in both runs, and how many of them changed segment. */
  readonly matched: number;
  readonly changed: number;
  /** Per current segment: customers absent from the previous run. */
  readonly entrants: Readonly<Record<string, number>>;
  /** Per previous segment: customers absent from this run (erased, consent withdrawn, …). */
  readonly leavers: Readonly<Record<string, number>>;
}

/** Counts previous × current segment transitions, new entrants and leavers. */
export function countTransitions(
  previous: readonly SegmentMembership[],
  current: readonly SegmentMembership[],
): SegmentTransitions {
  const before = indexById(previous, 'previous run');
  const now = indexById(current, 'current run');
  const segments = orderSegments(new Set([...before.values(), ...now.values()]));
  const position = new Map(segments.map((s, i) => [s, i]));
  const counts = segments.map(() => segments.map(() => 0));
  const entrants: Record<string, number> = {};
  const leavers: Record<string, number> = {};
  let matched = 0;
  let changed = 0;
  for (const [id, to] of now) {
    const from = before.get(id);
    if (from === undefined) {
      entrants[to] = (entrants[to] ?? 0) + 1;
      continue;
    }
    const row = counts[position.get(from) as number] as number[];
    const j = position.get(to) as number;
    row[j] = (row[j] as number) + 1;
    matched += 1;
    if (from !== to) changed += 1;
  }
  for (const [id, from] of before) {
    if (!now.has(id)) leavers[from] = (leavers[from] ?? 0) + 1;
  }
  const cells = segments.flatMap((from, i) =>
    segments.flatMap((to, j) => {
      const count = counts[i]?.[j] ?? 0;
      return count > 0 ? [{ from, to, count }] : [];
    }),
  );
  return { segments, counts, cells, matched, changed, entrants, leavers };
}

function indexById(rows: readonly SegmentMembership[], label: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    if (map.has(row.customerId)) {
      inputError(
        'transition_duplicate',
        `${label} segments, row ${i + 1}: customer ${show(row.customerId)} appears twice`,
        'each customer has one lifecycle segment per run',
      );
    }
    map.set(row.customerId, row.segment);
  }
  return map;
}

function orderSegments(present: Set<string>): string[] {
  const known: readonly string[] = LIFECYCLE_SEGMENTS;
  const first = known.filter((s) => present.has(s));
  const others = [...present].filter((s) => !known.includes(s)).sort();
  return [...first, ...others];
}
