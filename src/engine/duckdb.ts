import type { DuckDBConnection } from '@duckdb/node-api';
import { normaliseRow, queryRows } from '../io/duckdb.js';
import { DEFAULT_BATCH_ROWS, type Row, type SqlEngine } from './engine.js';

/**
 * The engine interface over an open DuckDB connection (the one `openEngine` of src/io/duckdb.ts gives, with
 * its memory limit and file access rules). `close` leaves the connection open: its owner closes it.
 */
export function duckdbEngine(connection: DuckDBConnection): SqlEngine {
  return {
    dialect: 'duckdb',
    query: <T = Row>(sql: string) => queryRows<T>(connection, sql),
    stream: <T = Row>(sql: string, batchRows = DEFAULT_BATCH_ROWS) =>
      streamRows<T>(connection, sql, batchRows),
    async exec(sql: string) {
      await connection.run(sql);
    },
    async close() {},
  };
}

async function* streamRows<T>(
  connection: DuckDBConnection,
  sql: string,
  batchRows: number,
): AsyncGenerator<T[]> {
  const result = await connection.stream(sql);
  let batch: T[] = [];
  // DuckDB yields chunks of 2048 rows; they are regrouped so that both engines honour `batchRows`.
  for await (const chunk of result.yieldRowObjectJs()) {
    for (const row of chunk) {
      batch.push(normaliseRow(row) as T);
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
