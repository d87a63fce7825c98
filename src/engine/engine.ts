/**
 * One small interface for the SQL engines Personae runs on (DuckDB in process, PostgreSQL on a server or a
 * coordinator with shards), so that a stage hands SQL to an engine without knowing which one runs it.
 * Each engine speaks its own dialect: `dialect` tells a SQL builder which one to write.
 */
export type Dialect = 'duckdb' | 'postgresql';

/** A result row as plain JS values: BIGINT as number when safe (else string), DATE/TIMESTAMP as Date (UTC). */
export type Row = Record<string, unknown>;

export interface SqlEngine {
  readonly dialect: Dialect;
  /** Runs one query and returns all its rows. */
  query<T = Row>(sql: string): Promise<T[]>;
  /** Runs one query and yields its rows in batches of about `batchRows`, holding one batch at a time. */
  stream<T = Row>(sql: string, batchRows?: number): AsyncIterable<T[]>;
  /** Runs statements (several, separated by semicolons) for their effect. */
  exec(sql: string): Promise<void>;
  /** Releases what the engine opened; an engine wrapping a connection it was given leaves that open. */
  close(): Promise<void>;
}

/** Rows per batch of `stream` when the caller does not say. */
export const DEFAULT_BATCH_ROWS = 10_000;
