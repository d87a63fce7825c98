import { describe, expect, it } from 'vitest';
import { warningText } from '../../src/report/warning-text.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';

// Warnings as the whole Online Retail run writes them (run.json, as of 2011-12-09 and 2011-09-30).
const LAWFUL = 'lawful basis: legitimate interest (declared in the config), not per-customer consent';
const FLAT =
  'MBG/NBD was not used (test backtest, selection backtest): the likelihood is flat in a, b at the optimum (r=0.723, alpha=66.0, a=3.38e-7, b=9.53e+3) on 3370 customers: the estimate is not identified';
const HISTORY = 'neural was not used (selection backtest): less than 90 days of history before 2011-01-03 to learn from';
const FLOOR =
  'no BTYD model could be fitted and checked on a backtest: P(alive), expected purchases and CLV come from the empirical recency baseline (how often customers of the same recency bought again within 90 days)';

describe('warningText', () => {
  it('says in the English report what an unidentified model means for its predictions, with dates in words; other warnings as written', () => {
    expect(warningText(FLAT, 'en')).toBe(
      'MBG/NBD was not used (test backtest, selection backtest): on these 3,370 customers the data do not pin down its parameters (a, b): very different values describe the purchases equally well, so its predictions would be arbitrary (technical detail in run.json)',
    );
    expect(warningText(FLAT.replace('(test backtest, selection backtest)', '(as-of)'), 'en')).toMatch(/^MBG\/NBD was not used \(fit at the analysis date\): on these/);
    expect(warningText(HISTORY, 'en')).toBe('neural was not used (selection backtest): less than 90 days of history before 3 January 2011 to learn from');
    expect(warningText(LAWFUL, 'en')).toBe(LAWFUL);
    expect(warningText(FLOOR, 'en')).toBe(FLOOR);
  });

  it('writes the warnings of a real run in French, numbers with French separators and dates in words', () => {
    expect(warningText(LAWFUL, 'fr')).toBe('base légale : intérêt légitime (déclaré dans la configuration), pas de consentement client par client');
    expect(warningText(FLAT, 'fr')).toBe(
      'MBG/NBD n’a pas été utilisé (backtest de contrôle, backtest de sélection) : sur ces 3\u202f370 clients, les données ne fixent pas ses paramètres (a, b) : des valeurs très différentes décrivent aussi bien les achats, ses prédictions seraient donc arbitraires (détail technique dans run.json)',
    );
    expect(warningText(HISTORY, 'fr')).toBe(
      'neural n’a pas été utilisé (backtest de sélection) : moins de 90 jours d’historique avant le 3 janvier 2011 pour apprendre',
    );
    expect(warningText(FLOOR, 'fr')).toMatch(/^aucun modèle BTYD n’a pu être ajusté/);
  });

  it('has no French for a warning it does not know, or for a known warning with an unknown reason', () => {
    expect(warningText('segment vip: needs x, absent from this data: the condition is false', 'fr')).toBeUndefined();
    expect(warningText('BG/NBD was not used (test backtest): the optimiser did not converge', 'fr')).toBeUndefined();
  });

  it('the French report shows known warnings under "Avertissements" and the others under a heading that says they are in English', () => {
    const doc = buildPersonas(buildDemoPersonaInput({ seed: 8, customers: 300 }));
    const unknown = 'segment vip: needs x, absent from this data: the condition is false';
    const withWarnings = { ...doc, run: { ...doc.run, warnings: [LAWFUL, unknown] } };
    const fr = buildReportModel(withWarnings, 'fr');
    const known = fr.notices.find((n) => n.title === 'Avertissements');
    const technical = fr.notices.find((n) => n.title.includes('(en anglais)'));
    expect(known?.items).toEqual(['base légale : intérêt légitime (déclaré dans la configuration), pas de consentement client par client']);
    expect(technical?.items).toEqual([unknown]);
    const en = buildReportModel(withWarnings, 'en');
    expect(en.notices.find((n) => n.title === 'Warnings')?.items).toEqual([LAWFUL, unknown]);
    const flat = buildReportModel({ ...doc, run: { ...doc.run, warnings: [FLAT] } }, 'en');
    expect(flat.notices.find((n) => n.title === 'Warnings')?.items).toEqual([warningText(FLAT, 'en')]);
  });
});
