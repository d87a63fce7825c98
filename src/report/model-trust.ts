/**
 * The report's "how far to trust the predictions" notice, worded from personas.json's run.modelTrust
 * (src/timing/trust.ts): per horizon the model, its AUC as "times in 100", predicted vs actual buyers,
 * one reliability line, and the same season a year earlier when the history reaches it.
 */
import { formatDate, formatFixed, formatNumber, formatShare } from '../personas/format.js';
import type { Lang } from '../personas/types.js';
import type { ModelTrust } from '../timing/trust.js';
import { t, type MessageKey } from './messages.js';

const GRADE: Record<string, MessageKey> = {
  good: 'gradeGood',
  fair: 'gradeFair',
  weak: 'gradeWeak',
  poor: 'gradePoor',
};
const BTYD_NAMES: Record<string, string> = {
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  pareto_nbd: 'Pareto/NBD',
  gamma_gamma: 'Gamma-Gamma',
};

export function modelName(model: string, lang: Lang): string {
  if (model === 'neural') return t('modelNeural', lang);
  if (model === 'recency_baseline') return t('modelRecencyBaseline', lang);
  return BTYD_NAMES[model] ?? model;
}

export function trustItems(trust: ModelTrust, lang: Lang): string[] {
  const items: string[] = [];
  if (trust.window) {
    const days = Math.round((Date.parse(trust.window.end) - Date.parse(trust.window.cutoff)) / 86_400_000);
    items.push(t('trustWindow', lang, { cutoff: formatDate(trust.window.cutoff, lang), days }));
    if (trust.sample)
      items.push(
        t('trustSample', lang, {
          n: formatNumber(trust.sample.customers, lang, 0),
          of: formatNumber(trust.sample.of, lang, 0),
        }),
      );
  }
  for (const h of trust.horizons) {
    if (h.auc !== null && h.overall) {
      items.push(
        t('trustHorizon', lang, {
          h: h.horizon,
          model: modelName(h.model, lang),
          auc: formatNumber(h.auc * 100, lang, 0),
          aucValue: formatFixed(h.auc, lang, 2),
          grade: h.grade && GRADE[h.grade] ? t(GRADE[h.grade] as MessageKey, lang) : '–',
          predicted: formatShare(h.overall.predicted, lang),
          observed: formatShare(h.overall.observed, lang),
        }),
      );
    }
    if (h.example)
      items.push(
        t('trustExample', lang, {
          n: formatNumber(h.example.customers, lang, 0),
          predicted: formatShare(h.example.predicted, lang),
          observed: formatShare(h.example.observed, lang),
        }),
      );
    if (h.seasonal && trust.seasonalWindow)
      items.push(
        t('trustSeasonal', lang, {
          cutoff: formatDate(trust.seasonalWindow.cutoff, lang),
          end: formatDate(trust.seasonalWindow.end, lang),
          h: h.horizon,
          predicted: formatShare(h.seasonal.predicted, lang),
          observed: formatShare(h.seasonal.observed, lang),
        }),
      );
  }
  if (!trust.seasonalWindow && trust.window) items.push(t('trustNoSeason', lang));
  items.push(t('trustLifetime', lang, { model: modelName(trust.lifetimeModel, lang) }));
  if (trust.skipped.length > 0)
    items.push(t('trustSkipped', lang, { models: trust.skipped.map((m) => modelName(m, lang)).join(', ') }));
  return items;
}
