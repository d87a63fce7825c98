import { PersonaeError } from '../core/errors.js';
import { quoteIdent as q, quoteLiteral as lit } from '../io/sql.js';

/** A column as DuckDB describes it (`DESCRIBE`): its name and DuckDB type. */
export interface ColumnType {
  readonly name: string;
  readonly type: string;
}

/** One shard of a coordinator: its postgres_fdw server name on the coordinator. */
export interface ShardServer {
  readonly server: string;
}

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: 'text',
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  UTINYINT: 'smallint',
  INTEGER: 'integer',
  USMALLINT: 'integer',
  BIGINT: 'bigint',
  UINTEGER: 'bigint',
  UBIGINT: 'numeric(20)',
  HUGEINT: 'numeric(39)',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  UUID: 'uuid',
};

/**
 * The PostgreSQL type that holds a DuckDB column's values exactly as DuckDB writes them to CSV: ENUMs become
 * text (PostgreSQL enums are types of their own, created per database), DECIMAL(p,s) stays numeric(p,s).
 */
export function postgresType(table: string, column: ColumnType): string {
  const simple = SIMPLE_TYPES[column.type];
  if (simple) return simple;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(column.type);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  if (column.type.startsWith('ENUM(')) return 'text';
  throw new PersonaeError(
    'input',
    'postgres_type',
    `${table}.${column.name} has DuckDB type ${column.type}, which Personae does not copy to PostgreSQL`,
    'cast the column to text, a number or a timestamp before copying it',
  );
}

export function qualified(schema: string, table: string): string {
  return `${q(schema)}.${q(table)}`;
}

function columnList(table: string, columns: readonly ColumnType[]): string {
  return columns.map((c) => `${q(c.name)} ${postgresType(table, c)}`).join(', ');
}

/** A plain table (replacing one of the same name). */
export function createTableSql(schema: string, table: string, columns: readonly ColumnType[]): string {
  return `CREATE SCHEMA IF NOT EXISTS ${q(schema)};
DROP TABLE IF EXISTS ${qualified(schema, table)} CASCADE;
CREATE TABLE ${qualified(schema, table)} (${columnList(table, columns)})`;
}

/** COPY of a table's columns from CSV with `\N` for NULL (DuckDB's `NULLSTR '\N'` writes them so). */
export function copyFromCsvSql(schema: string, table: string, columns: readonly ColumnType[]): string {
  return `COPY ${qualified(schema, table)} (${columns.map((c) => q(c.name)).join(', ')}) FROM STDIN (FORMAT csv, NULL '\\N')`;
}

/** The coordinator's name for the foreign partition of `table` on shard `index` (0-based). */
export function partitionName(table: string, index: number): string {
  return `${table}_shard${index + 1}`;
}

/**
 * On the coordinator: `table` hash-partitioned on `key`, one partition per shard, each a postgres_fdw foreign
 * table on the shard's table of the same schema and name. Rows inserted into `table` go to their shard in
 * batches of `batchSize`.
 */
export function shardedTableSql(
  schema: string,
  table: string,
  columns: readonly ColumnType[],
  key: string,
  shards: readonly ShardServer[],
  batchSize: number,
): string {
  const partitions = shards.map(
    (shard, index) =>
      `CREATE FOREIGN TABLE ${qualified(schema, partitionName(table, index))} PARTITION OF ${qualified(schema, table)}
  FOR VALUES WITH (MODULUS ${shards.length}, REMAINDER ${index})
  SERVER ${q(shard.server)} OPTIONS (schema_name ${lit(schema)}, table_name ${lit(table)}, batch_size ${lit(String(batchSize))}, use_remote_estimate 'true')`,
  );
  return `CREATE SCHEMA IF NOT EXISTS ${q(schema)};
DROP TABLE IF EXISTS ${qualified(schema, table)} CASCADE;
CREATE TABLE ${qualified(schema, table)} (${columnList(table, columns)}) PARTITION BY HASH (${q(key)});
${partitions.join(';\n')}`;
}

/**
 * The rows of `staging` that belong to partition `index` of `schema.table` (hash-partitioned on `key` in
 * `modulus` parts): `satisfies_hash_partition` is the check of PostgreSQL's own partition constraints.
 */
export function shardRowsSql(
  schema: string,
  table: string,
  staging: string,
  columns: readonly ColumnType[],
  key: string,
  modulus: number,
  index: number,
): string {
  const parent = lit(qualified(schema, table));
  return `SELECT ${columns.map((c) => q(c.name)).join(', ')} FROM ${staging}
  WHERE satisfies_hash_partition(${parent}::regclass, ${modulus}, ${index}, ${q(key)})`;
}
