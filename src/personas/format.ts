import type { FeatureSpec } from '../features/types.js';
import type { Lang } from './types.js';

const LOCALES: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR' };

function digitsFor(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/** A number for prose and tables: fewer decimals for larger magnitudes, locale separators. */
export function formatNumber(x: number, lang: Lang, digits = digitsFor(x)): string {
  if (!Number.isFinite(x)) return '–';
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
}

/** A number with exactly `digits` decimals, for figures read side by side (AUC 0.80 next to 0.82, not 0.8). */
export function formatFixed(x: number, lang: Lang, digits: number): string {
  if (!Number.isFinite(x)) return '–';
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
}

export function formatShare(p: number, lang: Lang): string {
  if (!Number.isFinite(p)) return '–';
  const digits = Math.abs(p) < 0.1 && p !== 0 ? 1 : 0;
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: digits }).format(p);
}

/** A signed difference in percentage points, e.g. "+12 pts" / "+12 pts". */
export function formatPoints(diff: number, lang: Lang): string {
  const value = formatNumber(Math.abs(diff) * 100, lang, 0);
  return `${diff >= 0 ? '+' : '−'}${value}${lang === 'fr' ? '\u00a0pts' : ' pts'}`;
}

export function formatMoney(x: number, lang: Lang, currency?: string): string {
  if (!Number.isFinite(x)) return '–';
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency, maximumFractionDigits: Math.abs(x) >= 100 ? 0 : 2 }).format(x);
  }
  return formatNumber(x, lang);
}

export function formatDays(x: number, lang: Lang): string {
  const value = formatNumber(x, lang, Math.abs(x) >= 10 ? 0 : 1);
  return lang === 'fr' ? `${value}\u00a0j` : `${value} d`;
}

/** A feature value in its unit (shares as percentages, money with the currency, days with "d"). */
export function formatValue(x: number, unit: FeatureSpec['unit'] | undefined, lang: Lang, currency?: string): string {
  switch (unit) {
    case 'share':
    case 'rate':
      return formatShare(x, lang);
    case 'currency':
      return formatMoney(x, lang, currency);
    case 'days':
      return formatDays(x, lang);
    case 'years':
      return `${formatNumber(x, lang, 0)}${lang === 'fr' ? '\u00a0ans' : ' y'}`;
    default:
      return formatNumber(x, lang);
  }
}

/** A feature's value in its unit; a signed feature's (a trend, a lateness) carries "+" or a true minus sign. */
export function formatFeatureValue(
  x: number,
  spec: Pick<FeatureSpec, 'unit' | 'signed'> | undefined,
  lang: Lang,
  currency?: string,
): string {
  const text = formatValue(x, spec?.unit, lang, currency);
  if (!spec?.signed) return text;
  return x > 0 ? `+${text}` : text.replace(/^-/, '−');
}

/**
 * Relative comparison "×2.3" or "−40%" depending on size, for taglines; empty unless both values are
 * at least zero (a ratio to a negative or zero value reads as nonsense: "−295%" of a trend).
 */
export function formatRatio(value: number, population: number, lang: Lang): string {
  if (!(population > 0) || !(value >= 0) || !Number.isFinite(value)) return '';
  const ratio = value / population;
  if (ratio >= 1.5) return `×${formatNumber(ratio, lang, 1)}`;
  const pct = formatShare(Math.abs(ratio - 1), lang);
  return `${ratio >= 1 ? '+' : '−'}${pct}`;
}

/** A calendar day in words, e.g. "14 January 2026" / "14 janvier 2026" (ISO `YYYY-MM-DD` in, UTC). */
export function formatDate(iso: string, lang: Lang): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  // French writes the first of the month as an ordinal: « 1er novembre 2026 ».
  return lang === 'fr' && date.getUTCDate() === 1 ? text.replace(/^1 /, '1er ') : text;
}

/** An expected number of customers (a sum of probabilities): whole customers, one decimal below 10. */
export function formatExpectedCount(x: number, lang: Lang): string {
  return formatNumber(x, lang, Math.abs(x) < 10 ? 1 : 0);
}
