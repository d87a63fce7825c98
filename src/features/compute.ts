import { z } from 'zod';
import { inputError, configError } from '../core/errors.js';
import { ORDER_CHANNELS, ZERO_PARTY_QUESTIONS } from '../contract/schema.js';
import { sqlDialect, type SqlDialect } from '../engine/dialect.js';
import { duckdbEngine } from '../engine/duckdb.js';
import type { SqlEngine } from '../engine/engine.js';
import { quoteIdent, quoteLiteral, type DuckDBConnection } from '../io/duckdb.js';
import type { CustomerDetail, EventDetail, FeaturePlan, OrderDetail } from './plan.js';
import { levelSlugs } from './spec.js';
import { asOfSql } from './sql/as-of.js';
import { buildFeaturesSql } from './sql/assemble.js';
import { moneySum } from './sql/exact.js';
import { PURCHASE_DAYS } from './sql/purchase-days.js';
import { answerItemsSql, latestAnswersSql } from './sql/declared.js';
import type { FeatureFamily, FeatureSpec } from './types.js';

export const FeatureOptionsSchema = z.strictObject({
  asOf: z.date().refine((d) => !Number.isNaN(d.getTime()), 'asOf must be a valid date'),
  /** Categories (by purchase spend) that get a share-of-spend column. */
  topCategories: z.number().int().min(0).max(50).default(5),
  topBrands: z.number().int().min(0).max(50).default(5),
  /** Declared interests (by number of customers) that get a flag column. */
  topInterests: z.number().int().min(0).max(50).default(8),
  /** The table of customers that get a row: the consented, non-erased ones. */
  population: z.string().min(1).default('eligible'),
  /**
   * True when the source tables already hold only population customers (applyConsent deletes everyone
   * else): the population filter on the choice of top levels is then skipped, which saves a semi-join
   * of every order against the population.
   */
  restrictedToPopulation: z.boolean().default(false),
  /**
   * True to read only the population's rows of each source table in the per-customer aggregates (DuckDB; the
   * top levels and which columns exist are still decided on every row, as without it): the same values for
   * a population much smaller than the tables (the neural model's training sample), with less work.
   */
  populationRowsOnly: z.boolean().default(false),
  /**
   * With populationRowsOnly, tables that hold at least the population's rows of a source table, by source name
   * (e.g. { events: 'sample_events' }): the per-customer aggregates read the population's rows from them instead
   * of from the source, so that a population asked for at several dates is cut out of a large table once, not at
   * every date. The top levels and which columns exist are still decided on the source itself.
   */
  sourceRows: z.record(z.string(), z.string().min(1)).optional(),
  /** Shared by the tables of several dates: which columns have a value at each date, from one scan per source (DuckDB). */
  filledColumns: z.custom<FilledColumnsByDate>((v) => v instanceof FilledColumnsByDate).optional(),
  target: z.string().min(1).default('features'),
});
export type FeatureOptions = z.input<typeof FeatureOptionsSchema>;

export interface FeaturesResult {
  /** One entry per column of the features table except customer_id, in column order. */
  readonly catalogue: FeatureSpec[];
  readonly families: FeatureFamily[];
  readonly rowCount: number;
  readonly plan: FeaturePlan;
}

/**
 * Creates the table `features` (one row per customer of `eligible`, customer_id first) from the
 * canonical tables, as of the end of the as-of day: every source is filtered on its own date column,
 * so rows dated later never influence a value. Absent tables contribute no family.
 *
 * The same SQL runs in the engine that holds the tables, written in its dialect: a DuckDB connection (or
 * engine), or a PostgreSQL engine whose search_path leads to the contract tables (a plain server or a
 * coordinator with hash-partitioned tables, where the per-customer aggregates run on the shards).
 */
export async function computeFeatures(source: DuckDBConnection | SqlEngine, options: FeatureOptions): Promise<FeaturesResult> {
  const engine = 'dialect' in source ? source : duckdbEngine(source);
  const parsed = FeatureOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return configError('features.options', `invalid feature option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, 'check the features settings');
  }
  const settings = parsed.data;
  const sql = sqlDialect(engine.dialect);
  if (!(await tableExists(engine, sql, settings.population))) {
    inputError(
      'features.population',
      `the population table ${quoteIdent(settings.population)} does not exist`,
      'apply consent first: it creates the table of consented, non-erased customers',
    );
  }
  const plan = await planFeatures(engine, sql, settings);
  const query = buildFeaturesSql(plan, settings.target, sql, {
    populationRowsOnly: settings.populationRowsOnly,
    ...(settings.sourceRows ? { sourceRows: settings.sourceRows } : {}),
  });
  if (sql.name === 'duckdb') await runSteps(engine, query.steps, query.stepTables);
  else await engine.exec(query.sql);
  const rowCount = Number(await queryValue(engine, `SELECT count(*) FROM ${quoteIdent(settings.target)}`));
  return { catalogue: query.catalogue, families: query.families, rowCount, plan };
}

type Settings = z.output<typeof FeatureOptionsSchema>;

/**
 * DuckDB builds the features table part by part (see FeaturesQuery.steps); a coordinator of PostgreSQL runs
 * the one statement, whose per-customer aggregates it sends to the shards whole. The parts' tables go when the
 * target is made, or when a step fails.
 */
async function runSteps(engine: SqlEngine, steps: readonly string[], stepTables: readonly string[]): Promise<void> {
  const dropSteps = async (): Promise<void> => {
    for (const table of stepTables) await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  };
  try {
    for (const step of steps) await engine.exec(step);
  } catch (error) {
    // The step's error is the one to report (DuckDB out of memory, say), not a failure to tidy up after it.
    await dropSteps().catch(() => undefined);
    throw error;
  }
  await dropSteps();
}

async function queryValue(engine: SqlEngine, query: string): Promise<unknown> {
  const rows = await engine.query(query);
  return Object.values(rows[0] ?? {})[0];
}

async function tableExists(engine: SqlEngine, sql: SqlDialect, name: string): Promise<boolean> {
  return Number(await queryValue(engine, sql.tableExistsSql(name))) > 0;
}

/** Non-null counts of the listed columns among rows known at the as-of date (columns that do not exist count 0). */
async function filledColumns<T extends string>(
  engine: SqlEngine,
  sql: SqlDialect,
  table: string,
  dateColumn: string,
  candidates: readonly T[],
  end: string,
  byDate?: FilledColumnsByDate,
): Promise<Set<T>> {
  const existing = new Set((await engine.query<{ column_name: string }>(sql.tableColumnsSql(table))).map((r) => r.column_name));
  const present = candidates.filter((c) => existing.has(c));
  if (present.length === 0) return new Set();
  if (byDate) return byDate.filled(engine, table, dateColumn, present, end);
  const counts = await engine.query<Record<string, number>>(
    `SELECT ${present.map((c) => `count(${quoteIdent(c)}) AS ${quoteIdent(c)}`).join(', ')} FROM ${quoteIdent(table)}
     WHERE ${quoteIdent(dateColumn)} <= ${end} OR ${quoteIdent(dateColumn)} IS NULL`,
  );
  const row = counts[0] ?? {};
  return new Set(present.filter((c) => Number(row[c] ?? 0) > 0));
}

/**
 * Which columns of a source have a value among its rows known at a date (what filledColumns counts), for the
 * tables of several dates (the timing stage's seven): one scan of each source for every date, not one per date
 * (a scan of the 156M events at 1M customers). A column has a value at a date exactly when its earliest dated
 * value is no later or one of its values is undated: each source's earliest dated value and undated values of
 * each column are kept in a one-row temporary table, and each date compares with them as the count would.
 */
export class FilledColumnsByDate {
  private readonly tables = new Map<string, string>();

  async filled<T extends string>(engine: SqlEngine, table: string, dateColumn: string, present: readonly T[], end: string): Promise<Set<T>> {
    const key = [table, dateColumn, ...present].join('\u0001');
    let summary = this.tables.get(key);
    const date = quoteIdent(dateColumn);
    if (!summary) {
      summary = `features_filled_${this.tables.size}`;
      const columns = present.flatMap((c) => [
        `min(CASE WHEN ${quoteIdent(c)} IS NOT NULL THEN ${date} END) AS ${quoteIdent(`${c}_first`)}`,
        `count(CASE WHEN ${quoteIdent(c)} IS NOT NULL AND ${date} IS NULL THEN 1 END) AS ${quoteIdent(`${c}_undated`)}`,
      ]);
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${summary} AS SELECT ${columns.join(', ')} FROM ${quoteIdent(table)}`);
      this.tables.set(key, summary);
    }
    const rows = await engine.query<Record<string, boolean>>(
      `SELECT ${present.map((c) => `coalesce(${quoteIdent(`${c}_first`)} <= ${end}, FALSE) OR ${quoteIdent(`${c}_undated`)} > 0 AS ${quoteIdent(c)}`).join(', ')} FROM ${summary}`,
    );
    const row = rows[0] ?? {};
    return new Set(present.filter((c) => row[c] === true));
  }

  /** Drops the temporary tables. */
  async drop(engine: SqlEngine): Promise<void> {
    for (const summary of this.tables.values()) await engine.exec(`DROP TABLE IF EXISTS ${summary}`);
    this.tables.clear();
  }
}

/**
 * Whether no two customers of the population share hash(customer_id): one pass over the population (not
 * the orders), so that the purchase gaps can be computed on the hash alone.
 */
async function customerHashesDistinct(engine: SqlEngine, sql: SqlDialect, population: string): Promise<boolean> {
  const collisions = await queryValue(
    engine,
    `SELECT count(*) - count(DISTINCT ${sql.hash('customer_id')}) FROM (SELECT DISTINCT CAST(customer_id AS VARCHAR) AS customer_id
       FROM ${quoteIdent(population)} WHERE customer_id IS NOT NULL) AS ids`,
  );
  return Number(collisions) === 0;
}

/** Decides what the data offers at the as-of date: one probe per table and one scan for the top levels. */
async function planFeatures(engine: SqlEngine, sql: SqlDialect, settings: Settings): Promise<FeaturePlan> {
  const at = asOfSql(settings.asOf);
  const base = { asOf: settings.asOf, population: settings.population };
  // Levels are chosen from the population only: customers without consent must not shape the features.
  const inPopulation = settings.restrictedToPopulation
    ? 'TRUE'
    : `customer_id IN (SELECT customer_id FROM ${quoteIdent(settings.population)})`;
  let orders: FeaturePlan['orders'];
  if (await tableExists(engine, sql, 'orders')) {
    const details = await filledColumns<OrderDetail>(
      engine,
      sql,
      'orders',
      'ordered_at',
      ['status', 'discount_amount', 'items', 'category', 'brand', 'channel'],
      at.end,
      settings.filledColumns,
    );
    const levels = { category: [] as string[], brand: [] as string[], channel: [] as string[] };
    const dims = (['category', 'brand', 'channel'] as const).filter((d) => details.has(d));
    if (dims.length > 0) {
      const notCancelled = details.has('status') ? `AND coalesce(status, 'completed') <> 'cancelled'` : '';
      // One scan for all dimensions (GROUPING SETS): the population semi-join is the expensive part. Exact
      // sums: two levels with the same spend must rank the same way on every run.
      const rows = await engine.query<{ dim: string; level: string; spend: number }>(
        `SELECT ${dims.map((d) => `CASE WHEN GROUPING(${d}) = 0 THEN '${d}'`).join(' ELSE ')}${' END'.repeat(dims.length)} AS dim,
           CAST(coalesce(${dims.join(', ')}) AS VARCHAR) AS level, ${moneySum('amount', sql)} AS spend
         FROM orders WHERE ordered_at <= ${at.end} AND amount > 0 ${notCancelled} AND ${inPopulation}
         GROUP BY GROUPING SETS (${dims.map((d) => `(${d})`).join(', ')})`,
      );
      for (const d of dims) {
        const ranked = rows
          .filter((r) => r.dim === d && r.level !== null)
          .sort((a, b) => b.spend - a.spend || (a.level < b.level ? -1 : 1))
          .map((r) => r.level);
        levels[d] =
          d === 'channel'
            ? ORDER_CHANNELS.filter((c) => ranked.includes(c))
            : ranked.slice(0, d === 'category' ? settings.topCategories : settings.topBrands);
      }
    }
    orders = {
      details,
      topCategories: levelSlugs(levels.category),
      topBrands: levelSlugs(levels.brand),
      channels: levelSlugs(levels.channel),
      // DuckDB's shortcut only: on a coordinator, aggregates grouped by a hash of the distribution column
      // rather than the column itself could not run on the shards.
      customerHashesDistinct:
        sql.name === 'duckdb' && settings.restrictedToPopulation && (await customerHashesDistinct(engine, sql, settings.population)),
      ...(sql.shardable && (await tableExists(engine, sql, PURCHASE_DAYS)) ? { purchaseDays: true } : {}),
    };
  }
  let customers: FeaturePlan['customers'];
  if (await tableExists(engine, sql, 'customers')) {
    customers = {
      details: await filledColumns<CustomerDetail>(engine, sql, 'customers', 'created_at', ['created_at', 'country', 'region', 'device'], at.end, settings.filledColumns),
    };
  }
  let events: FeaturePlan['events'];
  if (await tableExists(engine, sql, 'events')) {
    events = { details: await filledColumns<EventDetail>(engine, sql, 'events', 'occurred_at', ['value', 'device'], at.end, settings.filledColumns) };
  }
  let zeroParty: FeaturePlan['zeroParty'];
  if (await tableExists(engine, sql, 'zero_party')) {
    const answered = await engine.query<{ question: string }>(
      `SELECT DISTINCT question FROM zero_party WHERE answered_at <= ${at.end}
       AND question IN (${ZERO_PARTY_QUESTIONS.map(quoteLiteral).join(', ')})`,
    );
    const questions = new Set(answered.map((r) => r.question));
    let interests: string[] = [];
    if (questions.has('interests') && settings.topInterests > 0) {
      const rows = await engine.query<{ item: string }>(
        `SELECT item FROM (SELECT DISTINCT customer_id, unnest(${answerItemsSql('answer', sql)}) AS item
           FROM (${latestAnswersSql(at, ['interests'], sql)}) AS latest WHERE ${inPopulation}) AS items
         GROUP BY item ORDER BY count(*) DESC, ${sql.binaryOrder('item')} LIMIT ${settings.topInterests}`,
      );
      interests = rows.map((r) => r.item);
    }
    zeroParty = { questions, interests: levelSlugs(interests) };
  }
  return {
    ...base,
    ...(orders ? { orders } : {}),
    ...(customers ? { customers } : {}),
    ...(events ? { events } : {}),
    ...(zeroParty ? { zeroParty } : {}),
  };
}
