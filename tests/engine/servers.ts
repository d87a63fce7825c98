// The PostgreSQL servers of scripts/postgres/clusters.sh, as its `start` exports them. CI (.ci/run) always
// starts them; a developer without them sees the engine tests skipped with how to start them.
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { ingest } from '../../src/io/ingest.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { openPostgresEngine, type PostgresEngine } from '../../src/engine/postgres.js';
import {
  copyTablesToPostgres,
  copyTablesToShards,
  type CopiedRows,
  type Shard,
} from '../../src/engine/copy-tables.js';
import { openEngine, quoteIdent, quoteLiteral, type Engine } from '../../src/io/duckdb.js';
import { tempDir } from '../helpers/data-dir.js';

export interface TestServers {
  readonly single: string;
  readonly coordinator: string;
  readonly shards: readonly { readonly url: string; readonly server: string }[];
}

export const HOW_TO_START =
  'PostgreSQL engine tests skipped: PERSONAE_PG_URL is not set. Start the test servers with ' +
  '`eval "$(sudo scripts/postgres/clusters.sh start)"` (PostgreSQL 15+ from your distribution; see README, ' +
  '"PostgreSQL") and run the tests again in that shell.';

function list(name: string): string[] {
  return (process.env[name] ?? '').split(',').filter((s) => s.length > 0);
}

/** The servers named by the environment, or undefined (with a warning) when none is. */
export function testServers(): TestServers | undefined {
  const single = process.env.PERSONAE_PG_URL;
  if (!single) {
    console.warn(HOW_TO_START);
    return undefined;
  }
  const coordinator = process.env.PERSONAE_PG_COORDINATOR_URL;
  const urls = list('PERSONAE_PG_SHARD_URLS');
  const servers = list('PERSONAE_PG_SHARD_SERVERS');
  // Half a setup is a broken setup, not a reason to skip.
  if (!coordinator || urls.length < 2 || urls.length !== servers.length) {
    throw new Error(
      'PERSONAE_PG_URL is set but PERSONAE_PG_COORDINATOR_URL, PERSONAE_PG_SHARD_URLS and PERSONAE_PG_SHARD_SERVERS ' +
        'are not (two shards or more, as many servers as URLs): eval "$(scripts/postgres/clusters.sh env)"',
    );
  }
  return { single, coordinator, shards: urls.map((url, i) => ({ url, server: servers[i] as string })) };
}

/** A schema of this test process alone, so that test files and parallel runs never meet. */
export function testSchema(label: string): string {
  return `personae_test_${label}_${process.pid}_${Date.now().toString(36)}`;
}

export interface OpenedServers {
  readonly single: PostgresEngine;
  readonly coordinator: PostgresEngine;
  readonly shards: Shard[];
  /** Drops `schema` everywhere and closes every session. */
  dispose(schema: string): Promise<void>;
}

export async function openServers(servers: TestServers): Promise<OpenedServers> {
  const single = await openPostgresEngine(servers.single);
  const coordinator = await openPostgresEngine(servers.coordinator);
  const shards: Shard[] = [];
  for (const s of servers.shards) shards.push({ engine: await openPostgresEngine(s.url), server: s.server });
  const engines = [single, coordinator, ...shards.map((s) => s.engine)];
  return {
    single,
    coordinator,
    shards,
    async dispose(schema: string) {
      for (const engine of engines) {
        await engine.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        await engine.close();
      }
    },
  };
}

/** The contract tables a generated data set validates into. */
export const CONTRACT_TABLES = [
  'customers',
  'orders',
  'events',
  'zero_party',
  'consent',
  'erasure',
  'campaigns',
];

/** A generated data set (with dirty rows) validated by the pipeline's own ingest into `connection`. */
export async function ingestGenerated(
  connection: DuckDBConnection,
  options: { customers: number; seed: number },
): Promise<void> {
  const dataDir = tempDir('personae-engine-data-');
  await writeDataset(
    { customers: options.customers, seed: options.seed, dirty: 0.02, end: '2025-12-31' },
    dataDir,
  );
  await ingest(connection, { dataDir, config: parseConfig({}), asOf: parseIsoDate('2025-12-31') as Date });
}

export interface LoadedData {
  readonly duck: Engine;
  readonly pg: OpenedServers;
  readonly copiedSingle: CopiedRows;
  readonly copiedSharded: CopiedRows;
  /** Copies more DuckDB tables (e.g. made after the load) to the single server and to the shards. */
  copy(tables: readonly string[]): Promise<void>;
  /** Drops the schema everywhere and closes every engine. */
  dispose(): Promise<void>;
}

/**
 * A generated data set validated in DuckDB, then copied (tables, default: the contract's) into `schema` of the
 * single server and of the coordinator with its shards.
 */
export async function loadGenerated(
  servers: TestServers,
  options: { customers: number; seed: number; schema: string; tables?: readonly string[] },
): Promise<LoadedData> {
  const duck = await openEngine({ threads: 1 });
  const tables = options.tables ?? CONTRACT_TABLES;
  await ingestGenerated(duck.connection, options);
  const pg = await openServers(servers);
  const copy = async (names: readonly string[]): Promise<[CopiedRows, CopiedRows]> => [
    await copyTablesToPostgres(duck.connection, pg.single, { tables: names, schema: options.schema }),
    await copyTablesToShards(duck.connection, pg.coordinator, pg.shards, {
      tables: names,
      schema: options.schema,
    }),
  ];
  const [copiedSingle, copiedSharded] = await copy(tables);
  return {
    duck,
    pg,
    copiedSingle,
    copiedSharded,
    async copy(names) {
      await copy(names);
    },
    async dispose() {
      await pg.dispose(options.schema);
      duck.close();
    },
  };
}

/** The two ways a brand's tables can live in PostgreSQL: on one server, or on a coordinator with shards. */
export type PostgresSource = 'single' | 'coordinator';

/**
 * Loads the CSV files `tables` of a data directory, every column as text (as a shop database may hold them),
 * into `schema` of the single server or of the coordinator (hash-partitioned across the shards). The files
 * must parse: a line with the wrong number of fields has no row to become.
 */
export async function loadDataDir(
  pg: OpenedServers,
  source: PostgresSource,
  options: { dir: string; tables: readonly string[]; schema: string },
): Promise<void> {
  const duck = await openEngine({ threads: 1 });
  try {
    for (const table of options.tables) {
      const file = quoteLiteral(`${options.dir}/${table}.csv`);
      await duck.connection.run(
        `CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${file}, all_varchar = true, header = true)`,
      );
    }
    const copy = { tables: options.tables, schema: options.schema };
    if (source === 'single') await copyTablesToPostgres(duck.connection, pg.single, copy);
    else await copyTablesToShards(duck.connection, pg.coordinator, pg.shards, copy);
  } finally {
    duck.close();
  }
}

/** Drops each of `schemas` on every server, then closes every session. */
export async function disposeSchemas(pg: OpenedServers, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas.slice(1))
    for (const engine of [pg.single, pg.coordinator, ...pg.shards.map((s) => s.engine)])
      await engine.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  // dispose drops one schema everywhere and closes the sessions.
  await pg.dispose(schemas[0] ?? testSchema('unused'));
}
