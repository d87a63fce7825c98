import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import type { Persona, PersonaDocument } from '../../src/personas/types.js';
import { personaViolations } from '../helpers/persona-properties.js';

// The rules of tests/e2e/persona-properties.test.ts must be able to fail: each is broken here on purpose.
const doc = buildPersonas(buildDemoPersonaInput({ seed: 3, customers: 3000 }));
const rulesOf = (d: PersonaDocument): string[] => [...new Set(personaViolations(d).map((v) => v.rule))].sort();
const withPersona = (index: number, change: (p: Persona) => Persona): PersonaDocument => ({ ...doc, personas: doc.personas.map((p, i) => (i === index ? change(p) : p)) });

describe('the persona rules checker', () => {
  it('finds nothing wrong in a document the builder wrote', () => {
    expect(personaViolations(doc)).toEqual([]);
  });

  it('catches category shares adding up to more than 100%', () => {
    const broken = withPersona(0, (p) => ({ ...p, traits: p.traits.map((t) => (t.feature.startsWith('share_category_') ? { ...t, personaValue: 0.3 } : t)) }));
    expect(rulesOf(broken)).toEqual(['shares']);
  });

  it('catches a name word its figures do not back, in either language', () => {
    const activeShare = (p: Persona): number => (p.lifecycle?.mix ?? []).filter((m) => ['new', 'active', 'due', 'reactivated'].includes(m.segment)).reduce((s, m) => s + m.share, 0);
    const lapsing = doc.personas.findIndex((p) => activeShare(p) < 0.2);
    expect(lapsing).toBeGreaterThanOrEqual(0);
    expect(rulesOf(withPersona(lapsing, (p) => ({ ...p, name: { en: 'Active Shoppers', fr: 'Clients' } })))).toEqual(['names']);
    expect(rulesOf(withPersona(lapsing, (p) => ({ ...p, name: { en: 'Shoppers', fr: 'Clients actifs' } })))).toEqual(['names']);
    const small = doc.personas.findIndex((p) => (p.value.averageOrderValue ?? 0) < (doc.population.value.averageOrderValue ?? 0));
    expect(rulesOf(withPersona(small, (p) => ({ ...p, name: { en: 'Premium Shoppers', fr: 'Acheteurs premium' } })))).toEqual(['names']);
  });

  it('catches an action on the as-of date, a date the title does not say, and an action that is not a verb', () => {
    const withAction = (change: (a: Persona['actions'][number]) => Persona['actions'][number]): PersonaDocument =>
      withPersona(0, (p) => ({ ...p, actions: p.actions.map((a, i) => (i === 0 ? change(a) : a)) }));
    expect(rulesOf(withAction((a) => ({ ...a, date: doc.run.asOf, sendInDays: 0 })))).toEqual(['dates']);
    expect(rulesOf(withAction((a) => ({ ...a, title: { en: 'Lead channel: email', fr: 'Canal principal : e-mail' } })))).toEqual(['dates']);
  });

  it('catches a figure that is two numbers: a trait, a tile or a narrative disagreeing', () => {
    const traitOff = withPersona(1, (p) => ({ ...p, traits: p.traits.map((t) => (t.feature === 'average_order_value' ? { ...t, populationValue: t.populationValue * 0.65 } : t)) }));
    expect(rulesOf(traitOff)).toEqual(['figures']);
    const tileOff = withPersona(1, (p) => ({ ...p, value: { ...p.value, averageOrderValue: (p.value.averageOrderValue ?? 0) + 0.6 } }));
    expect(rulesOf(tileOff)).toEqual(['figures']);
    const narrativeOff = withPersona(2, (p) => ({ ...p, narrative: { ...p.narrative, en: p.narrative.en.replace(/\(€[\d.,]+ overall\)/, '(€117 overall)') } }));
    expect(personaViolations(narrativeOff).map((v) => v.message).join('\n')).toMatch(/€117/);
  });

  it('catches English left in the French report: a data value, "email", an ISO date, an English number', () => {
    const fr = (change: (p: Persona) => Persona): string[] => rulesOf(withPersona(0, change));
    expect(fr((p) => ({ ...p, name: { en: p.name.en, fr: 'Amateurs de toys' } }))).toEqual(['french']);
    expect(fr((p) => ({ ...p, narrative: { en: p.narrative.en, fr: `${p.narrative.fr} Joignables par email.` } }))).toEqual(['french']);
    expect(fr((p) => ({ ...p, narrative: { en: p.narrative.en, fr: `${p.narrative.fr} Depuis le 2025-01-14.` } }))).toEqual(['french']);
    expect(fr((p) => ({ ...p, tagline: { en: p.tagline.en, fr: `${p.tagline.fr} · 10%` } }))).toEqual(['french']);
    // A value the vocabulary does not know (a brand) is shown as the data holds it: not a violation.
    expect(fr((p) => ({ ...p, narrative: { en: p.narrative.en, fr: `${p.narrative.fr} Marque Smart Buy.` } }))).toEqual([]);
  });

  it('catches a mostly-lapsed persona said to be probably still customers', () => {
    const broken = withPersona(0, (p) => ({
      ...p,
      lifecycle: { mix: [{ segment: 'lapsed', count: p.size, share: 1 }], vipShare: 0 },
      timing: p.timing ? { ...p.timing, meanPAlive: 0.94 } : null,
    }));
    expect(rulesOf(broken)).toContain('lapsed');
  });
});
