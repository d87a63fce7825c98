import {
  lifecycleSettingsSchema,
  parseSettings,
  type LifecycleSettings,
  type LifecycleSettingsInput,
} from '../config/segments-schema.js';
import { inputError, show } from '../core/errors.js';
import { formatNumber, quantileSorted, type Reason, type ReasonValues } from './reason.js';

/**
 * Lifecycle segments: a state machine over each customer's history and timing predictions.
 *
 * The rules are evaluated top to bottom and the first that matches decides the segment (the `rule` of the
 * reason). Settings are the `segments.lifecycle` config keys (defaults in brackets).
 *
 * | # | rule                    | segment     | condition                                                                                   |
 * |---|-------------------------|-------------|---------------------------------------------------------------------------------------------|
 * | 1 | no_purchase             | prospect    | no completed purchase yet                                                                   |
 * | 2 | bought_after_lapse      | reactivated | previous run said lapsed or win_back, and the last purchase is after that run (or, when the previous run's date is unknown, within reactivated_within_days [30]) |
 * | 3 | first_purchase_recent   | new         | first purchase at most new_within_days [30] ago                                             |
 * | 4 | lapsed_high_value       | win_back    | lapsed (rule 6 or 7), last purchase at most win_back_max_days [730] ago, past spend ≥ the win_back_value_quantile [0.75] of purchasers' spend |
 * | 5 | lapsed_recently_engaged | win_back    | lapsed, last purchase at most win_back_max_days ago, engaged within win_back_engaged_within_days [30] |
 * | 6 | p_alive_low             | lapsed      | P(alive) < lapsed_p_alive [0.30]                                                            |
 * | 7 | long_silence            | lapsed      | no purchase for more than lapsed_after_days [365], or lapsed_single_order_days [180] for a one-purchase customer |
 * | 8 | overdue_rhythm          | at_risk     | repeat buyer: days since last purchase > at_risk_interval_factor [1.61] × typical interval  |
 * | 9 | overdue_first_repeat    | at_risk     | one-order customer: days since the purchase > at_risk_single_order_days [90]                |
 * |10 | next_purchase_soon      | due         | expected next purchase within due_within_days [14]                                          |
 * |11 | steady                  | active      | everything else: alive, on rhythm, next purchase not imminent                               |
 *
 * Overlay: `vip` when predicted CLV is positive and within the top vip_top_share [10%] of purchasers
 * (all customers tied with the cut-off value are in, so the share can be slightly exceeded).
 * Rule 8's factor ln 5 ≈ 1.61 is the upper end of an 80% interval of the wait for a customer who buys as a
 * Poisson process with the typical interval as mean, the BG/NBD model's assumption while alive: past it, the
 * customer is overdue beyond what the model would expect 80% of the time.
 */

export const LIFECYCLE_SEGMENTS = [
  'prospect',
  'new',
  'active',
  'due',
  'at_risk',
  'lapsed',
  'win_back',
  'reactivated',
] as const;
export type LifecycleSegment = (typeof LIFECYCLE_SEGMENTS)[number];

/** Display names for marketers, English and French. */
export const LIFECYCLE_LABELS: Readonly<Record<LifecycleSegment, { en: string; fr: string }>> = {
  prospect: { en: 'Prospect', fr: 'Prospect' },
  new: { en: 'New', fr: 'Nouveau' },
  active: { en: 'Active', fr: 'Actif' },
  due: { en: 'Due', fr: 'Achat attendu' },
  at_risk: { en: 'At risk', fr: 'À risque' },
  lapsed: { en: 'Lapsed', fr: 'Inactif' },
  win_back: { en: 'Win-back', fr: 'À reconquérir' },
  reactivated: { en: 'Reactivated', fr: 'Réactivé' },
};

/** One customer's history and predictions at the as-of date. */
export interface LifecycleInput {
  readonly customerId: string;
  readonly daysSinceFirstPurchase: number | null;
  readonly daysSinceLastPurchase: number | null;
  /** Completed purchases up to the as-of date. */
  readonly orders: number;
  readonly pAlive: number;
  readonly pBuy30: number;
  /** Expected days until the next purchase and the upper end of its interval; null when not predictable. */
  readonly nextPurchaseDays: number | null;
  readonly nextPurchaseHigh: number | null;
  /** Mean days between this customer's purchases; null with fewer than two purchases. */
  readonly typicalIntervalDays: number | null;
  /** Predicted customer lifetime value. */
  readonly clv: number;
  /** Total completed spend so far (the win-back value signal); omit when unknown. */
  readonly monetary?: number | null;
  /** Days since the last engagement event (email click, visit…); omit when unknown. */
  readonly daysSinceLastEngagement?: number | null;
  /** The segment this customer had in the previous run, if any. */
  readonly previousSegment?: string | null;
}

/** A customer's segment, the reason for it, and the VIP flag (what the scores table writes). */
export interface LifecycleDecision {
  readonly customerId: string;
  readonly segment: LifecycleSegment;
  readonly reason: Reason;
  readonly vip: boolean;
}

export interface LifecycleAssignment extends LifecycleDecision {
  /** Why the customer is (or is not) VIP; null for customers without a purchase. */
  readonly vipReason: Reason | null;
}

export interface LifecycleOptions {
  /** Days between the previous run's as-of date and this one; decides "bought again since". */
  readonly daysSincePreviousRun?: number;
}

/** Population-level numbers the rules compare against. */
interface Context {
  readonly settings: LifecycleSettings;
  readonly winBackSpendCutoff: number | null;
  readonly reactivationWindow: number;
  readonly reactivationWindowSource: 'previous_run' | 'setting';
}

type Match = ReasonValues | null;

export interface LifecycleRule {
  readonly rule: string;
  readonly segment: LifecycleSegment;
  /** The condition in words, naming the settings (for the report and the docs). */
  readonly condition: string;
  readonly match: (c: LifecycleInput, ctx: Context) => Match;
  readonly text: (v: ReasonValues, lang: 'en' | 'fr') => string;
}

const LAPSED_PREVIOUS = new Set(['lapsed', 'win_back']);

function lapseEvidence(c: LifecycleInput, s: LifecycleSettings): Match {
  if (c.pAlive < s.lapsed_p_alive)
    return { p_alive: c.pAlive, threshold: s.lapsed_p_alive, signal: 'p_alive' };
  const days = c.daysSinceLastPurchase ?? 0;
  const single = c.typicalIntervalDays === null;
  const limit = single ? s.lapsed_single_order_days : s.lapsed_after_days;
  if (days > limit) {
    return {
      days_since_last_purchase: days,
      threshold: limit,
      signal: single ? 'silence_single' : 'silence',
    };
  }
  return null;
}

function winBackable(c: LifecycleInput, s: LifecycleSettings): boolean {
  return (c.daysSinceLastPurchase ?? Infinity) <= s.win_back_max_days;
}

function lapseText(v: ReasonValues, lang: 'en' | 'fr'): string {
  if (v.signal === 'p_alive')
    return `P(alive) ${formatNumber(v.p_alive, lang, 2)} < ${formatNumber(v.threshold, lang, 2)}`;
  const days = formatNumber(v.days_since_last_purchase, lang, 0);
  const thr = formatNumber(v.threshold, lang, 0);
  if (v.signal === 'silence_single') {
    return lang === 'en'
      ? `one purchase only, ${days} days ago > ${thr}`
      : `un seul achat, il y a ${days} jours > ${thr}`;
  }
  return lang === 'en'
    ? `no purchase for ${days} days > ${thr}`
    : `aucun achat depuis ${days} jours > ${thr}`;
}

/** The state machine as data, in evaluation order (see the table above). */
export const LIFECYCLE_RULES: readonly LifecycleRule[] = [
  {
    rule: 'no_purchase',
    segment: 'prospect',
    condition: 'no completed purchase yet',
    match: (c) => (c.orders === 0 || c.daysSinceLastPurchase === null ? { orders: c.orders } : null),
    text: (_v, lang) => (lang === 'en' ? 'no completed purchase yet' : 'aucun achat finalisé'),
  },
  {
    rule: 'bought_after_lapse',
    segment: 'reactivated',
    condition:
      "lapsed or win_back at the previous run, and bought after it (within reactivated_within_days when the previous run's date is unknown)",
    match: (c, ctx) =>
      c.previousSegment != null &&
      LAPSED_PREVIOUS.has(c.previousSegment) &&
      (c.daysSinceLastPurchase ?? Infinity) < ctx.reactivationWindow
        ? {
            previous_segment: c.previousSegment,
            days_since_last_purchase: c.daysSinceLastPurchase,
            window_days: ctx.reactivationWindow,
            window: ctx.reactivationWindowSource,
          }
        : null,
    text: (v, lang) => {
      const days = formatNumber(v.days_since_last_purchase, lang, 0);
      const win = formatNumber(v.window_days, lang, 0);
      const prev = LIFECYCLE_LABELS[v.previous_segment as LifecycleSegment][lang].toLowerCase();
      if (v.window === 'previous_run') {
        return lang === 'en'
          ? `${prev} at the previous run (${win} days ago), bought again ${days} days ago`
          : `${prev} au run précédent (il y a ${win} jours), a racheté il y a ${days} jours`;
      }
      return lang === 'en'
        ? `${prev} at the previous run, bought again ${days} days ago < ${win}`
        : `${prev} au run précédent, a racheté il y a ${days} jours < ${win}`;
    },
  },
  {
    rule: 'first_purchase_recent',
    segment: 'new',
    condition: 'first purchase at most new_within_days ago',
    match: (c, { settings: s }) =>
      c.daysSinceFirstPurchase !== null && c.daysSinceFirstPurchase <= s.new_within_days
        ? { days_since_first_purchase: c.daysSinceFirstPurchase, threshold: s.new_within_days }
        : null,
    text: (v, lang) =>
      lang === 'en'
        ? `first purchase ${formatNumber(v.days_since_first_purchase, lang, 0)} days ago ≤ ${formatNumber(v.threshold, lang, 0)}`
        : `premier achat il y a ${formatNumber(v.days_since_first_purchase, lang, 0)} jours ≤ ${formatNumber(v.threshold, lang, 0)}`,
  },
  {
    rule: 'lapsed_high_value',
    segment: 'win_back',
    condition:
      'lapsed (P(alive) < lapsed_p_alive, or silent beyond lapsed_after_days / lapsed_single_order_days), last purchase at most win_back_max_days ago, past spend at or above the win_back_value_quantile of purchasers',
    match: (c, { settings: s, winBackSpendCutoff: cutoff }) => {
      const lapse = lapseEvidence(c, s);
      if (!lapse || !winBackable(c, s) || cutoff === null || c.monetary == null || c.monetary < cutoff)
        return null;
      return {
        ...lapse,
        monetary: c.monetary,
        spend_cutoff: cutoff,
        spend_quantile: s.win_back_value_quantile,
      };
    },
    text: (v, lang) => {
      const spend = formatNumber(v.monetary, lang, 2);
      const cut = formatNumber(v.spend_cutoff, lang, 2);
      const q = formatNumber(Number(v.spend_quantile) * 100, lang, 0);
      return lang === 'en'
        ? `lapsed (${lapseText(v, lang)}) but past spend ${spend} ≥ ${cut} (${q}th percentile)`
        : `inactif (${lapseText(v, lang)}) mais dépense passée ${spend} ≥ ${cut} (${q}e centile)`;
    },
  },
  {
    rule: 'lapsed_recently_engaged',
    segment: 'win_back',
    condition:
      'lapsed, last purchase at most win_back_max_days ago, engaged within win_back_engaged_within_days',
    match: (c, { settings: s }) => {
      const lapse = lapseEvidence(c, s);
      const engaged = c.daysSinceLastEngagement;
      if (!lapse || !winBackable(c, s) || engaged == null || engaged > s.win_back_engaged_within_days)
        return null;
      return {
        ...lapse,
        days_since_engagement: engaged,
        engagement_threshold: s.win_back_engaged_within_days,
      };
    },
    text: (v, lang) => {
      const days = formatNumber(v.days_since_engagement, lang, 0);
      const thr = formatNumber(v.engagement_threshold, lang, 0);
      return lang === 'en'
        ? `lapsed (${lapseText(v, lang)}) but engaged ${days} days ago ≤ ${thr}`
        : `inactif (${lapseText(v, lang)}) mais engagé il y a ${days} jours ≤ ${thr}`;
    },
  },
  {
    rule: 'p_alive_low',
    segment: 'lapsed',
    condition: 'P(alive) < lapsed_p_alive',
    match: (c, { settings: s }) =>
      c.pAlive < s.lapsed_p_alive
        ? { p_alive: c.pAlive, threshold: s.lapsed_p_alive, signal: 'p_alive' }
        : null,
    text: lapseText,
  },
  {
    rule: 'long_silence',
    segment: 'lapsed',
    condition:
      'no purchase for more than lapsed_after_days (lapsed_single_order_days with a single purchase day)',
    match: (c, { settings: s }) => lapseEvidence(c, s),
    text: lapseText,
  },
  {
    rule: 'overdue_rhythm',
    segment: 'at_risk',
    condition: "days since the last purchase > at_risk_interval_factor × the customer's typical interval",
    match: (c, { settings: s }) => {
      if (c.typicalIntervalDays === null || c.daysSinceLastPurchase === null) return null;
      const limit = s.at_risk_interval_factor * c.typicalIntervalDays;
      return c.daysSinceLastPurchase > limit
        ? {
            days_since_last_purchase: c.daysSinceLastPurchase,
            typical_interval_days: c.typicalIntervalDays,
            factor: s.at_risk_interval_factor,
            limit_days: limit,
          }
        : null;
    },
    text: (v, lang) => {
      const days = formatNumber(v.days_since_last_purchase, lang, 0);
      const limit = formatNumber(v.limit_days, lang, 0);
      const factor = formatNumber(v.factor, lang, 2);
      const typical = formatNumber(v.typical_interval_days, lang, 0);
      return lang === 'en'
        ? `no purchase for ${days} days > ${limit} (${factor} × typical interval of ${typical} days)`
        : `aucun achat depuis ${days} jours > ${limit} (${factor} × intervalle habituel de ${typical} jours)`;
    },
  },
  {
    rule: 'overdue_first_repeat',
    segment: 'at_risk',
    condition: 'a single purchase day, more than at_risk_single_order_days ago',
    match: (c, { settings: s }) =>
      c.typicalIntervalDays === null &&
      c.daysSinceLastPurchase !== null &&
      c.daysSinceLastPurchase > s.at_risk_single_order_days
        ? { days_since_last_purchase: c.daysSinceLastPurchase, threshold: s.at_risk_single_order_days }
        : null,
    text: (v, lang) => {
      const days = formatNumber(v.days_since_last_purchase, lang, 0);
      const thr = formatNumber(v.threshold, lang, 0);
      return lang === 'en'
        ? `one purchase only, ${days} days ago > ${thr}`
        : `un seul achat, il y a ${days} jours > ${thr}`;
    },
  },
  {
    rule: 'next_purchase_soon',
    segment: 'due',
    condition: 'expected next purchase within due_within_days',
    match: (c, { settings: s }) =>
      c.nextPurchaseDays !== null && c.nextPurchaseDays <= s.due_within_days
        ? {
            next_purchase_days: c.nextPurchaseDays,
            next_purchase_high: c.nextPurchaseHigh,
            threshold: s.due_within_days,
          }
        : null,
    text: (v, lang) => {
      const days = formatNumber(v.next_purchase_days, lang, 0);
      const thr = formatNumber(v.threshold, lang, 0);
      const high = v.next_purchase_high === null ? '' : formatNumber(v.next_purchase_high, lang, 0);
      if (lang === 'fr')
        return `prochain achat attendu dans ${days} jours ≤ ${thr}${high ? ` (jusqu'à ${high} jours)` : ''}`;
      return `next purchase expected in ${days} days ≤ ${thr}${high ? ` (interval up to ${high} days)` : ''}`;
    },
  },
  {
    rule: 'steady',
    segment: 'active',
    condition: 'none of the above: alive, on rhythm, next purchase not imminent',
    match: (c) => ({ p_alive: c.pAlive, p_buy_30: c.pBuy30, next_purchase_days: c.nextPurchaseDays }),
    text: (v, lang) => {
      const next = v.next_purchase_days === null ? '' : formatNumber(v.next_purchase_days, lang, 0);
      const base = `P(alive) ${formatNumber(v.p_alive, lang, 2)}, P(buy 30d) ${formatNumber(v.p_buy_30, lang, 2)}`;
      if (lang === 'fr') return `${base}${next ? `, prochain achat attendu dans ${next} jours` : ''}`;
      return `${base}${next ? `, next purchase expected in ${next} days` : ''}`;
    },
  },
];

/**
 * Assigns every customer a lifecycle segment with its reason and the VIP overlay. Thresholds come from the
 * `segments.lifecycle` settings (validated here; defaults when omitted). Population quantiles (the VIP and
 * win-back cut-offs) are computed over the given customers, so pass the whole scored population.
 */
export function assignLifecycle(
  customers: readonly LifecycleInput[],
  settings: LifecycleSettingsInput = {},
  options: LifecycleOptions = {},
): LifecycleAssignment[] {
  const table = classifyLifecycle(customers.length, (i) => customers[i] as LifecycleInput, settings, options);
  return customers.map((c, i) => lifecycleAssignment(table, i, c));
}

/**
 * What {@link assignLifecycle} decides, for many customers at once, as typed columns (a byte or three per
 * customer): the rule that fired and the VIP flag. The reasons (numbers, English and French sentences) are not
 * held: {@link lifecycleAssignment} recomputes them from the same input when a row is written.
 */
export interface LifecycleTable {
  readonly count: number;
  /** Index into LIFECYCLE_RULES of the rule that fired (its segment is the customer's). */
  readonly rule: Uint8Array;
  /** 1 for a VIP. */
  readonly vip: Uint8Array;
  /** The population figures the rules and the VIP overlay compare against. */
  readonly context: Context;
  readonly vipCutoff: number | null;
}

/**
 * {@link assignLifecycle} over `count` customers given one at a time by `inputAt` (which may build each input on
 * demand; it is read twice per customer): the same checks, cut-offs and decisions, held as a {@link LifecycleTable}.
 */
export function classifyLifecycle(
  count: number,
  inputAt: (i: number) => LifecycleInput,
  settings: LifecycleSettingsInput = {},
  options: LifecycleOptions = {},
): LifecycleTable {
  const s = parseSettings(lifecycleSettingsSchema, settings, 'segments.lifecycle');
  validateInputs(count, inputAt, options);
  const spend: number[] = [];
  const purchaserClv: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const c = inputAt(i);
    if (!(c.orders > 0 && c.daysSinceLastPurchase !== null)) continue;
    if (c.monetary != null) spend.push(c.monetary);
    purchaserClv.push(c.clv);
  }
  spend.sort((a, b) => a - b);
  const context: Context = {
    settings: s,
    winBackSpendCutoff: spend.length > 0 ? quantileSorted(spend, s.win_back_value_quantile) : null,
    reactivationWindow: options.daysSincePreviousRun ?? s.reactivated_within_days,
    reactivationWindowSource: options.daysSincePreviousRun === undefined ? 'setting' : 'previous_run',
  };
  const vipCutoff = topShareCutoff(purchaserClv, s.vip_top_share);
  const rule = new Uint8Array(count);
  const vip = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    const c = inputAt(i);
    let fired = 0;
    while ((LIFECYCLE_RULES[fired] as LifecycleRule).match(c, context) === null) fired += 1;
    rule[i] = fired;
    const isPurchaser = (LIFECYCLE_RULES[fired] as LifecycleRule).segment !== 'prospect';
    vip[i] = isPurchaser && vipCutoff !== null && c.clv > 0 && c.clv >= vipCutoff ? 1 : 0;
  }
  return { count, rule, vip, context, vipCutoff };
}

/** The segment of the customer at `i` of a {@link LifecycleTable}. */
export function lifecycleSegmentAt(table: LifecycleTable, i: number): LifecycleSegment {
  return (LIFECYCLE_RULES[table.rule[i] as number] as LifecycleRule).segment;
}

/**
 * The whole assignment of the customer at `i` of a {@link LifecycleTable}, reasons included, recomputed from the
 * customer's input (the one `classifyLifecycle` was given at `i`).
 */
export function lifecycleAssignment(table: LifecycleTable, i: number, c: LifecycleInput): LifecycleAssignment {
  const decision = lifecycleDecision(table, i, c);
  return {
    ...decision,
    vipReason:
      decision.segment === 'prospect'
        ? null
        : vipReason(c.clv, table.vipCutoff, table.context.settings.vip_top_share, decision.vip),
  };
}

/** {@link lifecycleAssignment} without the VIP reason (which the scores table does not write). */
export function lifecycleDecision(table: LifecycleTable, i: number, c: LifecycleInput): LifecycleDecision {
  const rule = LIFECYCLE_RULES[table.rule[i] as number] as LifecycleRule;
  const values = rule.match(c, table.context);
  if (values === null) throw new Error(`lifecycle input ${i} (customer ${c.customerId}) is not the one classified`);
  return {
    customerId: c.customerId,
    segment: rule.segment,
    reason: { rule: rule.rule, values, text: { en: rule.text(values, 'en'), fr: rule.text(values, 'fr') } },
    vip: table.vip[i] === 1,
  };
}

/**
 * The smallest value still inside the top `share` of `values` (the ceil(share·n)-th largest), or null when
 * there are no values. Everyone tied with it is in, so the result never depends on input order.
 */
export function topShareCutoff(values: readonly number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => b - a);
  const count = Math.max(1, Math.ceil(share * sorted.length - 1e-9));
  return sorted[count - 1] ?? null;
}

function vipReason(clv: number, cutoff: number | null, share: number, vip: boolean): Reason {
  const values: ReasonValues = { clv, cutoff, top_share: share };
  const pct = (lang: 'en' | 'fr') => formatNumber(share * 100, lang, Number.isInteger(share * 100) ? 0 : 1);
  const text = (lang: 'en' | 'fr'): string => {
    const v = formatNumber(clv, lang, 2);
    const c = formatNumber(cutoff, lang, 2);
    if (lang === 'fr')
      return `CLV prédite ${v} ${vip ? '≥' : '<'} ${c} (${vip ? '' : 'hors '}top ${pct(lang)} %)`;
    return `predicted CLV ${v} ${vip ? '≥' : '<'} ${c} (${vip ? '' : 'outside the '}top ${pct(lang)}%)`;
  };
  return { rule: vip ? 'top_clv' : 'below_top_clv', values, text: { en: text('en'), fr: text('fr') } };
}

const OPTIONAL_DAYS = [
  'daysSinceFirstPurchase',
  'daysSinceLastPurchase',
  'nextPurchaseDays',
  'nextPurchaseHigh',
  'typicalIntervalDays',
  'monetary',
  'daysSinceLastEngagement',
] as const;

function validateInputs(count: number, inputAt: (i: number) => LifecycleInput, options: LifecycleOptions): void {
  if (options.daysSincePreviousRun !== undefined && !(options.daysSincePreviousRun > 0)) {
    inputError(
      'lifecycle_previous_run',
      `daysSincePreviousRun is ${show(options.daysSincePreviousRun)}; it must be a positive number of days`,
      'pass the gap between the previous run as-of date and this one, or omit it',
    );
  }
  const seen = new Set<string>();
  // The message is built only on failure: this loop runs once per customer.
  const fail = (i: number, c: LifecycleInput, problem: string, hint?: string): never =>
    inputError(
      'lifecycle_input',
      `lifecycle input row ${i + 1} (customer ${show(c.customerId)}): ${problem}`,
      hint,
    );
  for (let i = 0; i < count; i += 1) {
    const c = inputAt(i);
    if (typeof c.customerId !== 'string' || c.customerId === '')
      fail(i, c, 'customerId is empty', 'every customer needs an id');
    if (seen.has(c.customerId)) fail(i, c, 'customer appears twice', 'pass one record per customer');
    seen.add(c.customerId);
    if (!Number.isInteger(c.orders) || c.orders < 0)
      fail(i, c, `orders is ${show(c.orders)}, expected a count ≥ 0`);
    if (!(c.pAlive >= 0 && c.pAlive <= 1))
      fail(i, c, `pAlive is ${show(c.pAlive)}, expected a probability in [0, 1]`);
    if (!(c.pBuy30 >= 0 && c.pBuy30 <= 1))
      fail(i, c, `pBuy30 is ${show(c.pBuy30)}, expected a probability in [0, 1]`);
    for (const key of OPTIONAL_DAYS) {
      const value = c[key];
      if (value != null && !(Number.isFinite(value) && value >= 0)) {
        fail(i, c, `${key} is ${show(value)}, expected a number ≥ 0 or null`);
      }
    }
    if (!Number.isFinite(c.clv)) fail(i, c, `clv is ${show(c.clv)}, expected a number`);
  }
}
