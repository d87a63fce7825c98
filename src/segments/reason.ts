/** The numbers behind a segment decision, by name (machine-readable; copied into the scores table as JSON). */
export type ReasonValues = Readonly<Record<string, number | string | null>>;

/** Why a customer is in a segment: the rule that fired, its numbers, and a sentence in English and French. */
export interface Reason {
  readonly rule: string;
  readonly values: ReasonValues;
  readonly text: { readonly en: string; readonly fr: string };
}

/**
 * A number for a reason sentence: at most `decimals` decimals, trailing zeros kept for probabilities and
 * money (decimals ≥ 2) so that "0.30" reads as a threshold; French uses a decimal comma.
 */
export function formatNumber(value: unknown, lang: 'en' | 'fr', decimals: number): string {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const text = n.toFixed(decimals);
  return lang === 'fr' ? text.replace('.', ',') : text;
}

/**
 * The q-quantile of ascending `sorted` values by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and NumPy).
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantile of an empty list');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
