import { centroidDistance, groupGeometry } from './feature-space.js';
import type { PersonaInput, PersonaSettings, SmallPersona } from './types.js';

export interface PersonaGroups {
  /** Group index per customer; −1 when the customer's persona was suppressed. */
  readonly groupOf: Int32Array;
  readonly groups: readonly { readonly id: string; readonly clusters: readonly number[]; readonly absorbed: readonly string[] }[];
  readonly small: readonly SmallPersona[];
}

/**
 * Personas below the minimum size would describe too few people to be safe or useful: each is merged into
 * the persona with the nearest centroid (standardised feature space) or suppressed, per the settings.
 */
export function resolveSmallPersonas(input: PersonaInput, settings: PersonaSettings): PersonaGroups {
  const k = input.clusters.length;
  const sizes = new Array<number>(k).fill(0);
  for (const label of input.labels) sizes[label] = (sizes[label] as number) + 1;
  const large = sizes.map((s, c) => (s >= settings.minSize ? c : -1)).filter((c) => c >= 0);
  const target = new Array<number>(k).fill(-1);
  for (const c of large) target[c] = c;
  const small: SmallPersona[] = [];
  const smallClusters = sizes.map((s, c) => (s < settings.minSize && s > 0 ? c : -1)).filter((c) => c >= 0);
  if (smallClusters.length > 0 && settings.smallPersonas === 'merge' && large.length > 0) {
    const geometry = groupGeometry(input.features, input.columns, input.labels, k);
    for (const c of smallClusters) {
      let best = -1;
      let bestDistance = Infinity;
      for (const l of large) {
        const d = centroidDistance(geometry.centroids[c] as Float64Array, geometry.centroids[l] as Float64Array);
        if (d < bestDistance) {
          bestDistance = d;
          best = l;
        }
      }
      target[c] = best;
    }
  }
  for (const c of smallClusters) {
    const into = target[c] as number;
    small.push({
      id: input.clusters[c]?.personaId as string,
      size: sizes[c] as number,
      action: into >= 0 ? 'merged' : 'suppressed',
      into: into >= 0 ? (input.clusters[into]?.personaId as string) : null,
    });
  }
  const groupIndex = new Map<number, number>();
  large.forEach((c, g) => groupIndex.set(c, g));
  const groups = large.map((c) => ({
    id: input.clusters[c]?.personaId as string,
    clusters: [c, ...smallClusters.filter((s) => target[s] === c)],
    absorbed: smallClusters.filter((s) => target[s] === c).map((s) => input.clusters[s]?.personaId as string),
  }));
  const groupOf = new Int32Array(input.labels.length);
  input.labels.forEach((label, i) => {
    const t = target[label] as number;
    groupOf[i] = t >= 0 ? (groupIndex.get(t) as number) : -1;
  });
  return { groupOf, groups, small };
}
