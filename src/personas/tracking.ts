import type { PersonaDocument, PersonaTracking, Trait, TransitionMatrix } from './types.js';

function traitKey(t: Pick<Trait, 'feature' | 'level'>): string {
  return `${t.feature}\u0000${t.level ?? ''}`;
}

function flows(matrix: TransitionMatrix | undefined, id: string): Pick<PersonaTracking, 'retained' | 'inflow' | 'outflow'> {
  if (!matrix) return { retained: null, inflow: [], outflow: [] };
  const row = matrix.from.indexOf(id);
  const col = matrix.to.indexOf(id);
  const inflow: { from: string; count: number }[] = [];
  const outflow: { to: string; count: number }[] = [];
  if (col >= 0) {
    matrix.from.forEach((from, r) => {
      const count = matrix.counts[r]?.[col] ?? 0;
      if (r !== row && count > 0) inflow.push({ from, count });
    });
  }
  let retained: number | null = null;
  if (row >= 0) {
    const counts = matrix.counts[row] ?? [];
    const total = counts.reduce((a, b) => a + b, 0);
    matrix.to.forEach((to, c) => {
      const count = counts[c] ?? 0;
      if (c !== col && count > 0) outflow.push({ to, count });
    });
    retained = total > 0 ? (col >= 0 ? (counts[col] ?? 0) : 0) / total : null;
  }
  inflow.sort((a, b) => b.count - a.count || (a.from < b.from ? -1 : 1));
  outflow.sort((a, b) => b.count - a.count || (a.to < b.to ? -1 : 1));
  return { retained, inflow, outflow };
}

/**
 * How a persona changed since the previous run: size and share, who came and went (migration matrix), and
 * the traits whose effect moved by at least `minChange` among the top traits of either run.
 */
export function trackPersona(
  current: { readonly id: string; readonly size: number; readonly shareOfCustomers: number; readonly traits: readonly Trait[]; readonly topTraits: readonly number[] },
  previous: PersonaDocument,
  migration: TransitionMatrix | undefined,
  minChange = 0.2,
): PersonaTracking {
  const before = previous.personas.find((p) => p.id === current.id);
  const flow = flows(migration, current.id);
  if (!before) {
    return { status: 'new', previousSize: null, sizeChange: null, shareChange: null, ...flow, traitChanges: [] };
  }
  const nowByKey = new Map(current.traits.map((t) => [traitKey(t), t]));
  const beforeByKey = new Map(before.traits.map((t) => [traitKey(t), t]));
  const keys = new Set([...current.topTraits.map((i) => traitKey(current.traits[i] as Trait)), ...before.topTraits.map((i) => traitKey(before.traits[i] as Trait))]);
  const traitChanges = [...keys]
    .map((key) => ({ now: nowByKey.get(key), then: beforeByKey.get(key) }))
    .filter((x): x is { now: Trait; then: Trait } => x.now !== undefined && x.then !== undefined)
    .map(({ now, then }) => ({ feature: now.feature, level: now.level, previousEffect: then.effect, effect: now.effect }))
    .filter((c) => Math.abs(c.effect - c.previousEffect) >= minChange)
    .sort((a, b) => Math.abs(b.effect - b.previousEffect) - Math.abs(a.effect - a.previousEffect) || (a.feature < b.feature ? -1 : 1));
  return {
    status: 'continued',
    previousSize: before.size,
    sizeChange: current.size - before.size,
    shareChange: current.shareOfCustomers - before.shareOfCustomers,
    ...flow,
    traitChanges,
  };
}
