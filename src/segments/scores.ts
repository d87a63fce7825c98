import { inputError, show } from '../core/errors.js';
import { addDays, toIsoDate } from '../core/time.js';
import type { CustomerPrediction } from '../timing/types.js';
import type { LifecycleAssignment, LifecycleDecision } from './lifecycle.js';
import type { RfmScore } from './rfm.js';

export type ScoreColumnType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN' | 'DATE';

/**
 * The scores table (scores.parquet / scores.csv) as data: column order, SQL type, meaning, and whether a value
 * is always present. {@link ScoreRow} is derived from it, so the table and the type cannot drift apart.
 */
export const SCORE_COLUMNS = [
  { name: 'customer_id', type: 'VARCHAR', required: true, description: 'customer identifier' },
  { name: 'persona_id', type: 'VARCHAR', description: 'persona (cluster) identity, stable across retrains' },
  { name: 'persona_name', type: 'VARCHAR', description: 'persona display name' },
  {
    name: 'lifecycle',
    type: 'VARCHAR',
    required: true,
    description: 'lifecycle segment (prospect, new, active, due, at_risk, lapsed, win_back, reactivated)',
  },
  { name: 'lifecycle_rule', type: 'VARCHAR', required: true, description: 'the lifecycle rule that fired' },
  {
    name: 'lifecycle_reason',
    type: 'VARCHAR',
    required: true,
    description: 'why, in English, with the numbers',
  },
  { name: 'lifecycle_reason_fr', type: 'VARCHAR', required: true, description: 'why, in French' },
  { name: 'lifecycle_values', type: 'VARCHAR', required: true, description: "the rule's numbers as JSON" },
  {
    name: 'vip',
    type: 'BOOLEAN',
    required: true,
    description: 'in the top share of purchasers by predicted CLV',
  },
  {
    name: 'rfm_recency',
    type: 'INTEGER',
    description: 'recency score (higher = more recent); null without a purchase',
  },
  { name: 'rfm_frequency', type: 'INTEGER', description: 'frequency score' },
  { name: 'rfm_monetary', type: 'INTEGER', description: 'monetary score' },
  { name: 'rfm_code', type: 'VARCHAR', description: 'the three scores as digits, e.g. 545' },
  { name: 'rfm_group', type: 'VARCHAR', description: 'named RFM group (champions, loyal, …, no_purchase)' },
  {
    name: 'rule_segments',
    type: 'VARCHAR',
    required: true,
    description: "rule-based segments the customer matches, joined by '|'",
  },
  { name: 'p_alive', type: 'DOUBLE', description: 'probability the customer is still active' },
  { name: 'p_buy_30', type: 'DOUBLE', description: 'probability of at least one purchase within 30 days' },
  { name: 'p_buy_60', type: 'DOUBLE', description: 'probability of at least one purchase within 60 days' },
  { name: 'p_buy_90', type: 'DOUBLE', description: 'probability of at least one purchase within 90 days' },
  { name: 'expected_purchases_90', type: 'DOUBLE', description: 'expected purchases within 90 days' },
  { name: 'next_purchase_days', type: 'DOUBLE', description: 'expected days until the next purchase' },
  { name: 'next_purchase_date', type: 'DATE', description: 'as-of + expected days (rounded)' },
  {
    name: 'next_purchase_date_low',
    type: 'DATE',
    description: "as-of + the interval's lower end (rounded down)",
  },
  {
    name: 'next_purchase_date_high',
    type: 'DATE',
    description: "as-of + the interval's upper end (rounded up)",
  },
  { name: 'expected_spend', type: 'DOUBLE', description: 'expected spend per purchase (Gamma-Gamma)' },
  { name: 'predicted_clv', type: 'DOUBLE', description: 'predicted customer lifetime value' },
  { name: 'timing_model', type: 'VARCHAR', description: 'the model behind the predictions' },
  {
    name: 'next_category',
    type: 'VARCHAR',
    description: 'cross-sell: the category not bought yet the customer is most likely to buy next',
  },
  {
    name: 'next_category_score',
    type: 'DOUBLE',
    description: "its score under the cross-sell method run.json names (item_cf: summed cosine similarity; lift: co-purchase lift)",
  },
] as const satisfies readonly { name: string; type: ScoreColumnType; description: string; required?: true }[];

export type ScoreColumnName = (typeof SCORE_COLUMNS)[number]['name'];

type ScoreColumn = (typeof SCORE_COLUMNS)[number];
type ValueOf<T extends ScoreColumnType> = T extends 'VARCHAR' | 'DATE'
  ? string
  : T extends 'BOOLEAN'
    ? boolean
    : number;

/** One row of the scores table (keys and types from SCORE_COLUMNS); dates are ISO `YYYY-MM-DD` strings. */
export type ScoreRow = {
  readonly [C in ScoreColumn as C['name']]: C extends { required: true }
    ? ValueOf<C['type']>
    : ValueOf<C['type']> | null;
};

export interface PersonaAssignment {
  readonly customerId: string;
  readonly personaId: string | number;
  readonly personaName: string;
}

export interface RuleMembership {
  readonly customerId: string;
  readonly segments: readonly string[];
}

export interface ScoreInputs {
  readonly asOf: Date;
  /** The consented customers (profiling consent granted, not erased), in output order. */
  readonly customerIds: readonly string[];
  /** Erased customers: left out even if listed above (defence in depth). */
  readonly erased?: ReadonlySet<string>;
  /** One lifecycle assignment per listed customer (required). */
  readonly lifecycle: readonly LifecycleAssignment[];
  readonly predictions?: readonly CustomerPrediction[];
  readonly rfm?: readonly RfmScore[];
  readonly personas?: readonly PersonaAssignment[];
  readonly rules?: readonly RuleMembership[];
}

const MAX_DATED_DAYS = 36_525;

/**
 * Assembles the scores table: one row per consented, non-erased customer, in `customerIds` order.
 * Customers without a prediction (e.g. prospects), an RFM score or a persona get nulls there.
 */
export function buildScoreRows(inputs: ScoreInputs): ScoreRow[] {
  return [...scoreRowSource(inputs)];
}

/**
 * The rows {@link buildScoreRows} gives, built anew each time they are iterated: a million customers' rows are
 * never held at once (each row is written, counted or exported, then let go). The inputs are checked once, here,
 * with the same errors.
 */
export function scoreRowSource(inputs: ScoreInputs): Iterable<ScoreRow> {
  const lifecycle = byCustomer(inputs.lifecycle, 'lifecycle');
  const predictions = byCustomer(inputs.predictions ?? [], 'predictions');
  const rfm = byCustomer(inputs.rfm ?? [], 'rfm');
  const personas = byCustomer(inputs.personas ?? [], 'personas');
  const rules = byCustomer(inputs.rules ?? [], 'rules');
  const id = (row: number): string => inputs.customerIds[row] as string;
  return scoreRowsOnRows({
    asOf: inputs.asOf,
    customerIds: inputs.customerIds,
    ...(inputs.erased ? { erased: inputs.erased } : {}),
    hasLifecycle: (row) => lifecycle.has(id(row)),
    lifecycle: (row) => lifecycle.get(id(row)) as LifecycleAssignment,
    prediction: (row) => predictions.get(id(row)),
    rfm: (row) => rfm.get(id(row)),
    persona: (row) => personas.get(id(row)),
    ruleSegments: (row) => rules.get(id(row))?.segments,
  });
}

/**
 * The scores table's inputs read row by row, on the rows of `customerIds` (what the runner holds: typed columns on
 * the features' rows, each row's values built when asked for).
 */
export interface ScoreRowInputs {
  readonly asOf: Date;
  /** The consented customers (profiling consent granted, not erased), in output order. */
  readonly customerIds: readonly string[];
  /** Erased customers: left out even if listed above (defence in depth). */
  readonly erased?: ReadonlySet<string>;
  /** Whether the row has a lifecycle assignment (required of every row not erased). */
  readonly hasLifecycle?: (row: number) => boolean;
  readonly lifecycle: (row: number) => LifecycleDecision;
  readonly prediction?: (row: number) => CustomerPrediction | null | undefined;
  readonly rfm?: (row: number) => RfmScore | null | undefined;
  readonly persona?: (row: number) => PersonaAssignment | null | undefined;
  readonly ruleSegments?: (row: number) => readonly string[] | undefined;
  /** Cross-sell: the next best category and its score, when the customer has one. */
  readonly nextCategory?: (row: number) => { readonly category: string; readonly score: number } | undefined;
}

/** {@link scoreRowSource} on inputs read row by row: the same rows, checks and errors. */
export function scoreRowsOnRows(inputs: ScoreRowInputs): Iterable<ScoreRow> {
  const erased = inputs.erased ?? new Set<string>();
  // Ids in strictly increasing order (the features' rows are sorted by customer id) repeat none: a set of a
  // million ids is built only for ids in another order.
  let increasing = true;
  for (let row = 1; row < inputs.customerIds.length && increasing; row++)
    increasing = (inputs.customerIds[row - 1] as string) < (inputs.customerIds[row] as string);
  const seen = increasing ? undefined : new Set<string>();
  inputs.customerIds.forEach((id, row) => {
    if (seen?.has(id)) inputError('scores_duplicate', `scores: customer ${show(id)} is listed twice`);
    seen?.add(id);
    if (!erased.has(id) && inputs.hasLifecycle && !inputs.hasLifecycle(row)) {
      inputError(
        'scores_missing_lifecycle',
        `scores: customer ${show(id)} has no lifecycle segment`,
        'assign lifecycle segments to every consented customer',
      );
    }
  });
  seen?.clear();
  return {
    *[Symbol.iterator]() {
      for (const [row, id] of inputs.customerIds.entries()) {
        if (erased.has(id)) continue;
        const next = inputs.nextCategory?.(row);
        const scored = scoreRow(
          inputs.asOf,
          id,
          inputs.lifecycle(row),
          inputs.prediction?.(row) ?? undefined,
          inputs.rfm?.(row) ?? undefined,
          inputs.persona?.(row) ?? undefined,
          inputs.ruleSegments?.(row),
        );
        yield next ? { ...scored, next_category: next.category, next_category_score: next.score } : scored;
      }
    },
  };
}

/**
 * Where a score row places its customer: persona, lifecycle segment and rule segments (what the campaign KPIs group
 * customers by), with the customer's row of `customerIds`.
 */
export interface ScoreGroups {
  readonly row: number;
  readonly customer_id: string;
  readonly persona_id: string | null;
  readonly persona_name: string | null;
  readonly lifecycle: string;
  /** As `rule_segments` holds them: each once, sorted. */
  readonly rule_segments: readonly string[];
}

/**
 * The groups of the rows {@link scoreRowsOnRows} gives for the same inputs, in the same order, without building the
 * rows: their reasons, RFM codes, dates and JSON cost seconds of CPU and a heap of garbage at a million customers.
 * `segment(row)` is the segment `lifecycle(row)` decides. The rows' checks are not repeated: they run where the rows
 * are first built (the scores stage writes them before anything reads the groups).
 */
export function scoreGroupsOnRows(
  inputs: Pick<ScoreRowInputs, 'customerIds' | 'erased' | 'persona' | 'ruleSegments'> & {
    readonly segment: (row: number) => string;
  },
): Iterable<ScoreGroups> {
  const erased = inputs.erased ?? new Set<string>();
  return {
    *[Symbol.iterator]() {
      for (const [row, id] of inputs.customerIds.entries()) {
        if (erased.has(id)) continue;
        const persona = inputs.persona?.(row) ?? undefined;
        const rules = inputs.ruleSegments?.(row) ?? [];
        yield {
          row,
          customer_id: id,
          persona_id: persona ? String(persona.personaId) : null,
          persona_name: persona?.personaName ?? null,
          lifecycle: inputs.segment(row),
          rule_segments: rules.length === 0 ? [] : [...new Set(rules)].sort(),
        };
      }
    },
  };
}

function scoreRow(
  asOf: Date,
  id: string,
  life: LifecycleDecision,
  p: CustomerPrediction | undefined,
  r: RfmScore | undefined,
  persona: PersonaAssignment | undefined,
  ruleSegments: readonly string[] | undefined,
): ScoreRow {
  return {
    customer_id: id,
    persona_id: persona ? String(persona.personaId) : null,
    persona_name: persona?.personaName ?? null,
    lifecycle: life.segment,
    lifecycle_rule: life.reason.rule,
    lifecycle_reason: life.reason.text.en,
    lifecycle_reason_fr: life.reason.text.fr,
    lifecycle_values: JSON.stringify(life.reason.values),
    vip: life.vip,
    rfm_recency: r?.recency ?? null,
    rfm_frequency: r?.frequency ?? null,
    rfm_monetary: r?.monetary ?? null,
    rfm_code: r?.code ?? null,
    rfm_group: r?.group ?? null,
    rule_segments: joinRuleSegments(id, ruleSegments ?? []),
    p_alive: p?.pAlive ?? null,
    p_buy_30: p?.pBuy30 ?? null,
    p_buy_60: p?.pBuy60 ?? null,
    p_buy_90: p?.pBuy90 ?? null,
    expected_purchases_90: p?.expectedPurchases90 ?? null,
    next_purchase_days: p?.nextPurchaseDays ?? null,
    next_purchase_date: datedAfter(asOf, p?.nextPurchaseDays, Math.round),
    next_purchase_date_low: datedAfter(asOf, p?.nextPurchaseLow, Math.floor),
    next_purchase_date_high: datedAfter(asOf, p?.nextPurchaseHigh, Math.ceil),
    expected_spend: p?.expectedSpend ?? null,
    predicted_clv: p?.clv ?? null,
    timing_model: p?.model ?? null,
    next_category: null,
    next_category_score: null,
  };
}

/** As-of + `days` (rounded), as an ISO date; null without a finite wait or beyond a century. */
function datedAfter(asOf: Date, days: number | null | undefined, round: (x: number) => number): string | null {
  // A wait beyond a century (a customer the model thinks is almost surely gone) has no meaningful date.
  return days == null || !Number.isFinite(days) || days > MAX_DATED_DAYS ? null : toIsoDate(addDays(asOf, round(days)));
}

/** Splits the scores table's rule_segments cell back into segment names. */
export function splitRuleSegments(cell: string): string[] {
  return cell === '' ? [] : cell.split('|');
}

function joinRuleSegments(id: string, segments: readonly string[]): string {
  if (segments.length === 0) return '';
  for (const s of segments) {
    if (s === '' || s.includes('|')) {
      inputError(
        'rule_segment_name',
        `rule segment name ${show(s)} of customer ${show(id)} is empty or contains '|'`,
        "rename the segment in the rules file; '|' separates segments in scores.csv",
      );
    }
  }
  return [...new Set(segments)].sort().join('|');
}

function byCustomer<T extends { readonly customerId: string }>(
  rows: readonly T[],
  label: string,
): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    if (map.has(row.customerId))
      inputError('scores_duplicate', `scores: ${label} has customer ${show(row.customerId)} twice`);
    map.set(row.customerId, row);
  }
  return map;
}
