import { configError, show } from '../core/errors.js';
import { addDays } from '../core/time.js';
import { quoteIdent, quoteLiteral } from '../io/duckdb.js';
import { referenceCatalogue } from '../features/catalogue.js';
import type { FeaturePlan } from '../features/plan.js';
import { asOfSql, withinLastDays, type AsOfSql } from '../features/sql/as-of.js';
import { answerItemsSql, latestAnswersSql } from '../features/sql/declared.js';
import { abandonedCartsSql } from '../features/sql/events.js';
import type { BirthdayCondition, Condition, DeclaredCondition, SegmentRule } from './rule-schema.js';

export type RuleTable = 'orders' | 'events' | 'zero_party' | 'next_categories';

/** The table cross-sell writes: one row per customer with a next best category (`next_category` conditions). */
export const NEXT_CATEGORIES_TABLE = 'next_categories';

export interface RuleContext {
  readonly asOf: Date;
  /** The table with one row per customer that rules select from (normally `features`). */
  readonly population: string;
  readonly populationColumns: ReadonlySet<string>;
  /** Source tables that exist. */
  readonly tables: ReadonlySet<RuleTable>;
}

export interface CompiledRules {
  readonly sql: string;
  /** Rules or parts of rules that cannot match on this data (absent table or feature), one line each. */
  readonly warnings: string[];
}

/** The question of the zero-party table read by `birthday` conditions. */
export const BIRTH_DATE_QUESTION = 'birth_date';

interface Compiler {
  readonly at: AsOfSql;
  readonly context: RuleContext;
  readonly rule: string;
  readonly warnings: string[];
}

/** Compiles rules to one CREATE TABLE <target>(customer_id, segment) statement (a customer may be in several). */
export function compileSegmentRules(rules: readonly SegmentRule[], context: RuleContext, target = 'rule_segments'): CompiledRules {
  const at = asOfSql(context.asOf);
  const warnings: string[] = [];
  const selects = rules.map((rule) => {
    const condition = compileCondition(rule.when, 'when', { at, context, rule: rule.name, warnings });
    return `SELECT p.customer_id, ${quoteLiteral(rule.name)} AS segment FROM ${quoteIdent(context.population)} p WHERE coalesce(${condition}, FALSE)`;
  });
  const body = selects.length > 0 ? selects.join('\nUNION ALL\n') : 'SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS segment WHERE FALSE';
  return {
    sql: `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS SELECT CAST(customer_id AS VARCHAR) AS customer_id, segment FROM (\n${body}\n) ORDER BY segment, customer_id`,
    warnings,
  };
}

function absent(c: Compiler, path: string, what: string): string {
  c.warnings.push(`segment ${show(c.rule)}: ${path} needs ${what}, absent from this data: the condition is false`);
  return 'FALSE';
}

function compileCondition(condition: Condition, path: string, c: Compiler): string {
  if ('all' in condition) return `(${condition.all.map((x, i) => compileCondition(x, `${path}.all[${i}]`, c)).join(' AND ')})`;
  if ('any' in condition) return `(${condition.any.map((x, i) => compileCondition(x, `${path}.any[${i}]`, c)).join(' OR ')})`;
  if ('not' in condition) return `(NOT coalesce(${compileCondition(condition.not, `${path}.not`, c)}, FALSE))`;
  if ('feature' in condition) return featureSql(condition, path, c);
  if ('orders' in condition) {
    if (!c.context.tables.has('orders')) return absent(c, path, 'the orders table');
    const o = condition.orders;
    const measure = o.measure === 'count' ? 'count(*)' : o.measure === 'amount' ? 'sum(o.amount)' : 'sum(o.items)';
    const filters = [
      'o.customer_id = p.customer_id',
      `o.ordered_at <= ${c.at.end}`,
      'o.amount > 0',
      `coalesce(o.status, 'completed') <> 'cancelled'`,
      ...windowSql(c.at, 'o.ordered_at', o),
      ...whereSql('o', o.where ?? {}),
    ];
    return thresholdSql(`coalesce((SELECT ${measure} FROM orders o WHERE ${filters.join(' AND ')}), 0)`, o);
  }
  if ('events' in condition) {
    if (!c.context.tables.has('events')) return absent(c, path, 'the events table');
    const e = condition.events;
    const measure = e.measure === 'count' ? 'count(*)' : 'sum(e.value)';
    const filters = [
      'e.customer_id = p.customer_id',
      `e.occurred_at <= ${c.at.end}`,
      `e.type IN (${e.types.map(quoteLiteral).join(', ')})`,
      ...windowSql(c.at, 'e.occurred_at', e),
      ...whereSql('e', e.where ?? {}),
    ];
    return thresholdSql(`coalesce((SELECT ${measure} FROM events e WHERE ${filters.join(' AND ')}), 0)`, e);
  }
  if ('abandoned_cart' in condition) {
    if (!c.context.tables.has('events')) return absent(c, path, 'the events table');
    const a = condition.abandoned_cart;
    const since =
      a.within_hours !== undefined
        ? `${c.at.end} - INTERVAL ${a.within_hours} HOUR`
        : a.within_days !== undefined
          ? `CAST(${c.at.day} - ${a.within_days} AS TIMESTAMP) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND`
          : `CAST('-infinity' AS TIMESTAMP)`;
    const plan: FeaturePlan = {
      asOf: c.context.asOf,
      population: c.context.population,
      ...(c.context.tables.has('orders') ? { orders: { details: new Set(['status' as const]), topCategories: [], topBrands: [], channels: [] } } : {}),
    };
    const carts = abandonedCartsSql(plan, c.at, since);
    return thresholdSql(`coalesce((SELECT sum(a.value) FROM (${carts}) a WHERE a.customer_id = p.customer_id), 0)`, a);
  }
  if ('declared' in condition) {
    if (!c.context.tables.has('zero_party')) return absent(c, path, 'the zero_party table');
    return declaredSql(condition.declared, c);
  }
  if ('next_category' in condition) {
    if (!c.context.tables.has('next_categories')) return absent(c, path, 'a next best category (orders with categories)');
    const n = condition.next_category;
    const values = n.in === undefined ? [] : typeof n.in === 'string' ? [n.in] : n.in;
    const filters = [
      'n.customer_id = p.customer_id',
      ...(values.length > 0 ? [`n.next_category IN (${values.map(quoteLiteral).join(', ')})`] : []),
      ...thresholdParts(n).map((t) => `n.next_category_score ${t}`),
    ];
    return `EXISTS (SELECT 1 FROM ${NEXT_CATEGORIES_TABLE} n WHERE ${filters.join(' AND ')})`;
  }
  if ('birthday' in condition) {
    if (!c.context.tables.has('zero_party')) return absent(c, path, 'the zero_party table');
    return birthdaySql(condition.birthday, c);
  }
  return configError('segments.rule', `segment ${show(c.rule)}: ${path}: unknown condition`);
}

function windowSql(at: AsOfSql, column: string, w: { within_days?: number | undefined; within_hours?: number | undefined }): string[] {
  if (w.within_days !== undefined) return [withinLastDays(at, `CAST(${column} AS DATE)`, w.within_days)];
  if (w.within_hours !== undefined) return [`${column} > ${at.end} - INTERVAL ${w.within_hours} HOUR`];
  return [];
}

function whereSql(alias: string, where: Readonly<Record<string, string | readonly string[] | undefined>>): string[] {
  return Object.entries(where)
    .filter((entry): entry is [string, string | readonly string[]] => entry[1] !== undefined)
    .map(([column, value]) => {
      const values = typeof value === 'string' ? [value] : value;
      return `${alias}.${quoteIdent(column)} IN (${values.map(quoteLiteral).join(', ')})`;
    });
}

interface Thresholds {
  readonly at_least?: number | undefined;
  readonly more_than?: number | undefined;
  readonly at_most?: number | undefined;
  readonly less_than?: number | undefined;
}

/** Thresholds on a measure; without any, the measure must be positive (at least one event, some value). */
function thresholdSql(measure: string, t: Thresholds): string {
  const parts = thresholdParts(t);
  return `(${(parts.length > 0 ? parts : ['> 0']).map((p) => `${measure} ${p}`).join(' AND ')})`;
}

function thresholdParts(t: Thresholds): string[] {
  return [
    t.at_least !== undefined ? `>= ${t.at_least}` : undefined,
    t.more_than !== undefined ? `> ${t.more_than}` : undefined,
    t.at_most !== undefined ? `<= ${t.at_most}` : undefined,
    t.less_than !== undefined ? `< ${t.less_than}` : undefined,
  ].filter((p): p is string => p !== undefined);
}

function literal(value: number | string | boolean): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return quoteLiteral(value);
}

let dynamicPrefixes: string[] | undefined;
let knownFeatures: Set<string> | undefined;

/** A feature some data could produce (possibly not this run's): catalogue names and data-driven patterns. */
function isKnownFeature(name: string): boolean {
  if (!knownFeatures || !dynamicPrefixes) {
    const names = referenceCatalogue().map((s) => s.name);
    knownFeatures = new Set(names.filter((n) => !n.includes('<')));
    dynamicPrefixes = names.filter((n) => n.includes('<')).map((n) => n.slice(0, n.indexOf('<')));
  }
  return knownFeatures.has(name) || dynamicPrefixes.some((p) => name.startsWith(p) && name.length > p.length);
}

function featureSql(condition: Extract<Condition, { feature: string }>, path: string, c: Compiler): string {
  const { feature, op, value } = condition;
  if (!c.context.populationColumns.has(feature)) {
    if (isKnownFeature(feature)) return absent(c, `${path}.feature`, `the feature ${show(feature)}`);
    return configError(
      'segments.unknown-feature',
      `segment ${show(c.rule)}: ${path}.feature: ${show(feature)} is not a feature`,
      'list the features with `personae features --list`',
    );
  }
  const column = `p.${quoteIdent(feature)}`;
  if (op === 'is_null') return `(${column} IS NULL)`;
  if (op === 'not_null') return `(${column} IS NOT NULL)`;
  if (op === 'in' || op === 'not_in') {
    const list = (value as readonly (number | string)[]).map(literal).join(', ');
    return `(${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${list}))`;
  }
  return `(${column} ${op === '!=' ? '<>' : op} ${literal(value as number | string | boolean)})`;
}

function declaredSql(d: DeclaredCondition, c: Compiler): string {
  const latest = `(SELECT z.answer FROM (${latestAnswersSql(c.at, [d.question])}) z WHERE z.customer_id = p.customer_id)`;
  if (d.answered !== undefined) return `(${latest} IS ${d.answered ? 'NOT ' : ''}NULL)`;
  if (d.contains !== undefined) return `list_contains(${answerItemsSql(latest)}, ${quoteLiteral(d.contains.trim().toLowerCase())})`;
  return `(lower(${latest}) IN (${(d.in ?? []).map((v) => quoteLiteral(v.trim().toLowerCase())).join(', ')}))`;
}

const BIRTHDAY_DAYS = { today: 1, next_7_days: 7, next_30_days: 30 } as const;

/** Month·100 + day of each calendar day of the window; Feb 29 birthdays are celebrated on Feb 28 in other years. */
export function birthdayKeys(asOf: Date, period: BirthdayCondition['in']): number[] {
  if (period === 'this_month') return [];
  const keys = new Set<number>();
  for (let i = 0; i < BIRTHDAY_DAYS[period]; i++) {
    const day = addDays(asOf, i);
    const key = (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
    keys.add(key);
    const year = day.getUTCFullYear();
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (key === 228 && !leap) keys.add(229);
  }
  return [...keys].sort((a, b) => a - b);
}

function birthdaySql(b: BirthdayCondition, c: Compiler): string {
  const latest = `(SELECT z.answer FROM (${latestAnswersSql(c.at, [BIRTH_DATE_QUESTION])}) z WHERE z.customer_id = p.customer_id)`;
  // YYYY-MM-DD, MM-DD or --MM-DD
  const pattern = quoteLiteral('^(?:[0-9]{4}-|--)?([0-9]{2})-([0-9]{2})$');
  const month = `TRY_CAST(regexp_extract(${latest}, ${pattern}, 1) AS INTEGER)`;
  const day = `TRY_CAST(regexp_extract(${latest}, ${pattern}, 2) AS INTEGER)`;
  if (b.in === 'this_month') return `(${month} = ${c.context.asOf.getUTCMonth() + 1})`;
  return `(${month} * 100 + ${day} IN (${birthdayKeys(c.context.asOf, b.in).join(', ')}))`;
}
