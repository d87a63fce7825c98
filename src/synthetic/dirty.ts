/**
 * Bad rows of the kinds real exports contain, each carrying exactly ONE problem so that a validator that
 * reports a row's first failing reason (in the order of src/contract/reasons.ts) finds the injected one.
 * A bad row is a copy of a clean row with one field broken; where the copy would also repeat a unique id,
 * it gets a fresh id from its own namespace (orders `OX…`, customers `CX…`) so the id is not a second problem.
 *
 * Decisions the reason list leaves open:
 * - 'NaN', 'Infinity' and '-Infinity' parse as numbers (DuckDB casts them to DOUBLE) but are not finite,
 *   so they are `absurd_amount`, like 1e12; `bad_number` is text that is not a number at all ('12,50€', 'abc').
 * - Numbers are only broken in `orders.amount` (required) and enum values only in enum columns, so the
 *   reason never depends on how a validator treats an optional column.
 * - `malformed_line` is a line with one field too many or one too few. Never a broken quote: an unterminated
 *   quote swallows the following lines (so their line numbers and reasons change), and a stray quote after a
 *   closing quote ("x"y) makes DuckDB's CSV sniffer give up quoting for the whole file, which then splits
 *   legitimately quoted values such as "12,50€". Parquet output has no lines, so it gets no malformed_line.
 */
import type { Rng } from '../core/rng.js';
import type { DirtyReason } from '../contract/reasons.js';
import type { TableName } from '../contract/schema.js';
import { columnIndex, csvLine } from './rows.js';

export interface DirtyContext {
  readonly rng: Rng;
  readonly format: 'csv' | 'parquet';
  readonly endYear: number;
  /** A fresh, never-used order id / customer id, and a customer id that is absent from customers. */
  freshOrderId(): string;
  freshCustomerId(): string;
  unknownCustomerId(): string;
}

export interface BadRow {
  /** The line as written (CSV text). */
  readonly line: string;
  readonly reason: DirtyReason;
  readonly column: string;
  readonly value: string;
}

interface Malformed {
  readonly raw: string;
  readonly description: string;
}

interface Rule {
  readonly reason: DirtyReason;
  readonly column: string;
  /** Returns the broken cells, or the raw text and a description for malformed lines. */
  readonly apply: (cells: string[], ctx: DirtyContext) => string[] | Malformed;
}

const BAD_DATES = [
  '31/02/2024',
  'not a date',
  '2024-02-30 10:00:00',
  '2023-13-01 08:00:00',
  '12/25/2024 10:00',
  'yesterday',
];
const IMPLAUSIBLE_DATES = [
  '1970-01-01 00:00:00',
  '1969-12-31 23:59:59',
  '1900-01-01 00:00:00',
  '1985-06-15 12:00:00',
];
const BAD_NUMBERS = ['12,50€', 'abc', '1.234,56', 'EUR 40', '--5', '12.5.3'];
const ABSURD_AMOUNTS = ['1e12', 'Infinity', '-Infinity', 'NaN', '2500000.00', '-1500000.00'];
const INVALID_EMAIL = [
  (local: string) => `${local}@`,
  (local: string) => `${local}.example.com`,
  (local: string) => `${local}@@example.com`,
  (local: string) => `${local} @example.com`,
];

const INVALID_PHONES = ['call me', 'n/a', '+33 6', '0000', '+1234567890123456789'];

function set(cells: string[], table: TableName, column: string, value: string): string[] {
  const out = cells.slice();
  out[columnIndex(table, column)] = value;
  return out;
}

function malformed(table: TableName, column: string): Rule {
  return {
    reason: 'malformed_line',
    column: '',
    apply(cells, ctx) {
      const base =
        column === 'order_id'
          ? set(cells, table, 'order_id', ctx.freshOrderId())
          : column === 'customer_id' && table === 'customers'
            ? set(cells, table, 'customer_id', ctx.freshCustomerId())
            : cells;
      // The extra field is never empty: some readers silently accept a trailing empty field.
      const extra = [...base].reverse().find((c) => c !== '' && !/[",]/.test(c)) ?? 'x';
      if (ctx.rng.bernoulli(0.5))
        return { raw: `${csvLine(base)},${extra}`, description: 'one field too many' };
      return { raw: csvLine(base.slice(0, -1)), description: 'one field too few' };
    },
  };
}

function dateRules(
  table: TableName,
  column: string,
  freshKey?: (cells: string[], ctx: DirtyContext) => string[],
): Rule[] {
  const fresh = freshKey ?? ((cells: string[]) => cells);
  return [
    {
      reason: 'bad_date',
      column,
      apply: (c, ctx) => set(fresh(c, ctx), table, column, ctx.rng.pick(BAD_DATES)),
    },
    {
      reason: 'implausible_date',
      column,
      apply: (c, ctx) => set(fresh(c, ctx), table, column, ctx.rng.pick(IMPLAUSIBLE_DATES)),
    },
    {
      reason: 'future_date',
      column,
      apply: (c, ctx) => {
        const original = c[columnIndex(table, column)] ?? '';
        const year = 2090 + ctx.rng.int(10);
        const month = String(1 + ctx.rng.int(12)).padStart(2, '0');
        const day = String(1 + ctx.rng.int(28)).padStart(2, '0');
        return set(fresh(c, ctx), table, column, `${year}-${month}-${day}${original.slice(10)}`);
      },
    },
  ];
}

const freshOrder = (c: string[], ctx: DirtyContext): string[] =>
  set(c, 'orders', 'order_id', ctx.freshOrderId());
const freshCustomer = (c: string[], ctx: DirtyContext): string[] =>
  set(c, 'customers', 'customer_id', ctx.freshCustomerId());

const RULES: Readonly<Record<TableName, readonly Rule[]>> = {
  orders: [
    malformed('orders', 'order_id'),
    { reason: 'missing_key', column: 'order_id', apply: (c) => set(c, 'orders', 'order_id', '') },
    {
      reason: 'missing_key',
      column: 'customer_id',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'customer_id', ''),
    },
    ...dateRules('orders', 'ordered_at', freshOrder),
    {
      reason: 'bad_number',
      column: 'amount',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'amount', ctx.rng.pick(BAD_NUMBERS)),
    },
    {
      reason: 'absurd_amount',
      column: 'amount',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'amount', ctx.rng.pick(ABSURD_AMOUNTS)),
    },
    {
      reason: 'unknown_value',
      column: 'status',
      apply: (c, ctx) =>
        set(freshOrder(c, ctx), 'orders', 'status', ctx.rng.pick(['shipped?', 'on_hold', 'pending_payment'])),
    },
    {
      reason: 'unknown_value',
      column: 'channel',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'channel', ctx.rng.pick(['fax', 'call_center'])),
    },
    { reason: 'duplicate_id', column: 'order_id', apply: (c) => c.slice() },
    {
      reason: 'unknown_customer',
      column: 'customer_id',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'customer_id', ctx.unknownCustomerId()),
    },
    {
      reason: 'currency_mismatch',
      column: 'currency',
      apply: (c, ctx) => set(freshOrder(c, ctx), 'orders', 'currency', ctx.rng.pick(['USD', 'GBP', 'CHF'])),
    },
  ],
  customers: [
    malformed('customers', 'customer_id'),
    { reason: 'missing_key', column: 'customer_id', apply: (c) => set(c, 'customers', 'customer_id', '') },
    ...dateRules('customers', 'created_at', freshCustomer),
    {
      reason: 'unknown_value',
      column: 'device',
      apply: (c, ctx) =>
        set(freshCustomer(c, ctx), 'customers', 'device', ctx.rng.pick(['smart-tv', 'fax', 'console'])),
    },
    { reason: 'duplicate_id', column: 'customer_id', apply: (c) => c.slice() },
    {
      reason: 'invalid_email',
      column: 'email',
      apply: (c, ctx) => {
        const email = c[columnIndex('customers', 'email')] ?? 'jane.doe@example.com';
        const local = email.split('@')[0] ?? 'jane.doe';
        return set(freshCustomer(c, ctx), 'customers', 'email', ctx.rng.pick(INVALID_EMAIL)(local));
      },
    },
    {
      reason: 'invalid_phone',
      column: 'phone',
      apply: (c, ctx) => set(freshCustomer(c, ctx), 'customers', 'phone', ctx.rng.pick(INVALID_PHONES)),
    },
  ],
  events: [
    malformed('events', ''),
    { reason: 'missing_key', column: 'customer_id', apply: (c) => set(c, 'events', 'customer_id', '') },
    ...dateRules('events', 'occurred_at'),
    {
      reason: 'unknown_value',
      column: 'type',
      apply: (c, ctx) => set(c, 'events', 'type', ctx.rng.pick(['click_ad', 'push_open', 'video_play'])),
    },
    {
      reason: 'unknown_customer',
      column: 'customer_id',
      apply: (c, ctx) => set(c, 'events', 'customer_id', ctx.unknownCustomerId()),
    },
  ],
  zero_party: [
    malformed('zero_party', ''),
    { reason: 'missing_key', column: 'customer_id', apply: (c) => set(c, 'zero_party', 'customer_id', '') },
    ...dateRules('zero_party', 'answered_at'),
    {
      reason: 'implausible_answer',
      column: 'answer',
      apply: (c, ctx) =>
        set(
          set(c, 'zero_party', 'question', 'birth_year'),
          'zero_party',
          'answer',
          ctx.rng.pick(['1850', '1888', '1899', String(ctx.endYear)]),
        ),
    },
  ],
  consent: [
    malformed('consent', ''),
    { reason: 'missing_key', column: 'customer_id', apply: (c) => set(c, 'consent', 'customer_id', '') },
    ...dateRules('consent', 'recorded_at'),
    {
      reason: 'unknown_value',
      column: 'status',
      apply: (c, ctx) => set(c, 'consent', 'status', ctx.rng.pick(['maybe', 'pending', 'opt-in?'])),
    },
    {
      reason: 'unknown_value',
      column: 'purpose',
      apply: (c, ctx) => set(c, 'consent', 'purpose', ctx.rng.pick(['postal', 'push'])),
    },
  ],
  erasure: [
    malformed('erasure', ''),
    { reason: 'missing_key', column: 'customer_id', apply: (c) => set(c, 'erasure', 'customer_id', '') },
  ],
  // Brand-wide and written clean: --dirty damages customer-level tables only.
  campaigns: [],
};

/** The reasons `injectBadRow` can produce per table and format (for docs and tests). */
export function injectableReasons(table: TableName, format: 'csv' | 'parquet'): DirtyReason[] {
  return [...new Set(rulesFor(table, format).map((r) => r.reason))];
}

function rulesFor(table: TableName, format: 'csv' | 'parquet'): readonly Rule[] {
  const rules = RULES[table];
  return format === 'csv' ? rules : rules.filter((r) => r.reason !== 'malformed_line');
}

/** A bad copy of `cells` (a clean row of `table`), with one problem drawn uniformly among the table's rules. */
export function injectBadRow(table: TableName, cells: readonly string[], ctx: DirtyContext): BadRow {
  const rules = rulesFor(table, ctx.format);
  const rule = rules[ctx.rng.int(rules.length)] as Rule;
  const result = rule.apply(cells.slice(), ctx);
  if (!Array.isArray(result))
    return { line: result.raw, reason: rule.reason, column: rule.column, value: result.description };
  const broken = result;
  const value = rule.column === '' ? '' : (broken[columnIndex(table, rule.column)] ?? '');
  return { line: csvLine(broken), reason: rule.reason, column: rule.column, value };
}
