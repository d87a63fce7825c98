import { formatNumber } from './format.js';
import { centroidDistance, type GroupGeometry } from './feature-space.js';
import type { Lang, Suggestion, Trait } from './types.js';

export interface SuggestionThresholds {
  /** Merge when centroids are closer than this (RMS difference per standardised dimension)… */
  readonly mergeDistance: number;
  /** …or when their distinguishing traits overlap this much (Jaccard) and centroids are within `overlapDistance`. */
  readonly mergeOverlap: number;
  readonly overlapDistance: number;
  /**
   * Split when the two halves of a bisection of the persona are at least this share of the median
   * distance between personas apart (they look like two personas)…
   */
  readonly splitSeparation: number;
  /** …or when bootstrap stability is below this. */
  readonly splitStability: number;
}

export const DEFAULT_SUGGESTION_THRESHOLDS: SuggestionThresholds = {
  mergeDistance: 0.2,
  mergeOverlap: 0.6,
  overlapDistance: 0.35,
  splitSeparation: 0.8,
  splitStability: 0.6,
};

interface SuggestionPersona {
  readonly id: string;
  readonly traits: readonly Trait[];
  readonly topTraits: readonly number[];
  readonly stability: number | null;
}

function signature(p: SuggestionPersona): Set<string> {
  return new Set(p.topTraits.map((i) => {
    const t = p.traits[i] as Trait;
    return `${t.feature}|${t.level ?? ''}|${t.direction}`;
  }));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

const both = (make: (lang: Lang) => string): { en: string; fr: string } => ({ en: make('en'), fr: make('fr') });

/**
 * Merge suggestions for personas too alike (close centroids or shared distinguishing traits) and split
 * suggestions for personas too heterogeneous (spread close to the whole population's, or unstable).
 */
export function suggestChanges(
  personas: readonly SuggestionPersona[],
  geometry: GroupGeometry,
  bisection: readonly number[],
  thresholds: SuggestionThresholds = DEFAULT_SUGGESTION_THRESHOLDS,
): Suggestion[] {
  const out: Suggestion[] = [];
  const signatures = personas.map(signature);
  const distances: number[] = [];
  for (let a = 0; a < personas.length; a++) {
    for (let b = a + 1; b < personas.length; b++) {
      const distance = centroidDistance(geometry.centroids[a] as Float64Array, geometry.centroids[b] as Float64Array);
      distances.push(distance);
      const overlap = jaccard(signatures[a] as Set<string>, signatures[b] as Set<string>);
      const close = distance < thresholds.mergeDistance;
      const alike = overlap >= thresholds.mergeOverlap && distance < thresholds.overlapDistance;
      if (!close && !alike) continue;
      const ids = [personas[a]?.id as string, personas[b]?.id as string];
      out.push({
        kind: 'merge',
        personas: ids,
        reason: both((l) =>
          l === 'fr'
            ? `${ids[0]} et ${ids[1]} se ressemblent : distance entre centres ${formatNumber(distance, l, 2)} écart-type par variable, recouvrement des traits distinctifs ${formatNumber(overlap * 100, l, 0)} %`
            : `${ids[0]} and ${ids[1]} are alike: centroid distance ${formatNumber(distance, l, 2)} SD per feature, distinguishing-trait overlap ${formatNumber(overlap * 100, l, 0)}%`,
        ),
        measures: { centroidDistance: distance, traitOverlap: overlap },
      });
    }
  }
  distances.sort((x, y) => x - y);
  // With a single persona there is no spacing to compare with: one standardised unit stands in for it.
  const typical = distances.length > 0 ? (distances[Math.floor((distances.length - 1) / 2)] as number) : 0.75;
  personas.forEach((p, g) => {
    const dispersion = geometry.dispersion[g] as number;
    const separation = bisection[g] ?? 0;
    const heterogeneous = separation >= thresholds.splitSeparation * typical;
    const unstable = p.stability !== null && p.stability < thresholds.splitStability;
    if (!heterogeneous && !unstable) return;
    const measures: Record<string, number> = { dispersion, bisectionDistance: separation, medianPersonaDistance: typical };
    if (p.stability !== null) measures['stability'] = p.stability;
    out.push({
      kind: 'split',
      personas: [p.id],
      reason: both((l) => {
        const parts = [
          l === 'fr'
            ? `ses deux moitiés sont à ${formatNumber(separation, l, 2)} écart-type par variable l’une de l’autre (écart médian entre personas ${formatNumber(typical, l, 2)}), dispersion interne ${formatNumber(dispersion * 100, l, 0)} % de celle de l’ensemble`
            : `its two halves lie ${formatNumber(separation, l, 2)} SD per feature apart (median gap between personas ${formatNumber(typical, l, 2)}), within-persona spread ${formatNumber(dispersion * 100, l, 0)}% of the whole base's`,
        ];
        if (p.stability !== null) parts.push(l === 'fr' ? `stabilité ${formatNumber(p.stability, l, 2)}` : `stability ${formatNumber(p.stability, l, 2)}`);
        return `${p.id}${l === 'fr' ? '\u00a0:' : ':'} ${parts.join(', ')}`;
      }),
      measures,
    });
  });
  return out;
}
