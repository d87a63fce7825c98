import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyTablesToPostgres } from '../engine/copy-tables.js';
import { qualified } from '../engine/postgres-ddl.js';
import { openPostgresEngine } from '../engine/postgres.js';
import { openEngine } from './duckdb.js';
import type { PostgresSource } from './postgres-source.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

/**
 * The tables a run writes back, each replacing the previous run's as a whole (so a customer erased or no
 * longer consented since then is gone from them too). Named `personae_*` so that they can share a schema
 * with the contract's tables without meeting them.
 */
export const WRITE_BACK_TABLES = {
  scores: 'personae_scores',
  audienceMembers: 'personae_audience_members',
  personas: 'personae_personas',
  run: 'personae_run',
} as const;

/** Rows written per table. */
export type WrittenBack = Record<string, number>;

const INCOMING = '__incoming';

/**
 * Writes a finished run's outputs (in `outDir`) to PostgreSQL tables: the scores table as scores.parquet has
 * it; the audience lists' memberships (audience, channel, kind, segment, customer_id — no address: the
 * database already holds its customers' contacts); the personas (id, names, size and shares); and the run
 * (as-of date). The tables are loaded under temporary names and swapped in one transaction, so a reader
 * sees the previous run's tables or this one's, never half of them.
 */
export async function writeBackToPostgres(
  outDir: string,
  asOf: string,
  target: PostgresSource,
): Promise<WrittenBack> {
  const duck = await openEngine({ threads: 1 });
  const pg = await openPostgresEngine(target.url);
  try {
    const c = duck.connection;
    const incoming = (table: string): string => `${table}${INCOMING}`;
    await c.run(
      `CREATE TABLE ${q(incoming(WRITE_BACK_TABLES.scores))} AS SELECT * FROM read_parquet(${lit(join(outDir, 'scores.parquet'))})`,
    );
    await c.run(
      `CREATE TABLE ${q(incoming(WRITE_BACK_TABLES.audienceMembers))} AS ${membersSql(join(outDir, 'exports'))}`,
    );
    await c.run(
      `CREATE TABLE ${q(incoming(WRITE_BACK_TABLES.personas))} AS ${personasSql(join(outDir, 'personas.json'))}`,
    );
    await c.run(`CREATE TABLE ${q(incoming(WRITE_BACK_TABLES.run))} AS SELECT DATE ${lit(asOf)} AS as_of`);
    const tables = Object.values(WRITE_BACK_TABLES);
    const copied = await copyTablesToPostgres(c, pg, { tables: tables.map(incoming), schema: target.schema });
    const swap = tables.map(
      (t) =>
        `DROP TABLE IF EXISTS ${qualified(target.schema, t)}; ALTER TABLE ${qualified(target.schema, incoming(t))} RENAME TO ${q(t)};`,
    );
    await pg.exec(`BEGIN; ${swap.join(' ')} COMMIT;`);
    return Object.fromEntries(tables.map((t) => [t, copied[incoming(t)] ?? 0]));
  } finally {
    duck.close();
    await pg.close();
  }
}

/** One row per member of each audience list (exports/*.json; none when the run wrote no list). */
function membersSql(exportsDir: string): string {
  const lists = existsSync(exportsDir)
    ? readdirSync(exportsDir)
        .filter((f) => f.endsWith('.json') && f !== 'summary.json')
        .sort()
        .map((f) => join(exportsDir, f))
    : [];
  const empty =
    'SELECT NULL::VARCHAR AS audience, NULL::VARCHAR AS channel, NULL::VARCHAR AS kind, NULL::VARCHAR AS segment, NULL::VARCHAR AS customer_id WHERE false';
  if (lists.length === 0) return empty;
  const files = `[${lists.map(lit).join(', ')}]`;
  return `SELECT name AS audience, channel, kind, segment, member.customer_id::VARCHAR AS customer_id
    FROM (SELECT name, channel, kind, segment, unnest(members) AS member
          FROM read_json(${files}, format = 'auto', maximum_object_size = 1073741824,
                         columns = {name: 'VARCHAR', channel: 'VARCHAR', kind: 'VARCHAR', segment: 'VARCHAR', members: 'STRUCT(customer_id VARCHAR)[]'}))
    ORDER BY audience, customer_id`;
}

function personasSql(file: string): string {
  return `SELECT p.id AS persona_id, p.name.en AS name_en, p.name.fr AS name_fr, p.size::INTEGER AS customers,
           p.shareOfCustomers::DOUBLE AS share_of_customers, p.shareOfRevenue::DOUBLE AS share_of_revenue
    FROM (SELECT unnest(personas) AS p
          FROM read_json(${lit(file)}, maximum_object_size = 1073741824,
                         columns = {personas: 'STRUCT(id VARCHAR, name STRUCT(en VARCHAR, fr VARCHAR), size BIGINT, shareOfCustomers DOUBLE, shareOfRevenue DOUBLE)[]'}))
    ORDER BY persona_id`;
}

/**
 * When a retrain keeps the incumbent models, the written-back tables keep the promoted run's rows, but
 * a customer erased, no longer consented or gone since then must not stay in them: deletes from the scores
 * and the audience memberships every customer who is not in this run's scores. Returns the rows deleted.
 */
export async function scrubWriteBack(outDir: string, target: PostgresSource): Promise<WrittenBack> {
  const duck = await openEngine({ threads: 1 });
  const pg = await openPostgresEngine(target.url);
  const keep = `personae_keep${INCOMING}`;
  try {
    const present = await pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = ${lit(target.schema)}`,
    );
    const tables = [WRITE_BACK_TABLES.scores, WRITE_BACK_TABLES.audienceMembers].filter((t) =>
      present.some((p) => p.table_name === t),
    );
    if (tables.length === 0) return {};
    await duck.connection.run(
      `CREATE TABLE ${q(keep)} AS SELECT DISTINCT customer_id FROM read_parquet(${lit(join(outDir, 'scores.parquet'))})`,
    );
    await copyTablesToPostgres(duck.connection, pg, { tables: [keep], schema: target.schema });
    const deleted: WrittenBack = {};
    await pg.exec('BEGIN');
    try {
      for (const t of tables) {
        const rows = await pg.query<{ n: number }>(
          `WITH gone AS (DELETE FROM ${qualified(target.schema, t)} w
             WHERE NOT EXISTS (SELECT 1 FROM ${qualified(target.schema, keep)} k WHERE k.customer_id = w.customer_id)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
        );
        deleted[t] = Number(rows[0]?.n ?? 0);
      }
      await pg.exec(`DROP TABLE ${qualified(target.schema, keep)}; COMMIT`);
    } catch (error) {
      await pg.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return deleted;
  } finally {
    duck.close();
    await pg.close();
  }
}
