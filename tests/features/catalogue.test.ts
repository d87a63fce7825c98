import { describe, expect, it } from 'vitest';
import { FAMILIES, referenceCatalogue } from '../../src/features/catalogue.js';
import { catalogueText } from '../../src/cli/commands/features.js';
import { CONTRACT } from '../../src/contract/schema.js';

describe('feature catalogue', () => {
  const catalogue = referenceCatalogue();

  it('documents every feature once, in both languages, with an explicit policy', () => {
    const names = catalogue.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of catalogue) {
      expect(s.name).toMatch(/^[a-z0-9_<>]+$/);
      for (const lang of ['en', 'fr'] as const) {
        expect(s.description[lang].length, `${s.name} ${lang}`).toBeGreaterThan(15);
        expect(s.label[lang].length, `${s.name} ${lang}`).toBeGreaterThan(2);
      }
      expect(s.consentPurpose).toBe('profiling');
      if (s.kind === 'categorical') expect(s.transform).toBe('onehot');
      if (s.family === 'declared') expect(s.source).toBe('zero-party');
      else expect(s.source).toBe('first-party');
    }
    expect(new Set(catalogue.map((s) => s.family))).toEqual(new Set(FAMILIES.map((f) => f.family)));
  });

  it('never documents a PII column of the contract as a feature', () => {
    const pii = Object.values(CONTRACT).flatMap((t) => Object.entries(t.columns).filter(([, c]) => c.pii).map(([name]) => name));
    expect(pii).toContain('city');
    for (const name of pii) expect(catalogue.map((s) => s.name)).not.toContain(name);
  });

  it('prints one block per family in the chosen language', () => {
    const fr = catalogueText(catalogue, 'fr');
    expect(fr).toContain("Rythme d'achat (timing; nécessite orders)");
    expect(fr).toContain('share_category_<category>');
    expect(fr).toContain('jours depuis la dernière commande');
    const en = catalogueText(catalogue, 'en');
    expect(en).toContain('days since last order');
    expect(en.split('\n').filter((l) => /^ {2}\S/.test(l)).length).toBe(catalogue.length);
  });
});
