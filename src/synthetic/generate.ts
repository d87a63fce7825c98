/**
 * The synthetic data set, customer by customer, as CSV lines handed to a sink (the caller does the I/O).
 * Clean rows do not depend on --dirty: bad rows are extra lines drawn from their own random stream, each
 * inserted right after the clean row it was copied from, so removing the lines listed in truth/dirty.csv
 * gives back exactly the clean data set of the same seed.
 */
import { z } from 'zod';
import { configError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { MS_PER_DAY, parseIsoDate, toIsoDate } from '../core/time.js';
import { DIRTY_REASON_CODES, type DirtyReason } from '../contract/reasons.js';
import { TABLE_NAMES, type TableName } from '../contract/schema.js';
import { campaignSchedule } from './campaigns.js';
import { statusAt } from './consent.js';
import { generateCustomer, type CustomerRecord, type GenerationContext } from './customer.js';
import { injectBadRow, type DirtyContext } from './dirty.js';
import { EventBytes } from './event-bytes.js';
import { PERSONAS } from './personas.js';
import { campaignRows, csvLine, customerRows, eventLine, formatTimestamp, TABLE_COLUMNS } from './rows.js';

export const GENERATOR_VERSION = 1;

export const GenerateOptionsSchema = z.object({
  customers: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0).max(0xffffffff),
  dirty: z.number().min(0).max(0.5).default(0),
  format: z.enum(['csv', 'parquet']).default('csv'),
  end: z
    .string()
    .refine((s) => parseIsoDate(s) !== undefined, 'must be a calendar date YYYY-MM-DD')
    .default('2025-12-31'),
  years: z.number().min(0.25).max(30).default(3),
  /** Only customers, orders, consent and erasure: the shape of a brand's order history (see ORDERS_ONLY_TABLES). */
  ordersOnly: z.boolean().default(false),
});

/**
 * The tables of an orders-only data set: a transaction log with its customers, plus the signup consent
 * records and erasure requests a run needs to stay privacy-safe (without a consent table every customer
 * would need `consent.basis: legitimate_interest`). No events, declared answers or campaigns.
 */
export const ORDERS_ONLY_TABLES = [
  'orders',
  'customers',
  'consent',
  'erasure',
] as const satisfies readonly TableName[];

/** The tables a data set of these options has, in contract order. */
export function datasetTables(options: Pick<GenerateOptions, 'ordersOnly'>): readonly TableName[] {
  return options.ordersOnly
    ? TABLE_NAMES.filter((t) => (ORDERS_ONLY_TABLES as readonly TableName[]).includes(t))
    : TABLE_NAMES;
}

export type GenerateOptionsInput = z.input<typeof GenerateOptionsSchema>;
export type GenerateOptions = z.output<typeof GenerateOptionsSchema>;

/** Validates generator options once, naming the bad setting. */
export function parseGenerateOptions(input: GenerateOptionsInput): GenerateOptions {
  const parsed = GenerateOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = issue?.path.join('.') ?? 'options';
    configError(
      'generate_options',
      `invalid generate setting --${setting}: ${issue?.message ?? 'invalid'}`,
      'customers is a positive integer, seed an integer in 0..4294967295, dirty a fraction in 0..0.5, end YYYY-MM-DD, years in 0.25..30, ordersOnly true or false',
    );
  }
  return parsed.data;
}

/** Receives the data set line by line (no line breaks included). */
export interface DatasetSink {
  row(table: TableName, line: string): void;
  /**
   * Optional: whole lines of a table as UTF-8 bytes, each with its line break, in order with `row`'s lines of
   * that table. The bytes are only valid during the call (copy them). Without it every line comes as text.
   */
  bytes?(table: TableName, bytes: Uint8Array): void;
  truth(line: string): void;
  dirty(line: string): void;
  progress?(done: number, total: number): void;
}

export const TRUTH_COLUMNS = [
  'customer_id',
  'persona',
  'created_at',
  'alive_at_end',
  'dropped_out_at',
  'purchase_rate_per_year',
  'dropout_probability',
  'orders',
  'first_order_at',
  'last_order_at',
  'consent_profile',
  'profiling_at_end',
  'email_at_end',
  'sms_at_end',
  'erasure_requested_at',
  'next_purchase_at',
  'purchases_next_365d',
  'email_delivered',
  'email_expected_opens',
  'email_expected_clicks',
  'sms_delivered',
  'sms_expected_clicks',
] as const;

export const DIRTY_COLUMNS = ['table', 'line', 'reason', 'column', 'value'] as const;

export interface GenerationSummary {
  readonly generator: { readonly name: 'personae generate'; readonly version: number };
  readonly args: Omit<GenerateOptions, 'ordersOnly'> & { readonly ordersOnly?: boolean };
  /** First and last calendar day of the history window. */
  readonly startDate: string;
  readonly endDate: string;
  /** Data rows per table file (clean + injected, header excluded); 0 for a table not written. */
  readonly rows: Record<TableName, number>;
  readonly cleanRows: Record<TableName, number>;
  readonly dirtyRows: Record<TableName, number>;
  readonly dirtyByReason: Record<DirtyReason, number>;
  readonly personas: Record<string, number>;
  readonly aliveAtEnd: number;
  readonly erasureRequests: number;
  readonly lineNumbering: string;
}

export function generationContext(options: GenerateOptions): GenerationContext {
  const endDay = parseIsoDate(options.end) as Date;
  const endMs = endDay.getTime() + MS_PER_DAY;
  const startMs = endMs - Math.round(options.years * 365.25) * MS_PER_DAY;
  return {
    seed: options.seed,
    startMs,
    endMs,
    endYear: endDay.getUTCFullYear(),
    schedule: campaignSchedule(startMs, endMs),
  };
}

export function customerId(index: number, customers: number): string {
  return `C${String(index + 1).padStart(Math.max(7, String(customers).length), '0')}`;
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Generates the whole data set into `sink` and returns its summary (written as generator.json). */
export function generateDataset(input: GenerateOptionsInput, sink: DatasetSink): GenerationSummary {
  const steps = generateDatasetSteps(input, sink);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Customers between two pauses of generateDatasetSteps. */
export const CUSTOMERS_PER_STEP = 1000;

/** What a run of customers adds to the summary (summed over blocks when workers generate them). */
export interface Tally {
  readonly cleanRows: Record<TableName, number>;
  readonly dirtyRows: Record<TableName, number>;
  readonly dirtyByReason: Record<DirtyReason, number>;
  readonly personas: Record<string, number>;
  aliveAtEnd: number;
  erasureRequests: number;
  /** Orders written (their ids are a sequence over the whole data set). */
  orders: number;
}

export function newTally(): Tally {
  return {
    cleanRows: zeroCounts(TABLE_NAMES),
    dirtyRows: zeroCounts(TABLE_NAMES),
    dirtyByReason: zeroCounts(DIRTY_REASON_CODES),
    personas: zeroCounts(PERSONAS.map((p) => p.key)),
    aliveAtEnd: 0,
    erasureRequests: 0,
    orders: 0,
  };
}

export function addTally(into: Tally, from: Tally): void {
  for (const key of ['cleanRows', 'dirtyRows', 'dirtyByReason', 'personas'] as const) {
    const target = into[key] as Record<string, number>;
    for (const [k, v] of Object.entries(from[key])) target[k] = (target[k] ?? 0) + v;
  }
  into.aliveAtEnd += from.aliveAtEnd;
  into.erasureRequests += from.erasureRequests;
  into.orders += from.orders;
}

/** Order id number `sequence` (1-based): O and 9 digits. */
export function orderId(sequence: number): string {
  return `O${String(sequence).padStart(9, '0')}`;
}

/**
 * The lines that come before any customer's: each table's header, then the brand-wide campaigns (written
 * once, clean: --dirty damages customer-level tables only).
 */
export function writeDatasetHead(
  options: GenerateOptions,
  context: GenerationContext,
  sink: DatasetSink,
  tally: Tally,
): void {
  for (const table of datasetTables(options)) sink.row(table, TABLE_COLUMNS[table].join(','));
  sink.truth(TRUTH_COLUMNS.join(','));
  sink.dirty(DIRTY_COLUMNS.join(','));
  for (const cells of options.ordersOnly ? [] : campaignRows(context.schedule)) {
    sink.row('campaigns', csvLine(cells));
    tally.cleanRows.campaigns++;
  }
}

/**
 * Writes customers [from, to) into `sink` without bad rows, counting into `tally`; `nextOrderId` names each
 * order. Customer i depends only on the seed and i, so blocks can be generated apart and concatenated.
 */
export function writeCleanCustomers(
  options: GenerateOptions,
  context: GenerationContext,
  from: number,
  to: number,
  sink: DatasetSink,
  tally: Tally,
  nextOrderId: () => string,
): void {
  // Events (most of the data) skip the cells arrays: straight to bytes when the sink takes them, else lines.
  const eventBytes = sink.bytes ? new EventBytes(2 * EVENT_BYTES_FLUSH) : undefined;
  for (let i = from; i < to; i++) {
    const record = generateCustomer(context, i, customerId(i, options.customers), options.ordersOnly);
    const orderIds = record.orders.map(nextOrderId);
    tally.orders += orderIds.length;
    const rows = customerRows(record, orderIds, false);
    for (const table of ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure'] as const) {
      if (table === 'events') {
        if (eventBytes) eventBytes.addCustomer(record.customerId, record.events);
        else for (const event of record.events) sink.row('events', eventLine(record.customerId, event));
        tally.cleanRows.events += record.events.length;
        continue;
      }
      for (const cells of rows[table]) sink.row(table, csvLine(cells));
      tally.cleanRows[table] += rows[table].length;
    }
    countCustomer(record, context, sink, tally);
    if (eventBytes && eventBytes.length >= EVENT_BYTES_FLUSH) sink.bytes?.('events', eventBytes.take());
  }
  if (eventBytes && eventBytes.length > 0) sink.bytes?.('events', eventBytes.take());
}

/** Event bytes handed to the sink in pieces of about this size. */
const EVENT_BYTES_FLUSH = 1 << 20;

function countCustomer(
  record: CustomerRecord,
  context: GenerationContext,
  sink: DatasetSink,
  tally: Tally,
): void {
  sink.truth(csvLine(truthCells(record, context.endMs)));
  tally.personas[record.persona.key] = (tally.personas[record.persona.key] ?? 0) + 1;
  if (record.purchases.droppedAtMs === undefined) tally.aliveAtEnd++;
  if (record.erasureRequestedAt !== undefined) tally.erasureRequests++;
}

/**
 * generateDataset in steps: it pauses after every CUSTOMERS_PER_STEP customers so that an asynchronous
 * sink can let its writes drain (same rows, same order, whatever the caller does between steps).
 */
export function* generateDatasetSteps(
  input: GenerateOptionsInput,
  sink: DatasetSink,
): Generator<void, GenerationSummary, void> {
  const options = parseGenerateOptions(input);
  const context = generationContext(options);
  const n = options.customers;
  const tally = newTally();
  writeDatasetHead(options, context, sink, tally);
  const progressEvery = Math.max(1000, Math.floor(n / 100));
  let orderSequence = 0;
  const nextOrderId = (): string => orderId(++orderSequence);
  const customers = options.dirty > 0 ? dirtyCustomers(options, context, sink, tally) : undefined;
  for (let from = 0; from < n; from += CUSTOMERS_PER_STEP) {
    const to = Math.min(n, from + CUSTOMERS_PER_STEP);
    if (customers) customers(from, to);
    else writeCleanCustomers(options, context, from, to, sink, tally, nextOrderId);
    if (sink.progress && (Math.floor(to / progressEvery) > Math.floor(from / progressEvery) || to === n))
      sink.progress(to, n);
    if (to % CUSTOMERS_PER_STEP === 0) yield;
  }
  return summarize(options, context, tally);
}

/**
 * Customers with bad rows injected: one random stream over the whole data set decides which rows get a bad
 * copy, so these are written in order, on one thread.
 */
function dirtyCustomers(
  options: GenerateOptions,
  context: GenerationContext,
  sink: DatasetSink,
  tally: Tally,
): (from: number, to: number) => void {
  const n = options.customers;
  const idWidth = Math.max(7, String(n).length);
  const lines = zeroCounts(TABLE_NAMES);
  for (const table of datasetTables(options)) lines[table] = 1 + tally.cleanRows[table];
  let freshOrders = 0;
  let freshCustomers = 0;
  const dirtyContext: DirtyContext = {
    rng: Rng.derive(options.seed, 'dirty'),
    format: options.format,
    endYear: context.endYear,
    freshOrderId: () => `OX${String(++freshOrders).padStart(8, '0')}`,
    freshCustomerId: () => `CX${String(++freshCustomers).padStart(idWidth, '0')}`,
    unknownCustomerId: () => customerId(n + dirtyContext.rng.int(n), n),
  };
  const emit = (table: TableName, cells: string[]): void => {
    sink.row(table, csvLine(cells));
    lines[table]++;
    tally.cleanRows[table]++;
    if (dirtyContext.rng.bernoulli(options.dirty)) {
      const bad = injectBadRow(table, cells, dirtyContext);
      sink.row(table, bad.line);
      lines[table]++;
      tally.dirtyRows[table]++;
      tally.dirtyByReason[bad.reason]++;
      // Validation reports Parquet positions as 1-based rows (there is no header line to count).
      const position = options.format === 'parquet' ? lines[table] - 1 : lines[table];
      sink.dirty(csvLine([table, String(position), bad.reason, bad.column, bad.value]));
    }
  };
  return (from, to) => {
    for (let i = from; i < to; i++) {
      const record = generateCustomer(context, i, customerId(i, n), options.ordersOnly);
      const orderIds = record.orders.map(() => orderId(++tally.orders));
      const rows = customerRows(record, orderIds, true);
      for (const table of ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure'] as const)
        for (const cells of rows[table]) emit(table, cells);
      countCustomer(record, context, sink, tally);
    }
  };
}

/** The summary of a finished data set (written as generator.json). */
export function summarize(
  options: GenerateOptions,
  context: GenerationContext,
  tally: Tally,
): GenerationSummary {
  const rows = zeroCounts(TABLE_NAMES);
  for (const table of TABLE_NAMES) rows[table] = tally.cleanRows[table] + tally.dirtyRows[table];
  return {
    generator: { name: 'personae generate', version: GENERATOR_VERSION },
    // The flag is recorded only when given, so manifests of full data sets keep their bytes.
    args: options.ordersOnly ? options : omitOrdersOnly(options),
    startDate: toIsoDate(new Date(context.startMs)),
    endDate: toIsoDate(new Date(context.endMs - MS_PER_DAY)),
    rows,
    cleanRows: tally.cleanRows,
    dirtyRows: tally.dirtyRows,
    dirtyByReason: tally.dirtyByReason,
    personas: tally.personas,
    aliveAtEnd: tally.aliveAtEnd,
    erasureRequests: tally.erasureRequests,
    lineNumbering:
      'truth/dirty.csv `line` is where validation reports the row: for CSV the 1-based line of the table file, line 1 being the header; for Parquet the 1-based row number',
  };
}

function omitOrdersOnly(
  options: GenerateOptions,
): Omit<GenerateOptions, 'ordersOnly'> & { ordersOnly?: true } {
  const { ordersOnly: _, ...rest } = options;
  return rest;
}

function truthCells(record: CustomerRecord, endMs: number): string[] {
  const p = record.purchases;
  const first = record.orders[0];
  const last = record.orders[record.orders.length - 1];
  const consentAt = (purpose: 'profiling' | 'email' | 'sms'): string =>
    statusAt(record.consent, purpose, endMs);
  return [
    record.customerId,
    record.persona.key,
    formatTimestamp(record.createdAt),
    p.droppedAtMs === undefined ? 'true' : 'false',
    p.droppedAtMs === undefined ? '' : formatTimestamp(p.droppedAtMs),
    p.ratePerYear.toFixed(4),
    p.dropoutProbability.toFixed(4),
    String(record.orders.length),
    first ? formatTimestamp(first.orderedAt) : '',
    last ? formatTimestamp(last.orderedAt) : '',
    record.consentProfile,
    consentAt('profiling'),
    consentAt('email'),
    consentAt('sms'),
    record.erasureRequestedAt === undefined ? '' : formatTimestamp(record.erasureRequestedAt),
    record.futurePurchases.length > 0 ? formatTimestamp(record.futurePurchases[0] as number) : '',
    String(record.futurePurchases.length),
    String(record.campaignExposure.emailDelivered),
    record.campaignExposure.emailExpectedOpens.toFixed(6),
    record.campaignExposure.emailExpectedClicks.toFixed(6),
    String(record.campaignExposure.smsDelivered),
    record.campaignExposure.smsExpectedClicks.toFixed(6),
  ];
}
