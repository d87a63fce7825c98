import { toIsoDate } from '../../core/time.js';
import { computeFeatures, FilledColumnsByDate } from '../../features/compute.js';
import { duckdbEngine } from '../../engine/duckdb.js';
import { DuckDBTypeId, JSDuckDBValueConverter, type DuckDBDataChunk } from '@duckdb/node-api';
import type { FeatureColumns, FeatureValues } from '../../features/preprocessing.js';
import { normaliseValue, type DuckDBConnection } from '../../io/duckdb.js';

export type FeatureDateOptions = Omit<Parameters<typeof computeFeatures>[1], 'asOf' | 'target'>;

/**
 * The feature tables the neural backtests read, one per date, each computed once: the backtest windows share
 * dates (the selection window's cutoff is the test window's first training date, the seasonal window's first
 * training date the test window's second one), and a features query costs as much as the features stage.
 * `planned` says how many uses each shared date will have (by ISO date); a table is dropped after its last use,
 * so at most the tables still wanted later are kept. Features at a date depend only on the data and that date, so a
 * shared table holds exactly what a table computed for each use would.
 *
 * A date without planned uses (a training date of one window alone, see the timing stage) gets a table of the customers asked
 * for alone, computed for that use and dropped at its release: the network trains on a sample of at most
 * timing.neural_max_rows customers, and a features query for them costs about 60% of one for every customer
 * (100k generated customers with every table). Their rows are those of the whole table: with
 * restrictedToPopulation the top levels (categories, brands, interests) are chosen from every customer's rows
 * whatever the population, and each other value is the customer's own.
 */
export class FeatureDates {
  private readonly remaining: Map<string, number>;
  private readonly built = new Set<string>();
  /** Tables of one use's customers (and their population tables), by ISO date. */
  private readonly samples = new Map<string, readonly string[]>();

  /** The backtest sample's table, once created (see the constructor's `population`). */
  private populationTable: string | undefined;
  /** The sample's rows of each source table, cut out once with its table (see populationOf). */
  private sourceRows: Record<string, string> = {};
  /** Which columns of each source have a value at each date: one scan of each source for every date. */
  private readonly filled = new FilledColumnsByDate();

  /**
   * With `population` (the backtests' sample of customers, timing.backtest_max_customers), every table holds
   * those customers' rows alone, computed from their rows of the sources (populationRowsOnly): each value is the
   * one a table of every customer would hold for them (the top levels are still chosen from every row).
   */
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly options: FeatureDateOptions,
    planned: readonly Date[],
    private readonly population?: readonly string[],
  ) {
    this.remaining = new Map();
    for (const date of planned)
      this.remaining.set(toIsoDate(date), (this.remaining.get(toIsoDate(date)) ?? 0) + 1);
  }

  /**
   * The name of the table of features at `date`, computed on its first use; for a date without planned uses and
   * with `customerIds`, a table of those customers only (see the class).
   */
  async acquire(date: Date, customerIds?: readonly string[]): Promise<string> {
    const key = toIsoDate(date);
    if (customerIds && this.options.restrictedToPopulation === true && !((this.remaining.get(key) ?? 0) > 0))
      return this.sampleTable(date, customerIds);
    const table = tableName(date);
    if (!this.built.has(table)) {
      const population = this.population
        ? { population: await this.populationOf(), populationRowsOnly: true, sourceRows: this.sourceRows }
        : {};
      await computeFeatures(this.connection, { ...this.options, ...population, asOf: date, target: table, filledColumns: this.filled });
      this.built.add(table);
    }
    return table;
  }

  private populationIdSet: ReadonlySet<string> | undefined;

  private populationIds(): ReadonlySet<string> {
    return (this.populationIdSet ??= new Set(this.population));
  }

  private async populationOf(): Promise<string> {
    if (this.populationTable) return this.populationTable;
    const table = 'features_backtest_population';
    await this.writeIds(table, this.population ?? []);
    this.populationTable = table;
    // Every table of the stage is computed from the sample's rows alone (populationRowsOnly): filtering a source
    // on the sample at each of the seven dates read all of it seven times (156M events at 1M customers). Cut
    // once, each date reads the sample's share; the rows are the same, so is every value.
    for (const source of await this.sources()) {
      const rows = `features_backtest_${source}`;
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${rows} AS SELECT * FROM ${source} WHERE CAST(customer_id AS VARCHAR) IN (SELECT customer_id FROM ${table})`,
      );
      this.sourceRows[source] = rows;
    }
    return table;
  }

  /** The source tables the features read that this database holds. */
  private async sources(): Promise<string[]> {
    const names = SOURCES.map((t) => `'${t}'`).join(', ');
    const found = await this.connection.runAndReadAll(
      `SELECT DISTINCT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name IN (${names})`,
    );
    const present = new Set(found.getRowObjects().map((r) => String(r.table_name)));
    return SOURCES.filter((t) => present.has(t));
  }

  private async writeIds(table: string, customerIds: readonly string[]): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (customer_id VARCHAR)`);
    const appender = await this.connection.createAppender(table);
    for (const id of customerIds) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.closeSync();
  }

  private async sampleTable(date: Date, customerIds: readonly string[]): Promise<string> {
    await this.dropSample(toIsoDate(date));
    const table = `${tableName(date)}_sample`;
    const population = `${table}_population`;
    this.samples.set(toIsoDate(date), [table, population]);
    await this.writeIds(population, customerIds);
    // Customers of the backtest sample (the training customers are drawn from it): from its rows cut out once.
    const inSample = this.population !== undefined && customerIds.every((id) => this.populationIds().has(id));
    if (inSample) await this.populationOf();
    const sourceRows = inSample ? { sourceRows: this.sourceRows } : {};
    await computeFeatures(this.connection, {
      ...this.options,
      asOf: date,
      target: table,
      population,
      populationRowsOnly: true,
      ...sourceRows,
      filledColumns: this.filled,
    });
    return table;
  }

  private async dropSample(key: string): Promise<void> {
    for (const table of this.samples.get(key) ?? []) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    this.samples.delete(key);
  }

  /** One use of `date` is over (or will not happen): its table is dropped when no use is left. */
  async release(date: Date): Promise<void> {
    const key = toIsoDate(date);
    await this.dropSample(key);
    const left = (this.remaining.get(key) ?? 1) - 1;
    this.remaining.set(key, left);
    if (left <= 0 && this.built.delete(tableName(date)))
      await this.connection.run(`DROP TABLE IF EXISTS ${tableName(date)}`);
  }

  /** Drops every table still held (the end of the stage, or a failure part-way). */
  async dropAll(): Promise<void> {
    for (const table of this.built) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    this.built.clear();
    for (const key of [...this.samples.keys()]) await this.dropSample(key);
    if (this.populationTable) await this.connection.run(`DROP TABLE IF EXISTS ${this.populationTable}`);
    this.populationTable = undefined;
    for (const rows of Object.values(this.sourceRows)) await this.connection.run(`DROP TABLE IF EXISTS ${rows}`);
    this.sourceRows = {};
    await this.filled.drop(duckdbEngine(this.connection));
  }
}

/** The source tables of the features (see computeFeatures). */
const SOURCES = ['orders', 'events', 'customers', 'zero_party'] as const;

function tableName(date: Date): string {
  return `features_at_${toIsoDate(date).replaceAll('-', '')}`;
}

/** Column types whose values are JavaScript numbers as they are read (BIGINT, a bigint, is converted when safe). */
const NUMBER_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
]);

/**
 * The result of `sql` as feature columns: those named in `numeric` (numeric features) as Float64Arrays with
 * NaN where a value is missing, which the preprocessing reads exactly as it reads null; every other column as
 * JavaScript values, as queryColumns gives them. Reading the numbers straight from DuckDB's vectors skips a
 * JavaScript value per cell (most of the time the neural backtests spent reading features).
 */
export async function readFeatureColumns(
  connection: DuckDBConnection,
  sql: string,
  numeric: ReadonlySet<string>,
): Promise<{ rows: number; columns: FeatureColumns }> {
  const result = await connection.run(sql);
  const names = result.columnNames();
  const types = names.map((_, j) => result.columnTypeId(j));
  const chunks = await result.fetchAllChunks();
  const rows = chunks.reduce((n, chunk) => n + chunk.rowCount, 0);
  const columns: Record<string, FeatureValues> = {};
  names.forEach((name, j) => {
    const typed = numeric.has(name) && NUMBER_TYPES.has(types[j] as DuckDBTypeId) ? numbersOf(chunks, j, rows) : undefined;
    columns[name] = typed ?? chunks.flatMap((chunk) => chunk.convertColumnValues(j, JSDuckDBValueConverter).map(normaliseValue));
  });
  return { rows, columns };
}

/** Column `j` as doubles (NaN for null); undefined when a BIGINT is beyond 2^53 (then it is read as queryColumns reads it). */
function numbersOf(chunks: readonly DuckDBDataChunk[], j: number, rows: number): Float64Array | undefined {
  const out = new Float64Array(rows);
  let at = 0;
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(j);
    for (let i = 0; i < chunk.rowCount; i++) {
      const v = vector.getItem(i);
      if (v === null) out[at++] = Number.NaN;
      else if (typeof v === 'number') out[at++] = v;
      else {
        const n = normaliseValue(v);
        if (typeof n !== 'number') return undefined;
        out[at++] = n;
      }
    }
  }
  return out;
}
