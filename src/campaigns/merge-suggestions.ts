import type { KpiRow } from './kpi-rows.js';

export interface MergeSuggestion {
  readonly kind: 'merge';
  readonly personas: readonly [string, string];
  readonly labels: readonly [string | null, string | null];
  /** Email click and conversion rates of both, the z statistics of their differences, the centre distance. */
  readonly evidence: Readonly<Record<string, number>>;
}

/** Two-proportion z statistic (pooled), 0 when both are empty. */
function zTest(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se > 0 ? (x1 / n1 - x2 / n2) / se : 0;
}

/** |z| below this: the difference is not significant at 5% (two-sided). */
const Z_SAME = 1.959963984540054;

/**
 * Personas to merge: two personas that lie close — each is the other's nearest persona centre in the
 * clustering space — and respond alike to email — neither their click rates nor their conversion rates
 * differ significantly (two-proportion z-test at 5%), both readable. `centres` maps persona id to its centre.
 */
export function mergeSuggestions(
  rows: readonly KpiRow[],
  centres: ReadonlyMap<string, readonly number[]>,
): MergeSuggestion[] {
  const email = rows.filter((r) => r.dimension === 'persona' && r.channel === 'email' && !r.tooSmall && centres.has(r.group));
  const distance = (a: string, b: string): number => {
    const x = centres.get(a) as readonly number[];
    const y = centres.get(b) as readonly number[];
    return Math.sqrt(x.reduce((s, v, i) => s + (v - (y[i] as number)) ** 2, 0));
  };
  const ids = [...centres.keys()];
  const nearest = (id: string): string | undefined =>
    ids.filter((o) => o !== id).sort((a, b) => distance(id, a) - distance(id, b) || a.localeCompare(b))[0];
  const out: MergeSuggestion[] = [];
  for (const [i, a] of email.entries()) {
    for (const b of email.slice(i + 1)) {
      if (nearest(a.group) !== b.group || nearest(b.group) !== a.group) continue;
      const zClick = zTest(a.clicked, a.delivered, b.clicked, b.delivered);
      const zConversion = zTest(a.converted, a.delivered, b.converted, b.delivered);
      if (Math.abs(zClick) >= Z_SAME || Math.abs(zConversion) >= Z_SAME) continue;
      out.push({
        kind: 'merge',
        personas: [a.group, b.group],
        labels: [a.label, b.label],
        evidence: {
          click_rate_a: a.clickRate.value ?? 0,
          click_rate_b: b.clickRate.value ?? 0,
          conversion_rate_a: a.conversionRate.value ?? 0,
          conversion_rate_b: b.conversionRate.value ?? 0,
          z_click: zClick,
          z_conversion: zConversion,
          centre_distance: distance(a.group, b.group),
        },
      });
    }
  }
  return out;
}
