import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config/schema.js';
import { configError, inputError, show } from '../core/errors.js';
import { TABLE_NAMES, type TableName } from '../contract/schema.js';
import { describeServer, openPostgresEngine, type PostgresEngine } from '../engine/postgres.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

/** Where the contract tables live in PostgreSQL: a server (URL with its credentials) and a schema. */
export interface PostgresSource {
  readonly url: string;
  readonly schema: string;
}

/** The config's `data: {postgres: …}`: the URL itself, or the name of the environment variable holding it. */
export interface PostgresSetting {
  readonly url?: string | undefined;
  readonly env?: string | undefined;
  readonly schema?: string | undefined;
}

const URL_PATTERN = /^postgres(?:ql)?:\/\//i;

/** Whether `--data` names a PostgreSQL server (postgresql://… or postgres://…) rather than a directory. */
export function isPostgresUrl(text: string): boolean {
  return URL_PATTERN.test(text);
}

/**
 * `--data postgresql://user:password@host:port/database?schema=shop`: the schema comes from the `schema`
 * parameter (default public), which is not passed on to the server.
 */
export function postgresSourceFromUrl(text: string, flag = '--data'): PostgresSource {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return configError(
      'postgres_url',
      `the ${flag} PostgreSQL URL cannot be read`,
      'write it postgresql://user:password@host:port/database?schema=name (percent-encode special characters)',
    );
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

/** The config's `data: {postgres: {url | env, schema}}`; `env` keeps the password out of the config file. */
export function postgresSourceFromSetting(
  setting: PostgresSetting,
  env: NodeJS.ProcessEnv = process.env,
  key: 'data' | 'write_back' = 'data',
): PostgresSource {
  const fromEnv = setting.env === undefined ? undefined : env[setting.env];
  if (setting.env !== undefined && !fromEnv) {
    configError(
      'postgres_env',
      `${key}.postgres.env names the environment variable ${show(setting.env)}, which is not set`,
      `export ${setting.env}=postgresql://user:password@host:port/database before running Personae`,
    );
  }
  const url = setting.url ?? fromEnv;
  if (!url || !isPostgresUrl(url)) {
    configError(
      'postgres_url',
      `${key}.postgres needs url (postgresql://…) or env (the name of a variable holding it)`,
      `set ${key}: {postgres: {env: SHOP_DATABASE_URL, schema: ${key === 'data' ? 'shop' : 'personae'}}} in the config`,
    );
  }
  const fromUrl = postgresSourceFromUrl(url, key === 'data' ? '--data' : '--write-back');
  return { url: fromUrl.url, schema: setting.schema ?? fromUrl.schema };
}

/** The source as run.json and messages show it: never the password. */
export function describeSource(source: PostgresSource): string {
  return `postgresql://${describeServer(source.url)} schema ${source.schema}`;
}

export interface StagedSource {
  /** A directory holding one CSV file per contract table found in the schema (removed by `remove`). */
  readonly dataDir: string;
  /** The config with the tables' file names and CSV reading set for the staged files. */
  readonly config: Config;
  readonly tables: TableName[];
  readonly description: string;
  remove(): Promise<void>;
}

interface ColumnInfo {
  readonly column_name: string;
  readonly data_type: string;
}

/**
 * Reads the contract's tables from a PostgreSQL schema for the file pipeline. Each table (named after the
 * contract table, or as `tables.<t>.file` says) is streamed out of the server by COPY as CSV, every column as
 * text (timestamps as ISO 8601 in UTC), in a fixed order (all columns, byte order), so that two runs read the
 * same rows in the same order. Validation, quarantine, consent and erasure then run on them exactly as on
 * files, in DuckDB: they are not yet written in PostgreSQL's dialect. Column mapping (`tables.<t>.columns`,
 * presets) applies to the table's column names as it does to a file's header.
 */
export async function stagePostgresSource(
  source: PostgresSource,
  config: Config,
  workDir: string = tmpdir(),
): Promise<StagedSource> {
  const engine = await openPostgresEngine(source.url);
  const description = describeSource(source);
  const dataDir = await mkdtemp(join(workDir, 'personae-postgres-'));
  const remove = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  try {
    const schemas = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = ${lit(source.schema)}`,
    );
    if (Number(schemas[0]?.n ?? 0) === 0) {
      inputError(
        'postgres_schema_missing',
        `${describeServer(source.url)} has no schema ${show(source.schema)} (or this login cannot see it)`,
        'name the schema holding the orders, customers, … tables: ?schema=name in the URL or data.postgres.schema',
      );
    }
    const tables: TableName[] = [];
    const stagedTables: NonNullable<Config['tables']> = { ...config.tables };
    for (const table of TABLE_NAMES) {
      const setting = config.tables[table];
      const name = setting?.file ?? table;
      const columns = await engine.query<ColumnInfo>(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = ${lit(source.schema)} AND table_name = ${lit(name)} ORDER BY ordinal_position`,
      );
      if (columns.length === 0) {
        if (setting?.file) {
          inputError(
            'postgres_table_missing',
            `tables.${table}.file names ${show(name)}, which is not a table of ${description}`,
            `create it, or set tables.${table}.file to the name of the table that holds the ${table}`,
          );
        }
        continue;
      }
      await copyTable(engine, source.schema, name, columns, join(dataDir, `${table}.csv`));
      const { file: _file, ...rest } = setting ?? { columns: {}, line_items: false };
      // The CSV is written with commas; numbers keep their text (detected as a file's would be).
      stagedTables[table] = { ...rest, separator: ',' };
      tables.push(table);
    }
    if (!tables.includes('orders')) {
      inputError(
        'postgres_orders_missing',
        `${description} has no orders table`,
        'name the schema that holds it, or set tables.orders.file to the name of the orders table',
      );
    }
    return { dataDir, config: { ...config, tables: stagedTables }, tables, description, remove };
  } catch (error) {
    await remove();
    throw error;
  } finally {
    await engine.close();
  }
}

/** Text of a column as the file pipeline reads it: ISO 8601 timestamps in UTC, everything else as text. */
function textOf(column: ColumnInfo): string {
  const c = q(column.column_name);
  if (column.data_type === 'timestamp with time zone') {
    return `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  }
  if (column.data_type === 'timestamp without time zone')
    return `to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  return `CAST(${c} AS text)`;
}

async function copyTable(
  engine: PostgresEngine,
  schema: string,
  table: string,
  columns: readonly ColumnInfo[],
  path: string,
): Promise<void> {
  const select = columns.map((c) => `${textOf(c)} AS ${q(c.column_name)}`).join(', ');
  const order = columns.map((c) => `${textOf(c)} COLLATE "C"`).join(', ');
  // Ordered by every column (as text, in byte order) so that the CSV and its line numbers, which
  // quarantine rows cite, are the same on every run over the same rows.
  await pipeline(
    engine.copyOut(
      `COPY (SELECT ${select} FROM ${q(schema)}.${q(table)} ORDER BY ${order}) TO STDOUT (FORMAT csv, HEADER true)`,
    ),
    createWriteStream(path),
  );
}
