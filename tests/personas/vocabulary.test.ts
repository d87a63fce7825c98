import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../src/features/types.js';
import { isKnownValue, localizeFeature, valueWord } from '../../src/personas/vocabulary.js';
import { CATEGORIES, PREFERRED_CHANNELS, PRICE_SENSITIVITIES, SHOPPING_GOALS, STYLES, GENDERS, ACQUISITION_CHANNELS } from '../../src/synthetic/catalog.js';

const spec = (name: string, label: string, description: string): FeatureSpec => ({
  name,
  family: 'mix',
  kind: 'numeric',
  label: { en: name, fr: label },
  description: { en: name, fr: description },
  source: 'first-party',
  consentPurpose: 'profiling',
  transform: 'none',
  missing: 'zero',
  clustering: true,
  unit: 'share',
} as FeatureSpec);

describe('vocabulary of data values', () => {
  it('knows every value of the catalogue the data contract documents and the generator writes', () => {
    const values = [...CATEGORIES, ...PREFERRED_CHANNELS, ...PRICE_SENSITIVITIES, ...SHOPPING_GOALS, ...STYLES, ...GENDERS, ...ACQUISITION_CHANNELS, 'web', 'app', 'store', 'marketplace', 'desktop', 'mobile', 'tablet'];
    for (const v of values) expect(isKnownValue(v), v).toBe(true);
  });

  it('writes known values in French, one spelling of e-mail, and unknown values as the data holds them', () => {
    expect(valueWord('toys', 'fr')).toBe('jouets');
    expect(valueWord('home', 'fr')).toBe('maison');
    expect(valueWord('classic', 'fr')).toBe('classique');
    expect(valueWord('high', 'fr')).toBe('élevée');
    expect(valueWord('email', 'fr')).toBe('e-mail');
    expect(valueWord('toys', 'en')).toBe('toys');
    expect(valueWord('Maison Lumiere', 'fr')).toBe('Maison Lumiere');
    expect(valueWord('WHITE HANGING HEART', 'fr')).toBe('WHITE HANGING HEART');
  });

  it('translates the value in a per-level feature’s French label and description, whole words only', () => {
    const toys = localizeFeature(spec('share_category_toys', 'part catégorie : toys', 'Part de la dépense dans la catégorie « toys »'));
    expect(toys.label.fr).toBe('part catégorie : jouets');
    expect(toys.description.fr).toBe('Part de la dépense dans la catégorie « jouets »');
    expect(toys.label.en).toBe('share_category_toys');
    const app = localizeFeature(spec('share_channel_app', 'part canal : app', 'canal « app » (application)'));
    expect(app.label.fr).toBe('part canal : appli');
    expect(app.description.fr).toBe('canal « appli » (application)');
    const brand = spec('share_brand_vela', 'part marque : Vela', 'marque « Vela »');
    expect(localizeFeature(brand)).toBe(brand);
  });
});
