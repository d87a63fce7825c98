import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { PersonaeError } from '../core/errors.js';
import { DEFAULT_BATCH_ROWS, type Row, type SqlEngine } from './engine.js';
import { POSTGRES_TYPES } from './postgres-types.js';

/** A PostgreSQL engine: one session on one server (a plain server, a shard or a coordinator). */
export interface PostgresEngine extends SqlEngine {
  readonly dialect: 'postgresql';
  /** Where it is connected, without the password (for messages). */
  readonly server: string;
  /** Streams `source` (e.g. a CSV file) into `COPY … FROM STDIN …`. Returns the rows copied. */
  copyIn(copySql: string, source: Readable): Promise<number>;
  /** The output of `COPY … TO STDOUT …` as a stream (the session is busy until it ends). */
  copyOut(copySql: string): Readable;
}

/** Runs every session in UTC with ISO dates: timestamps compare as UTC days, as in the DuckDB engine. */
const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO -c client_min_messages=warning';

/**
 * Connects to the PostgreSQL server of `url` (postgresql://user:password@host:port/database). A server that
 * cannot be reached or refuses the login is the user's setting to fix, reported without the password.
 */
export async function openPostgresEngine(url: string): Promise<PostgresEngine> {
  const server = describeServer(url);
  const client = new pg.Client({
    connectionString: url,
    types: POSTGRES_TYPES,
    options: SESSION_OPTIONS,
    application_name: 'personae',
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new PersonaeError(
      'config',
      'postgres_connect',
      `cannot connect to PostgreSQL at ${server}: ${(error as Error).message}`,
      'check that the server runs and that the URL (postgresql://user:password@host:port/database) is right; ' +
        'for local test servers run scripts/postgres/clusters.sh start (see the README, "PostgreSQL")',
    );
  }
  let closed = false;
  return {
    dialect: 'postgresql',
    server,
    async query<T = Row>(sql: string): Promise<T[]> {
      const result = await client.query(sql);
      // Several statements give one result each: the rows are the last one's.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last?.rows ?? []) as T[];
    },
    stream: <T = Row>(sql: string, batchRows = DEFAULT_BATCH_ROWS) => streamRows<T>(client, sql, batchRows),
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async copyIn(copySql: string, source: Readable): Promise<number> {
      const sink = client.query(copyFrom(copySql));
      await pipeline(source, sink);
      return sink.rowCount;
    },
    copyOut(copySql: string): Readable {
      return client.query(copyTo(copySql));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await client.end();
    },
  };
}

let cursorCount = 0;

/**
 * A server-side cursor in its own transaction, fetched `batchRows` at a time: the server holds the result,
 * this process one batch. The session must not be used for anything else until the stream ends.
 */
async function* streamRows<T>(client: pg.Client, sql: string, batchRows: number): AsyncGenerator<T[]> {
  const cursor = `personae_stream_${++cursorCount}`;
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const { rows } = await client.query(
        `FETCH FORWARD ${Math.max(1, Math.floor(batchRows))} FROM ${cursor}`,
      );
      if (rows.length === 0) break;
      yield rows as T[];
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A consumer that stops early (break) lands here with the transaction still open.
    if (client.getTransactionStatus?.() === 'T') await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** user@host:port/database of a connection URL: never its password. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || ''}`;
  } catch {
    return 'an unreadable URL (expected postgresql://user:password@host:port/database)';
  }
}
