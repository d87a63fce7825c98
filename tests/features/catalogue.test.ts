import { describe, expect, it } from 'vitest';
import { FAMILIES, referenceCatalogue } from '../../src/features/catalogue.js';
import { descriptiveReason } from '../../src/features/clustering.js';
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

describe('default clustering features', () => {
  const catalogue = referenceCatalogue();
  const clustering = catalogue.filter((s) => s.clustering).map((s) => s.name);

  it('clusters on behaviour: value, timing incl. holiday seasonality, category and channel mix, activity, declared buying intent, device', () => {
    expect(clustering).toEqual([
      'recency_days',
      'orders_count',
      'monetary_total',
      'average_order_value',
      'discount_share',
      'spend_90d',
      'tenure_signup_days',
      'interpurchase_mean_days',
      'share_spend_nov_dec',
      'share_category_<category>',
      'share_channel_<channel>',
      'sessions_30d',
      'product_views_30d',
      'add_to_carts_30d',
      'abandoned_cart_value_30d',
      'email_open_rate',
      'email_click_rate',
      'declared_price_sensitivity',
      'declared_shopping_goal',
      'device',
    ]);
  });

  it('keeps geography, brand identity, tastes and demographics out, each for a stated reason', () => {
    for (const name of ['country', 'region', 'share_brand_<brand>', 'interest_<interest>', 'declared_gender', 'age_band']) {
      expect(descriptiveReason(name)?.length, name).toBeGreaterThan(40);
      expect(clustering).not.toContain(name);
    }
  });
});
