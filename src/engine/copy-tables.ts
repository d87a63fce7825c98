import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { configError } from '../core/errors.js';
import { PURCHASE_DAYS, purchaseDaysColumns, purchaseDaysSql } from '../features/sql/purchase-days.js';
import { queryRows } from '../io/duckdb.js';
import { quoteIdent as q, quoteLiteral as lit } from '../io/sql.js';
import type { PostgresEngine } from './postgres.js';
import {
  copyFromCsvSql,
  createTableSql,
  qualified,
  shardedTableSql,
  shardRowsSql,
  type ColumnType,
} from './postgres-ddl.js';

export interface CopyTablesOptions {
  /** DuckDB tables to copy (e.g. the validated contract tables: customers, orders, …). */
  readonly tables: readonly string[];
  /** PostgreSQL schema that receives them (created if missing); tables of the same names are replaced. */
  readonly schema: string;
  /** Where the CSV hand-over files go (removed afterwards); the system's temporary folder by default. */
  readonly workDir?: string;
}

/** One shard: a session on the shard server and the coordinator's postgres_fdw server that reaches it. */
export interface Shard {
  readonly engine: PostgresEngine;
  readonly server: string;
}

export interface ShardedCopyOptions extends CopyTablesOptions {
  /** The distribution column: tables that have it are hash-partitioned on it (default customer_id). */
  readonly key?: string;
  /** Rows per remote INSERT when rows are later inserted through the coordinator (postgres_fdw `batch_size`). */
  readonly batchSize?: number;
}

/** Rows copied per table. */
export type CopiedRows = Record<string, number>;

/**
 * Copies DuckDB tables into a PostgreSQL schema: same column names, matching types (see `postgresType`),
 * values handed over as CSV through `COPY … FROM STDIN`, then `ANALYZE`d for the planner.
 */
export async function copyTablesToPostgres(
  source: DuckDBConnection,
  target: PostgresEngine,
  options: CopyTablesOptions,
): Promise<CopiedRows> {
  return withCsvFiles(source, options, async (table, columns, csv) => {
    await target.exec(createTableSql(options.schema, table, columns));
    const rows = await target.copyIn(copyFromCsvSql(options.schema, table, columns), createReadStream(csv));
    await target.exec(`ANALYZE ${qualified(options.schema, table)}`);
    const days = purchaseDaysView(options.schema, table, columns);
    if (days) await target.exec(days.view);
    return rows;
  });
}

/**
 * Beside the orders, the view of purchase days the feature query sums its purchase gaps from (see
 * purchase-days.ts); undefined for another table, or orders without the columns it needs with their types.
 */
function purchaseDaysView(
  schema: string,
  table: string,
  columns: readonly ColumnType[],
): { view: string; columns: ColumnType[] } | undefined {
  const type = (name: string): string | undefined => columns.find((c) => c.name === name)?.type;
  const customerId = type('customer_id');
  const orderedAt = type('ordered_at');
  const amount = type('amount') ?? '';
  const status = type('status');
  // Typed orders only (the validated contract's): a table of text columns has no purchase days to compute.
  const numeric = /^(DOUBLE|FLOAT|DECIMAL\(\d+,\s*\d+\)|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(amount);
  const typed = orderedAt === 'TIMESTAMP' && numeric && (status === undefined || status === 'VARCHAR');
  if (table !== 'orders' || !customerId || !typed) return undefined;
  const hasStatus = status !== undefined;
  return {
    view: `CREATE VIEW ${qualified(schema, PURCHASE_DAYS)} AS\n${purchaseDaysSql(qualified(schema, table), hasStatus)}`,
    columns: purchaseDaysColumns(customerId, orderedAt),
  };
}

/**
 * Copies DuckDB tables to a coordinator and its shards: on each shard a plain table of the same schema and
 * name holds that shard's rows; on the coordinator the table is hash-partitioned on `key` with one
 * postgres_fdw foreign partition per shard (shard i holds remainder i). Rows go to the coordinator (COPY into
 * a temporary table) and from there by COPY to the shard whose partition PostgreSQL's hash puts them in. Tables without `key` (campaigns) stay on the coordinator alone.
 */
export async function copyTablesToShards(
  source: DuckDBConnection,
  coordinator: PostgresEngine,
  shards: readonly Shard[],
  options: ShardedCopyOptions,
): Promise<CopiedRows> {
  if (shards.length < 2) {
    configError(
      'postgres_shards',
      `a coordinator needs two shards or more, got ${shards.length}`,
      'list every shard',
    );
  }
  const key = options.key ?? 'customer_id';
  const batchSize = options.batchSize ?? 1000;
  const { schema } = options;
  return withCsvFiles(source, options, async (table, columns, csv) => {
    if (!columns.some((c) => c.name === key)) {
      await coordinator.exec(createTableSql(schema, table, columns));
      const rows = await coordinator.copyIn(copyFromCsvSql(schema, table, columns), createReadStream(csv));
      await coordinator.exec(`ANALYZE ${qualified(schema, table)}`);
      return rows;
    }
    for (const shard of shards) await shard.engine.exec(createTableSql(schema, table, columns));
    await coordinator.exec(shardedTableSql(schema, table, columns, key, shards, batchSize));
    // The rows land once on the coordinator, then each shard receives its own in one COPY stream, chosen by
    // satisfies_hash_partition (the check of PostgreSQL's own partition constraints), rather than through
    // postgres_fdw's INSERTs of `batchSize` rows. ANALYZE of the foreign partitions reads every shard's rows
    // (PostgreSQL 15; 16 samples remotely): about a third of the copy's time, for the coordinator's statistics.
    const staging = `personae_load_${table}`;
    await coordinator.exec(
      `DROP TABLE IF EXISTS pg_temp.${q(staging)}; CREATE TEMP TABLE ${q(staging)} (LIKE ${qualified(schema, table)})`,
    );
    const rows = await coordinator.copyIn(copyFromCsvSql('pg_temp', staging, columns), createReadStream(csv));
    for (const [index, shard] of shards.entries()) {
      const ofShard = shardRowsSql(
        schema,
        table,
        `pg_temp.${q(staging)}`,
        columns,
        key,
        shards.length,
        index,
      );
      await shard.engine.copyIn(
        copyFromCsvSql(schema, table, columns),
        coordinator.copyOut(`COPY (${ofShard}) TO STDOUT (FORMAT csv, NULL '\\N')`),
      );
    }
    await coordinator.exec(`DROP TABLE pg_temp.${q(staging)}`);
    for (const shard of shards) await shard.engine.exec(`ANALYZE ${qualified(schema, table)}`);
    await coordinator.exec(`ANALYZE ${qualified(schema, table)}`);
    // The purchase days: a view on each shard over its orders, and on the coordinator a table partitioned as
    // the orders are, whose partitions are the shards' views (each holds its shard's customers only).
    const days = purchaseDaysView(schema, table, columns);
    if (days) {
      for (const shard of shards) await shard.engine.exec(days.view);
      await coordinator.exec(shardedTableSql(schema, PURCHASE_DAYS, days.columns, key, shards, batchSize));
      // Without statistics the coordinator would guess a few hundred customers and sum the gaps itself.
      await coordinator.exec(`ANALYZE ${qualified(schema, PURCHASE_DAYS)}`);
    }
    return rows;
  });
}

/** Writes each table to a CSV file (DuckDB's writer, `\N` for NULL) and hands it to `load`. */
async function withCsvFiles(
  source: DuckDBConnection,
  options: CopyTablesOptions,
  load: (table: string, columns: ColumnType[], csv: string) => Promise<number>,
): Promise<CopiedRows> {
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'personae-copy-'));
  const copied: CopiedRows = {};
  try {
    for (const table of options.tables) {
      const columns = await describeTable(source, table);
      const csv = join(dir, `${table}.csv`);
      const select = columns.map((c) => q(c.name)).join(', ');
      await source.run(
        `COPY (SELECT ${select} FROM ${q(table)}) TO ${lit(csv)} (FORMAT csv, HEADER false, NULLSTR '\\N')`,
      );
      copied[table] = await load(table, columns, csv);
      await rm(csv);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return copied;
}

async function describeTable(source: DuckDBConnection, table: string): Promise<ColumnType[]> {
  const rows = await queryRows<{ column_name: string; column_type: string }>(source, `DESCRIBE ${q(table)}`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}
