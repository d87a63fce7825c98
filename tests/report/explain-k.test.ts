import { describe, expect, it } from 'vitest';
import type { KChoice } from '../../src/cluster/selectK.js';
import type { KSelection } from '../../src/personas/types.js';
import { explainKChoice } from '../../src/report/explain-k.js';

function selection(choice: KChoice | undefined, chosenK = 6): KSelection {
  return { scores: [], chosenK, rule: 'the English rule of selectK', choice, kRange: [2, 10] };
}
const gates = { minRows: 82, boot: 10, threshold: 0.75 };

describe('explainKChoice', () => {
  it('explains each branch of the rule in English and French, with its numbers in the locale', () => {
    expect(explainKChoice(selection({ rule: 'gap', ...gates, gapK: 10 }), 'en')).toBe(
      'the gap statistic points to k = 10; the largest k below it where every persona has at least 82 customers and is found again in 10 bootstrap resamples (mean Jaccard ≥ 0.75) is 6',
    );
    expect(explainKChoice(selection({ rule: 'gap', ...gates, gapK: 10 }), 'fr')).toBe(
      'la statistique de gap indique k = 10 ; le plus grand k inférieur où chaque persona compte au moins 82 clients et se retrouve dans 10 rééchantillonnages bootstrap (Jaccard moyen ≥ 0,75) est 6',
    );
    expect(explainKChoice(selection({ rule: 'gap', ...gates, gapK: 6 }), 'fr')).toBe(
      'statistique de gap (plus petit k avec Gap(k) ≥ Gap(k+1) − s(k+1)) parmi les k de 2 à 10 où chaque persona compte au moins 82 clients et se retrouve dans 10 rééchantillonnages bootstrap (Jaccard moyen ≥ 0,75)',
    );
    expect(explainKChoice(selection({ rule: 'gap', ...gates, gapK: 4 }), 'en')).toBe(
      'the gap statistic points to k = 4, but only from k = 6 on every persona has at least 82 customers and is found again in 10 bootstrap resamples (mean Jaccard ≥ 0.75)',
    );
    expect(explainKChoice(selection({ rule: 'no-stable', ...gates, stability: 0.7049 }, 2), 'fr')).toBe(
      'aucun k de 2 à 10 ne retrouve chaque persona dans 10 rééchantillonnages bootstrap (Jaccard moyen ≥ 0,75) ; k = 2 a le persona le moins stable le plus stable (Jaccard moyen 0,7)',
    );
    expect(explainKChoice(selection({ rule: 'no-admissible', minRows: 50, smallest: 31 }, 3), 'en')).toBe(
      'no k from 2 to 10 gives every persona at least 50 customers; k = 3 has the largest smallest persona (31 customers)',
    );
    expect(explainKChoice(selection({ rule: 'fixed' }, 7), 'fr')).toBe('k fixé à 7 par la configuration');
  });

  it('leaves out the stability clause when stability was not measured, and names the criterion', () => {
    expect(explainKChoice(selection({ rule: 'criterion', criterion: 'davies-bouldin', minRows: 40, boot: 0, threshold: 0.75 }), 'fr')).toBe(
      'meilleur indice de Davies–Bouldin parmi les k de 2 à 10 où chaque persona compte au moins 40 clients',
    );
  });

  it('falls back to the selection’s own words for documents written before the choice was recorded', () => {
    expect(explainKChoice(selection(undefined), 'fr')).toBe('the English rule of selectK');
  });
});
