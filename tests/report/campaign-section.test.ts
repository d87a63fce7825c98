import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { t } from '../../src/report/messages.js';
import { buildReportModel, type ReportInput } from '../../src/report/report-model.js';
import { kpiRows, type KpiCounts } from '../../src/campaigns/kpi-rows.js';
import type { MergeSuggestion } from '../../src/campaigns/merge-suggestions.js';
import type { RetireSuggestion } from '../../src/campaigns/retire-suggestions.js';
import { campaignSection, campaignSectionData, type CampaignSectionInput } from '../../src/report/campaign-section.js';
import type { CampaignKpis } from '../../src/runner/stages/campaigns.js';
import type { NextCategory, NextCategoryLookup } from '../../src/runner/stages/cross-sell.js';
import type { ScoreRow } from '../../src/segments/scores.js';

const cell = (over: Partial<KpiCounts>): KpiCounts => ({
  dimension: 'persona',
  group: 'P1',
  label: 'Loyal <b>fans</b>',
  channel: 'email',
  recipients: 400,
  sends: 1000,
  delivered: 980,
  matured: 980,
  opened: 392,
  clicked: 98,
  converted: 49,
  orders: 50,
  revenue: 2450,
  unsubscribed: 2,
  revenues: new Array<number>(49).fill(50),
  ...over,
});

const rows = kpiRows(
  [cell({}), cell({ group: 'P2', label: 'Newcomers', delivered: 60, matured: 60, sends: 61, opened: 6, clicked: 1, converted: 0, orders: 0, revenue: 0, revenues: [] })],
  { minDelivered: 100, bootstrapSamples: 200, seed: 1 },
);

const kpis: CampaignKpis = {
  available: true,
  attribution: { rule: '', window_days: 5, touches: ['click', 'open'] },
  lookbackDays: 365,
  campaignIds: true,
  campaigns: 26,
  sends: 1061,
  rows,
  suggestions: [],
  minDelivered: 100,
};

const score = (id: string, persona: string, next: string): ScoreRow =>
  ({ customer_id: id, persona_id: persona, persona_name: 'Loyal', next_category: next }) as unknown as ScoreRow;

/** Next categories by customer id; the report reads them by id only (the features' rows are the scores stage's). */
const byCustomerId = (next: Map<string, NextCategory>): NextCategoryLookup => ({
  size: next.size,
  get: (id) => next.get(id),
  at: () => {
    throw new Error('the report reads next categories by customer id');
  },
});

const input: CampaignSectionInput = {
  kpis,
  crossSell: {
    available: true,
    categories: ['shoes', 'bags', 'hats'],
    excludedCategories: ['other'],
    // Bits of `bought`: shoes 1, bags 2, hats 4.
    next: byCustomerId(
      new Map([
        ['a', { category: 'shoes', score: 0.8, because: 'bags', bought: 2 }],
        ['b', { category: 'shoes', score: 0.7, because: 'bags', bought: 2 }],
        ['c', { category: 'bags', score: 0.6, because: 'shoes', bought: 1 }],
        ['d', { category: 'shoes', score: 0.5, because: 'bags', bought: 2 }],
        ['f', { category: 'hats', score: 0.4, because: 'bags', bought: 2 }],
      ]),
    ),
    backtest: {
      evaluated: 300,
      calibrationCustomers: 1000,
      ks: [1, 3],
      methods: {
        item_cf: { hitRate: { '@1': 0.46, '@3': 0.81 }, recall: { '@1': 0.37, '@3': 0.76 } },
        lift: { hitRate: { '@1': 0.35, '@3': 0.78 }, recall: { '@1': 0.28, '@3': 0.72 } },
        popularity: { hitRate: { '@1': 0.29, '@3': 0.68 }, recall: { '@1': 0.24, '@3': 0.61 } },
      },
      chosen: 'item_cf',
      beatsPopularity: true,
      cutoff: '2025-10-02',
      holdoutDays: 90,
    },
  },
  // e bought nothing in a category: a member without a next best category.
  scores: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => score(id, 'P1', 'unused')),
  asOf: '2025-12-31',
  currency: 'EUR',
};

describe('campaignSection', () => {
  it('states the rule, each rate with its interval, and marks small cells (English)', () => {
    const s = campaignSection(campaignSectionData(input), 'en');
    expect(s.markdown).toContain('## Campaign performance');
    expect(s.markdown).toContain('at most 5 days before it');
    // Sends of the last 5 days before the as-of date are left out of conversion and revenue, and the report says so.
    expect(s.markdown).toMatch(/Conversion and revenue per recipient count only the sends made by 26 December 2025, whose 5-day attribution window ended by 31 December 2025: the 0 delivered sends after it/);
    // 392 of 980 opened = 40%; 98 clicked = 10%; 49 converted = 5.0%; €2,450 / 980 = €2.50 per recipient.
    // Deliverability 980/1000, opens 392/980, clicks 98/980, click-to-open 98/392, conversion 49/980, €2,450/980,
    // unsubscribes 2/980; Wilson intervals; the bootstrap's for revenue per recipient. Labels escaped for Markdown.
    expect(s.markdown).toContain(
      '| P1 · Loyal &lt;b&gt;fans&lt;/b&gt; | 980 | 98% \\[97%–99%\\] | 40% \\[37%–43%\\] | 10% \\[8.3%–12%\\] | 25% \\[21%–30%\\] | 5% \\[3.8%–6.5%\\] | €2.50 \\[€',
    );
    expect(s.markdown).toContain('| P2 · Newcomers | 60 | too small to read (fewer than 100 delivered sends)');
    expect(s.markdown).toContain('No two close personas respond alike, no persona’s halves respond differently, and no segment is unreachable or never converts.');
    // Cross-sell: per persona, the next best categories among members, and the backtest against popularity.
    // 6 members; next best: shoes 3, bags 1, hats 1. The commonest suggestion is bags → shoes (3 customers), and
    // 4 members bought bags and not shoes (f too, whose own suggestion is hats): 4/6.
    expect(s.markdown).toContain('| P1 · Loyal | 6 | bought bags, not yet shoes: 67% | shoes 50%, bags 17%, hats 17% |');
    expect(s.markdown).toContain('Never suggested, as a family that says nothing to sell: other (still counted as purchases).');
    expect(s.markdown).toContain('the first suggestion was bought by 46% (popularity: 29%)');
    expect(s.charts.map((c) => c.name)).toEqual(['campaign-clicks', 'cross-sell-backtest']);
    // Labels are data: escaped in HTML.
    expect(s.html).toContain('Loyal &lt;b&gt;fans&lt;/b&gt;');
    expect(s.html).not.toContain('<b>fans</b>');
  });

  it('says the same in French, with French number formats', () => {
    const s = campaignSection(campaignSectionData(input), 'fr');
    expect(s.markdown).toContain('## Performance des campagnes');
    expect(s.markdown).toContain('5 jours au plus');
    // Node's ICU writes the French percent and currency with a no-break space.
    expect(s.markdown).toContain('| 980 | 98\u00a0% \\[97\u00a0%–99\u00a0%\\] | 40\u00a0% \\[37\u00a0%–43\u00a0%\\]');
    expect(s.markdown).toContain('2,50\u00a0€ \\[');
    expect(s.markdown).toContain('trop petit pour conclure (moins de 100 envois délivrés)');
    expect(s.markdown).toContain('| a acheté bags, pas encore chaussures : 67\u00a0% | chaussures 50\u00a0%, bags 17\u00a0%, hats 17\u00a0% |');
  });

  it('suggests a split with its evidence, in English and French', () => {
    const split = {
      kind: 'split' as const,
      persona: 'P2',
      label: 'Newcomers',
      apartOn: { feature: 'sessions_30d', label: { en: 'sessions, 30 days', fr: 'sessions, 30 jours' }, higherHalf: 'b' as const },
      evidence: {
        customers_a: 246,
        customers_b: 1304,
        click_rate_a: 0.064,
        click_rate_b: 0.119,
        conversion_rate_a: 0.026,
        conversion_rate_b: 0.059,
        tests: 12,
      },
    };
    const withSplit = { ...input, kpis: { ...kpis, suggestions: [split] } };
    expect(campaignSection(campaignSectionData(withSplit), 'en').markdown).toContain(
      '- Split — P2 · Newcomers: its customers fall into two groups that are each alike on the clustering features (246 and 1,304 customers), and these halves respond differently to email — click rate 6.4% and 12%, conversion 2.6% and 5.9% per delivered email; the difference is significant at 5% over all 12 tests made',
    );
    expect(campaignSection(campaignSectionData(withSplit), 'en').markdown).toContain('The halves differ most in sessions, 30 days (higher in the second).');
    const fr = campaignSection(campaignSectionData(withSplit), 'fr').markdown;
    expect(fr).toContain('- Scinder — P2 · Newcomers : ses clients forment deux groupes chacun homogène sur les variables du clustering (246 et 1\u202f304 clients), et ces moitiés');
    expect(fr).toContain('taux de clic 6,4\u00a0% et 12\u00a0%');
    expect(fr).toContain('(plus élevé dans la seconde)');
    // Rates below 1% are written as in the KPI tables (two significant digits), never "0%".
    const rare = { ...withSplit, kpis: { ...kpis, suggestions: [{ ...split, evidence: { ...split.evidence, conversion_rate_a: 0.00023, conversion_rate_b: 0.00011 } }] } };
    expect(campaignSection(campaignSectionData(rare), 'en').markdown).toContain('conversion 0.023% and 0.011% per delivered email');
  });

  it('names a rule segment by the label its rules file gives it, in the report language, and by its name otherwise', () => {
    const ruleRows = kpiRows(
      [
        cell({ dimension: 'rule_segment', group: 'loyal_6_items_6_months', label: null }),
        cell({ dimension: 'rule_segment', group: 'engaged_30d', label: null }),
      ],
      { minDelivered: 100, bootstrapSamples: 200, seed: 1 },
    );
    const never: RetireSuggestion = {
      kind: 'never_converts',
      dimension: 'rule_segment',
      group: 'loyal_6_items_6_months',
      label: null,
      evidence: { delivered: 980, conversion_high: 0.004 },
    };
    const withRules: CampaignSectionInput = {
      ...input,
      kpis: { ...kpis, rows: [...rows, ...ruleRows], suggestions: [never] },
      ruleLabels: { loyal_6_items_6_months: { en: 'Loyal: 6+ items in 6 months', fr: 'Fidèles : 6 articles ou plus en 6 mois' } },
    };
    const en = campaignSection(campaignSectionData(withRules), 'en').markdown;
    expect(en).toContain('| Loyal: 6+ items in 6 months | 980 |');
    expect(en).toContain('| engaged\\_30d | 980 |');
    expect(en).toMatch(/Retire — Loyal: 6\+ items in 6 months: 980 delivered emails/);
    expect(en).not.toContain('loyal\\_6');
    const fr = campaignSection(campaignSectionData(withRules), 'fr').markdown;
    expect(fr).toContain('| Fidèles : 6 articles ou plus en 6 mois | 980 |');
  });

  it('names each persona as the rest of the report does, in its language: tables, chart, suggestions and cross-sell', () => {
    const merge: MergeSuggestion = {
      kind: 'merge',
      personas: ['P1', 'P2'],
      labels: ['Loyal <b>fans</b>', 'Newcomers'],
      evidence: { click_rate_a: 0.1, click_rate_b: 0.11, conversion_rate_a: 0.05, conversion_rate_b: 0.05 },
    };
    const named: CampaignSectionInput = {
      ...input,
      kpis: { ...kpis, suggestions: [merge] },
      personaNames: { P1: { en: 'Loyal fans', fr: 'Fans fidèles' }, P2: { en: 'Newcomers', fr: 'Nouveaux venus' } },
    };
    const fr = campaignSection(campaignSectionData(named), 'fr');
    expect(fr.markdown).toContain('| P1 · Fans fidèles | 980 |');
    expect(fr.markdown).toContain('| P1 · Fans fidèles | 6 | a acheté bags');
    expect(fr.markdown).toMatch(/P1 · Fans fidèles.*P2 · Nouveaux venus/);
    expect(fr.markdown).not.toContain('Newcomers');
    const chart = fr.charts.find((c) => c.name === 'campaign-clicks');
    const values = (chart?.spec as { data: { values: { persona: string; label: string }[] } }).data.values;
    // The chart's figure is the table's: 98 clicks of 980 delivered, 10 % in French.
    expect(values).toEqual([expect.objectContaining({ persona: 'P1 · Fans fidèles', label: '10\u00a0%' })]);
    expect(fr.markdown).toContain('| 10\u00a0% \\[');
    const en = campaignSection(campaignSectionData(named), 'en').markdown;
    expect(en).toContain('| P1 · Loyal fans | 980 |');
    // The backtest chart names the method as the paragraph does, not by its code ("item CF").
    const backtest = fr.charts.find((c) => c.name === 'cross-sell-backtest')?.spec as { data: { values: { method: string }[] } };
    expect(new Set(backtest.data.values.map((v) => v.method))).toEqual(new Set(['filtrage collaboratif (méthode retenue)', 'popularité (référence)']));
  });

  it('gives each campaign its row under its name, per channel', () => {
    const campaignRows = kpiRows(
      [
        cell({ dimension: 'campaign', group: 'email-0036', label: 'Newsletter 2025-01-06' }),
        cell({ dimension: 'campaign', group: 'sms-0007', label: null, channel: 'sms', opened: 0 }),
      ],
      { minDelivered: 100, bootstrapSamples: 200, seed: 1 },
    );
    const md = campaignSection(campaignSectionData({ ...input, kpis: { ...kpis, rows: [...rows, ...campaignRows] } }), 'en').markdown;
    expect(md).toMatch(/### Email, by campaign\n\n\| Group .*\n.*\n\| Newsletter 2025-01-06 \| 980 \| 98% /);
    expect(md).toMatch(/### SMS, by campaign\n\n\| Group .*\n.*\n\| sms-0007 \| 980 \| /);
  });

  it("does not tell the reader the personas need no change when campaign results suggest a split, in English and French", () => {
    const doc = { ...buildPersonas(buildDemoPersonaInput({ seed: 21, customers: 2000 })), suggestions: [] };
    const retrainItems = (d: ReportInput, lang: 'en' | 'fr') => buildReportModel(d, lang).notices.find((n) => n.title === t('suggestions', lang))?.items;
    const section = (suggestions: CampaignKpis['suggestions']) => campaignSectionData({ ...input, kpis: { ...kpis, suggestions } });
    const split: CampaignKpis['suggestions'][number] = {
      kind: 'split',
      persona: 'P2',
      label: 'Newcomers',
      apartOn: { feature: 'sessions_30d', label: { en: 'sessions, 30 days', fr: 'sessions, 30 jours' }, higherHalf: 'b' },
      evidence: { customers_a: 246, customers_b: 1304, click_rate_a: 0.064, click_rate_b: 0.119, conversion_rate_a: 0.026, conversion_rate_b: 0.059, tests: 12 },
    };
    const retire: CampaignKpis['suggestions'][number] = {
      kind: 'never_converts',
      dimension: 'lifecycle',
      group: 'new',
      label: null,
      evidence: { delivered: 980, conversion_high: 0.004 },
    };
    expect(retrainItems(doc, 'en')).toEqual(['None: the personas are distinct and homogeneous enough.']);
    // Retiring a campaign for a segment says nothing about the personas themselves.
    expect(retrainItems({ ...doc, campaignSection: section([retire]) }, 'en')).toEqual(['None: the personas are distinct and homogeneous enough.']);
    expect(retrainItems({ ...doc, campaignSection: section([split, retire]) }, 'en')).toEqual([
      'None from the clustering: the personas are distinct and homogeneous enough on its variables. Campaign results do suggest changes: see “Refinement suggestions from campaign results”.',
    ]);
    expect(retrainItems({ ...doc, campaignSection: section([split]) }, 'fr')?.[0]).toContain('voir « Ajustements suggérés par les résultats de campagne »');
  });
});
