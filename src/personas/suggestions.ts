import { formatNumber } from './format.js';
import { centroidDistance, type GroupGeometry } from './feature-space.js';
import type { Action, Lang, Suggestion, Trait } from './types.js';

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
  /** The playbook's actions for the persona, when built. */
  readonly actions?: readonly Action[];
}

/** What a marketer would do with a persona: its actions, dates included (empty when no rule fired). */
function campaign(p: SuggestionPersona): string {
  return (p.actions ?? []).map((a) => a.title.en).join('\n');
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
      const ids = [personas[a]?.id as string, personas[b]?.id as string];
      const sameCampaign = campaign(personas[a] as SuggestionPersona);
      if (!close && !alike && sameCampaign !== '' && sameCampaign === campaign(personas[b] as SuggestionPersona)) {
        const count = personas[a]?.actions?.length ?? 0;
        out.push({
          kind: 'merge',
          personas: ids,
          reason: both((l) =>
            l === 'fr'
              ? `le guide d’actions leur recommande exactement les mêmes actions, aux mêmes dates : pour le marketing, c’est une seule audience. Au prochain réentraînement, les réunir, ou ajouter les données qui les distinguent (catégories, canaux, déclarations).`
              : `the playbook recommends them exactly the same actions, on the same dates: for marketing they are one audience. At the next retrain, make them one persona, or add the data that tells them apart (categories, channels, declared answers).`,
          ),
          measures: { centroidDistance: distance, traitOverlap: overlap, sameActions: count },
        });
        continue;
      }
      if (!close && !alike) continue;
      out.push({
        kind: 'merge',
        personas: ids,
        // The report prints the ids and names before the reason: the reason does not repeat them.
        reason: both((l) =>
          l === 'fr'
            ? `leurs clients se ressemblent trop pour deux campagnes différentes — leurs profils moyens ne sont qu’à ${formatNumber(distance, l, 2)} écart-type par variable l’un de l’autre, et ils partagent ${formatNumber(overlap * 100, l, 0)} % de leurs traits distinctifs. Au prochain réentraînement, les réunir en un seul persona.`
            : `their customers are too alike for two different campaigns — their average profiles are only ${formatNumber(distance, l, 2)} standard deviations per feature apart, and ${formatNumber(overlap * 100, l, 0)}% of their distinguishing traits are the same. At the next retrain, make them one persona.`,
        ),
        measures: { centroidDistance: distance, traitOverlap: overlap },
      });
    }
  }
  distances.sort((x, y) => x - y);
  // With a single persona there is no spacing to compare with: one standardised unit stands in for it.
  const typical = distances.length > 0 ? (distances[Math.floor((distances.length - 1) / 2)] as number) : 0.75;
  const heterogeneousSplits: { id: string; separation: number; measures: Record<string, number> }[] = [];
  personas.forEach((p, g) => {
    const dispersion = geometry.dispersion[g] as number;
    const separation = bisection[g] ?? 0;
    const heterogeneous = separation >= thresholds.splitSeparation * typical;
    const unstable = p.stability !== null && p.stability < thresholds.splitStability;
    if (!heterogeneous && !unstable) return;
    const measures: Record<string, number> = { dispersion, bisectionDistance: separation, medianPersonaDistance: typical };
    if (p.stability !== null) measures['stability'] = p.stability;
    if (heterogeneous) {
      heterogeneousSplits.push({ id: p.id, separation, measures });
      return;
    }
    out.push({
      kind: 'split',
      personas: [p.id],
      // The report prints the id and name before the reason: the reason does not repeat them.
      reason: both((l) =>
        l === 'fr'
          ? `il n’est retrouvé que dans ${formatNumber((p.stability ?? 0) * 100, l, 0)} % des rééchantillonnages : ses contours sont flous. Au prochain réentraînement, essayer un persona de plus pour le scinder en deux.`
          : `it is found again in only ${formatNumber((p.stability ?? 0) * 100, l, 0)}% of resamples: its outline is blurred. At the next retrain, try one more persona to split it in two.`,
      ),
      measures,
    });
  });
  // Several personas that each hold two groups are one suggestion (more personas), not the same sentence again and again.
  if (heterogeneousSplits.length === 1) {
    const [only] = heterogeneousSplits as [(typeof heterogeneousSplits)[number]];
    out.push({
      kind: 'split',
      personas: [only.id],
      reason: both((l) =>
        l === 'fr'
          ? `ses clients forment deux groupes presque aussi éloignés que deux personas (distance ${formatNumber(only.separation, l, 2)} entre eux, ${formatNumber(typical, l, 2)} entre deux personas en général, en écarts-types par variable). Au prochain réentraînement, essayer un persona de plus pour le scinder en deux.`
          : `its customers form two groups almost as far apart as two personas (distance ${formatNumber(only.separation, l, 2)} between them, ${formatNumber(typical, l, 2)} between two personas usually, in standard deviations per feature). At the next retrain, try one more persona to split it in two.`,
      ),
      measures: only.measures,
    });
  } else if (heterogeneousSplits.length > 1) {
    const lo = Math.min(...heterogeneousSplits.map((h) => h.separation));
    const hi = Math.max(...heterogeneousSplits.map((h) => h.separation));
    const more = heterogeneousSplits.length;
    out.push({
      kind: 'split',
      personas: heterogeneousSplits.map((h) => h.id),
      reason: both((l) =>
        l === 'fr'
          ? `les clients de chacun forment deux groupes presque aussi éloignés que deux personas (distance de ${formatNumber(lo, l, 2)} à ${formatNumber(hi, l, 2)} entre eux, ${formatNumber(typical, l, 2)} entre deux personas en général, en écarts-types par variable). Au prochain réentraînement, essayer jusqu’à ${more} personas de plus.`
          : `each one's customers form two groups almost as far apart as two personas (distance ${formatNumber(lo, l, 2)} to ${formatNumber(hi, l, 2)} between them, ${formatNumber(typical, l, 2)} between two personas usually, in standard deviations per feature). At the next retrain, try up to ${more} more personas.`,
      ),
      measures: { bisectionDistanceMin: lo, bisectionDistanceMax: hi, medianPersonaDistance: typical, personas: more },
    });
  }
  return out;
}
