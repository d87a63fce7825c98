import type { KChoice } from '../cluster/selectK.js';
import { formatNumber } from '../personas/format.js';
import type { KSelection, Lang } from '../personas/types.js';
import { t, type MessageKey } from './messages.js';

const CRITERIA: Record<Extract<KChoice, { rule: 'criterion' }>['criterion'], MessageKey> = {
  silhouette: 'criterionSilhouette',
  'calinski-harabasz': 'criterionCalinskiHarabasz',
  'davies-bouldin': 'criterionDaviesBouldin',
};

/** How k was chosen, in the report's language; the selection's English `rule` when the choice is not known. */
export function explainKChoice(selection: KSelection, lang: Lang): string {
  const { choice, kRange } = selection;
  if (!choice || !kRange) return selection.rule;
  const k = selection.chosenK;
  const range = { kMin: kRange[0], kMax: kRange[1] };
  if (choice.rule === 'fixed') return t('kFixed', lang, { k });
  if (choice.rule === 'no-admissible') {
    return t('kNoAdmissible', lang, { ...range, k, minRows: choice.minRows, smallest: choice.smallest });
  }
  const threshold = formatNumber(choice.threshold, lang, 2);
  if (choice.rule === 'no-stable') {
    const stability = formatNumber(choice.stability, lang, 2);
    return t('kNoStable', lang, { ...range, k, boot: choice.boot, threshold, stability });
  }
  const stable = choice.boot > 0 ? t('kStableGate', lang, { boot: choice.boot, threshold }) : '';
  const gates = `${t('kGates', lang, { minRows: choice.minRows })}${stable}`;
  if (choice.rule === 'criterion') {
    return t('kCriterion', lang, { ...range, gates, criterion: t(CRITERIA[choice.criterion], lang) });
  }
  if (choice.gapK === k) return t('kGap', lang, { ...range, gates });
  return t(choice.gapK > k ? 'kGapBelow' : 'kGapAbove', lang, { gapK: choice.gapK, k, gates });
}
