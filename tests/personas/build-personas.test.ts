import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../src/core/hash.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput, DEMO_ARCHETYPES } from '../../src/personas/demo.js';
import type { Persona, PersonaInput, PredictionColumns, TimingPrediction, Trait } from '../../src/personas/types.js';

const input = buildDemoPersonaInput({ seed: 3, customers: 3000 });
const doc = buildPersonas(input);
const byId = (id: string): Persona => {
  const p = doc.personas.find((x) => x.id === id);
  if (!p) throw new Error(`no persona ${id}`);
  return p;
};
const topOf = (p: Persona): Trait[] => p.topTraits.map((i) => p.traits[i] as Trait);
const hasTop = (p: Persona, feature: string, direction: 'higher' | 'lower'): boolean =>
  topOf(p).some((t) => t.feature === feature && t.direction === direction);

function expectError(run: () => unknown, code: string): void {
  try {
    run();
  } catch (error) {
    expect(isPersonaeError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected a PersonaeError ${code}`);
}

describe('planted personas are recognisable by their traits, names and actions', () => {
  it('P1 loyal premium: frequent, high spend, rewarded with exclusive offers', () => {
    const p = byId('P1');
    expect(hasTop(p, 'monetary_total', 'higher') || hasTop(p, 'orders_count', 'higher')).toBe(true);
    expect(p.actions.map((a) => a.rule)).toContain('loyal_exclusive_offers');
    expect(p.shareOfRevenue).toBeGreaterThan(2 * p.shareOfCustomers);
  });
  it('P2 bargain hunters: discounts, declared price-sensitive (agreement), targeted promotions', () => {
    const p = byId('P2');
    expect(hasTop(p, 'discount_share', 'higher')).toBe(true);
    expect(p.actions.map((a) => a.rule)).toContain('price_sensitive_targeted_promotions');
    expect(p.declaredVsObserved.find((d) => d.pair === 'price_sensitivity~discounts')?.verdict).toBe('agreement');
    expect(p.reachability?.bestChannel).toBe('sms');
  });
  it('P3 newcomers: short tenure, onboarding', () => {
    const p = byId('P3');
    expect(hasTop(p, 'tenure_first_purchase_days', 'lower')).toBe(true);
    expect(p.actions[0]?.rule).toBe('onboarding_new');
    expect(p.name.en).toMatch(/New/);
  });
  it('P4 lapsing: long since last order, win-back within two weeks', () => {
    const p = byId('P4');
    expect(hasTop(p, 'recency_days', 'higher')).toBe(true);
    const winBack = p.actions.find((a) => a.rule === 'win_back_before_due');
    expect(winBack?.sendInDays).toBeLessThanOrEqual(14);
    expect(p.timing?.meanPAlive).toBeLessThan(0.5);
  });
  it('P5 cart browsers: abandoned carts with a high basket → 24 h reminder; say price-sensitive, buy at full price', () => {
    const p = byId('P5');
    expect(p.actions.find((a) => a.rule === 'abandoned_cart_24h')?.sendInDays).toBe(1);
    expect(p.declaredVsObserved.find((d) => d.pair === 'price_sensitivity~discounts')?.verdict).toBe('contradiction');
  });
  it('names are unique, in both languages, and built from traits', () => {
    const en = doc.personas.map((p) => p.name.en);
    expect(new Set(en).size).toBe(en.length);
    expect(new Set(doc.personas.map((p) => p.name.fr)).size).toBe(en.length);
    for (const p of doc.personas) expect(p.nameSource).toBe('traits');
  });
});

describe('sizes, small personas and privacy floor', () => {
  it('the planted tiny persona is merged into its nearest persona and reported', () => {
    const tinySize = Array.from(input.labels).filter((l) => l === DEMO_ARCHETYPES.length - 1).length;
    expect(tinySize).toBeLessThan(50);
    expect(doc.smallPersonas).toEqual([{ id: 'P6', size: tinySize, action: 'merged', into: expect.stringMatching(/^P[1-5]$/) }]);
    const into = byId(doc.smallPersonas[0]?.into as string);
    expect(into.absorbed).toEqual(['P6']);
    expect(doc.personas.reduce((s, p) => s + p.size, 0)).toBe(3000);
    expect(doc.personas.reduce((s, p) => s + p.shareOfRevenue, 0)).toBeCloseTo(1, 10);
  });
  it('suppression leaves the small persona out; shares stay relative to every customer', () => {
    const suppressed = buildPersonas(input, { smallPersonas: 'suppress' });
    expect(suppressed.smallPersonas[0]).toMatchObject({ id: 'P6', action: 'suppressed', into: null });
    const shown = suppressed.personas.reduce((s, p) => s + p.size, 0);
    expect(shown).toBe(3000 - (suppressed.smallPersonas[0]?.size ?? 0));
    expect(suppressed.personas.reduce((s, p) => s + p.shareOfCustomers, 0)).toBeCloseTo(shown / 3000, 12);
  });
  it('a larger minimum folds more personas', () => {
    const strict = buildPersonas(input, { minSize: 600 });
    for (const p of strict.personas) expect(p.size).toBeGreaterThanOrEqual(600);
    expect(strict.smallPersonas.length).toBeGreaterThan(1);
  });
});

describe('statistics hold up', () => {
  it('with labels unrelated to the features, no trait survives the correction at a meaningful effect', () => {
    const rng = new Rng(99);
    const random: PersonaInput = { ...input, labels: Int32Array.from(input.labels, () => rng.int(4)), clusters: input.clusters.slice(0, 4) };
    const noise = buildPersonas(random);
    const top = noise.personas.flatMap((p) => topOf(p));
    expect(top).toEqual([]);
    const significant = noise.personas.flatMap((p) => p.traits.filter((t) => t.significant));
    // BH at 5%: under the null the expected number of false discoveries is ~0; allow one.
    expect(significant.length).toBeLessThanOrEqual(1);
  });
  it('is deterministic', () => {
    expect(stableStringify(buildPersonas(input))).toBe(stableStringify(doc));
  });
  it('reads predictions given as columns (NaN = not scored) as it reads them given one object per customer', () => {
    const list = input.predictions as readonly (TimingPrediction | null)[];
    const column = (pick: (p: TimingPrediction) => number | null): Float64Array =>
      Float64Array.from(list, (p) => (p === null ? Number.NaN : (pick(p) ?? Number.NaN)));
    // Some customers not scored: their rows are null in the list and NaN in the columns.
    const partial = list.map((p, i) => (i % 7 === 0 ? null : p));
    const columns: PredictionColumns = {
      pAlive: column((p) => p.pAlive).map((v, i) => (i % 7 === 0 ? Number.NaN : v)),
      pBuy30: column((p) => p.pBuy30).map((v, i) => (i % 7 === 0 ? Number.NaN : v)),
      nextPurchaseDays: column((p) => p.nextPurchaseDays).map((v, i) => (i % 7 === 0 ? Number.NaN : v)),
      clv: column((p) => p.clv).map((v, i) => (i % 7 === 0 ? Number.NaN : v)),
    };
    const fromList = buildPersonas({ ...input, predictions: partial });
    expect(stableStringify(buildPersonas({ ...input, predictions: columns }))).toBe(stableStringify(fromList));
    expect(fromList.personas.some((p) => (p.timing?.scored ?? 0) < p.size)).toBe(true);
  });
  it('timing, lifecycle and value summaries are what the inputs say', () => {
    const p = byId('P3');
    const rows = Array.from(input.labels.keys()).filter((i) => input.labels[i] === 2);
    const preds = rows.map((i) => (input.predictions as readonly (TimingPrediction | null)[])[i]).filter((x) => x != null);
    expect(p.timing?.meanPAlive).toBeCloseTo(preds.reduce((s, x) => s + x.pAlive, 0) / preds.length, 12);
    // Expected buyers: the sum of the probabilities, and the expected share their mean.
    const expected = preds.reduce((s, x) => s + x.pBuy30, 0);
    expect(p.timing?.expectedBuyers30).toBeCloseTo(expected, 9);
    expect(p.timing?.expectedShareBuy30).toBeCloseTo(expected / preds.length, 12);
    expect(p.timing?.scored).toBe(preds.length);
    const revenue = rows.reduce((s, i) => s + (input.revenue[i] as number), 0);
    const orders = rows.reduce((s, i) => s + (input.orders[i] as number), 0);
    expect(p.value.averageOrderValue).toBeCloseTo(revenue / orders, 9);
    const newCount = rows.filter((i) => input.lifecycle?.segment[i] === 'new').length;
    expect(p.lifecycle?.mix.find((m) => m.segment === 'new')?.count).toBe(newCount);
    expect(p.reachability?.emailConsentShare).toBeCloseTo(rows.filter((i) => input.reachability?.emailConsent[i] === 1).length / rows.length, 12);
  });
});

describe('narratives back every claim with a number', () => {
  it('each sentence of the English and French narratives holds a figure', () => {
    for (const p of doc.personas) {
      for (const lang of ['en', 'fr'] as const) {
        const sentences = p.narrative[lang].split(/(?<=\.)\s+(?=[A-ZÀ-Ý0-9])/);
        expect(sentences.length).toBeGreaterThanOrEqual(4);
        for (const sentence of sentences) expect(sentence, `${p.id} ${lang}: ${sentence}`).toMatch(/\d/);
      }
      expect(p.narrative.fr).not.toBe(p.narrative.en);
      expect(p.narrative.fr).toMatch(/clients/);
      expect(p.tagline.en).toMatch(/\d+% of customers/);
    }
  });
  it('lists a playbook rule as not evaluated only when no persona has its data', () => {
    // The demo catalogue has no November–December spend share.
    const seasonal = { rule: 'seasonal_campaign', missing: 'a November–December spend feature' };
    expect(doc.rulesSkipped).toEqual([seasonal]);
    const features = input.features.filter((f) => !/abandoned_cart/.test(f.name));
    expect(buildPersonas({ ...input, features }).rulesSkipped).toEqual([{ rule: 'abandoned_cart_24h', missing: 'a cart-abandonment feature' }, seasonal]);
  });

  it('every action has a reason with a number, in both languages', () => {
    for (const action of doc.personas.flatMap((p) => p.actions)) {
      expect(action.reason.en).toMatch(/\d/);
      expect(action.reason.fr).toMatch(/\d/);
    }
  });
});

describe('lineage, tracking and suggestions', () => {
  it('keeps the previous name of a persona that survived, and tracks its size and migration', () => {
    const withPrevious = buildDemoPersonaInput({ seed: 3, customers: 3000, withPrevious: true });
    const tracked = buildPersonas(withPrevious);
    const previous = withPrevious.previous?.document;
    const migration = withPrevious.previous?.migration;
    if (!previous || !migration) throw new Error('demo without previous run');
    for (const p of tracked.personas) {
      const before = previous.personas.find((x) => x.id === p.id);
      expect(p.nameSource).toBe('lineage');
      expect(p.name).toEqual(before?.name);
      expect(p.tracking?.sizeChange).toBe(p.size - (before?.size ?? NaN));
      const r = migration.from.indexOf(p.id);
      const row = migration.counts[r] as number[];
      expect(p.tracking?.retained).toBeCloseTo((row[r] as number) / row.reduce((a, b) => a + b, 0), 12);
    }
    expect(tracked.previousRun?.asOf).toBe(previous.run.asOf);
  });

  it('a persona id that is new gets a name from its traits, and an explicit previous name wins', () => {
    const renamed = buildPersonas({ ...input, clusters: input.clusters.map((c, i) => (i === 0 ? { ...c, previousName: { en: 'The Faithful', fr: 'Les Fidèles' } } : c)) });
    expect(renamed.personas[0]?.name).toEqual({ en: 'The Faithful', fr: 'Les Fidèles' });
    expect(renamed.personas[0]?.nameSource).toBe('lineage');
  });

  it('suggests merging two clusters cut from one planted persona, and nothing else', () => {
    // Archetype 1 (bargain hunters) split at random into clusters 1 and 6.
    const rng = new Rng(5);
    const split = buildDemoPersonaInput({ seed: 3, customers: 3000 });
    const labels = Int32Array.from(split.labels, (l) => (l === 1 && rng.bernoulli(0.5) ? 6 : l));
    const result = buildPersonas({ ...split, labels, clusters: [...split.clusters, { personaId: 'P7' }] });
    const merges = result.suggestions.filter((s) => s.kind === 'merge');
    expect(merges.map((s) => s.personas)).toEqual([['P2', 'P7']]);
    expect(merges[0]?.measures['centroidDistance']).toBeLessThan(0.1);
    const names = result.personas.map((p) => p.name.en);
    expect(new Set(names).size).toBe(names.length);
  });

  it('suggests splitting a cluster that fuses two planted personas', () => {
    const fused = buildDemoPersonaInput({ seed: 3, customers: 3000, clusterOfArchetype: [0, 1, 2, 3, 0, 4] });
    const result = buildPersonas(fused);
    expect(result.suggestions.filter((s) => s.kind === 'split').map((s) => s.personas)).toEqual([['P1']]);
    expect(doc.suggestions).toEqual([]);
  });
});

describe('bad input is refused with a clear error', () => {
  it('refuses contact data as a feature', () => {
    const email = { ...input.features[0], name: 'email' } as (typeof input.features)[number];
    expectError(() => buildPersonas({ ...input, features: [...input.features, email], columns: { ...input.columns, email: new Float64Array(3000) } }), 'personas.input.pii');
  });
  it('refuses a categorical value that looks like an email address or a phone number', () => {
    const device = (input.columns['device'] as (string | null)[]).slice();
    device[17] = 'jane.doe@example.com';
    expectError(() => buildPersonas({ ...input, columns: { ...input.columns, device } }), 'personas.input.pii');
    device[17] = '+33 6 12 34 56 78';
    expectError(() => buildPersonas({ ...input, columns: { ...input.columns, device } }), 'personas.input.pii');
  });
  it('refuses misaligned arrays, unknown labels and bad settings', () => {
    expectError(() => buildPersonas({ ...input, revenue: input.revenue.slice(1) }), 'personas.input.length');
    expectError(() => buildPersonas({ ...input, labels: Int32Array.from(input.labels, (l) => (l === 5 ? 9 : l)) }), 'personas.input.label');
    expectError(() => buildPersonas(input, { minSize: 0 }), 'personas.settings');
    expectError(() => buildPersonas(input, { correction: 'bonferroni' as 'bh' }), 'personas.settings');
  });
});

describe('one definition of each figure, one number everywhere', () => {
  it('the traits of the features that are figures show the figures, for the persona and for everyone', () => {
    const pairs = [
      ['average_order_value', 'averageOrderValue'],
      ['monetary_total', 'revenuePerCustomer'],
      ['orders_count', 'ordersPerCustomer'],
      ['tenure_first_purchase_days', 'tenureDays'],
    ] as const;
    for (const p of doc.personas) {
      for (const [feature, figure] of pairs) {
        const trait = p.traits.find((t) => t.feature === feature);
        expect(trait?.personaValue, `${p.id} ${feature}`).toBe(p.value[figure]);
        expect(trait?.populationValue, `${p.id} ${feature}`).toBe(doc.population.value[figure]);
      }
    }
    // Revenue / orders, not the mean of customers' own averages (which weighs a one-order customer like a regular).
    const revenue = input.revenue.reduce((a, b) => a + b, 0);
    const orders = input.orders.reduce((a, b) => a + b, 0);
    expect(doc.population.value.averageOrderValue).toBeCloseTo(revenue / orders, 9);
    const aov = input.columns['average_order_value'] as Float64Array;
    const customerMean = aov.reduce((a, b) => a + b, 0) / aov.length;
    expect(Math.abs(customerMean - revenue / orders)).toBeGreaterThan(5);
  });

  it('the population has the same figures as a persona, from the same function: everyone as one persona gives them', () => {
    const one = buildPersonas({ ...input, labels: new Int32Array(input.labels.length), clusters: input.clusters.slice(0, 1) });
    expect(one.personas[0]?.value).toEqual(one.population.value);
    expect(one.personas[0]?.timing).toEqual(one.population.timing);
  });

  it('without consent records, who can be reached is unknown (not 0%), and no consent-growth action is made up', () => {
    const ordersOnly = buildPersonas({ ...input, reachability: null });
    expect(ordersOnly.population.emailConsentShare).toBeNull();
    for (const p of ordersOnly.personas) {
      expect(p.reachability).toBeNull();
      expect(p.actions.map((a) => a.rule)).not.toContain('grow_consent');
      for (const a of p.actions) expect(a.channel).toBeNull();
      expect(p.narrative.en).toContain('The data holds no consent records: who can be contacted is not known.');
      expect(p.narrative.fr).toContain('Les données ne contiennent aucun consentement');
    }
    expect(ordersOnly.rulesSkipped.map((r) => r.rule)).toContain('grow_consent');
  });
});
