import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openPostgresEngine, type PostgresEngine } from '../../src/engine/postgres.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { scrubWriteBack } from '../../src/io/postgres-write-back.js';
import { tempDir } from '../helpers/data-dir.js';
import { HOW_TO_START, testSchema, testServers } from '../engine/servers.js';

const servers = testServers();
const schema = testSchema('writeback');
const AS_OF = '2025-12-31';

async function scoreIds(out: string): Promise<string[]> {
  return withConnection(async (c) =>
    (
      await queryRows<{ customer_id: string }>(
        c,
        `SELECT customer_id FROM read_parquet('${join(out, 'scores.parquet')}') ORDER BY customer_id`,
      )
    ).map((r) => r.customer_id),
  );
}

/** Members of every audience list a run wrote, as "list customer" lines. */
function listMembers(out: string): string[] {
  const dir = join(out, 'exports');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .flatMap((f) => {
      const list = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        name: string;
        members: { customer_id: string }[];
      };
      return list.members.map((m) => `${list.name} ${m.customer_id}`);
    })
    .sort();
}

describe.skipIf(!servers)(servers ? 'personae run --write-back to PostgreSQL' : HOW_TO_START, () => {
  const data = tempDir('personae-wb-data-');
  const outs = { first: tempDir(), second: tempDir() };
  const config = join(tempDir('personae-wb-conf-'), 'run.yaml');
  let pg: PostgresEngine;
  let erased = '';
  const target = (): string => `${servers!.single}?schema=${schema}`;
  const run = (out: string, ...extra: string[]): Promise<number> =>
    main(['run', '--data', data, '--as-of', AS_OF, '--out', out, '--config', config, '--json', ...extra]);
  const table = async (name: string, order = 'customer_id'): Promise<Record<string, unknown>[]> =>
    pg.query(`SELECT * FROM "${schema}"."${name}" ORDER BY ${order}`);

  beforeAll(async () => {
    expect(await main(['generate', '--customers', '500', '--seed', '9', '--out', data, '--quiet'])).toBe(0);
    writeFileSync(config, 'clustering:\n  k: 3\ntiming:\n  neural_epochs: 5\n');
    pg = await openPostgresEngine(servers!.single);
    expect(await run(outs.first, '--write-back', target())).toBe(0);
  }, 600_000);

  afterAll(async () => {
    await pg?.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pg?.close();
  });

  it('writes the scores, the lists’ members (ids only, no address), the personas and the as-of date', async () => {
    const scores = await table('personae_scores');
    expect(scores.map((r) => r.customer_id)).toEqual(await scoreIds(outs.first));
    const parquet = await withConnection((c) =>
      queryRows<{ p: number; clv: number }>(
        c,
        `SELECT sum(p_buy_30) AS p, sum(predicted_clv) AS clv FROM read_parquet('${join(outs.first, 'scores.parquet')}')`,
      ),
    );
    expect(scores.reduce((s, r) => s + Number(r.p_buy_30), 0)).toBeCloseTo(parquet[0]!.p, 9);
    expect(scores.reduce((s, r) => s + Number(r.predicted_clv ?? 0), 0)).toBeCloseTo(parquet[0]!.clv, 6);

    const members = await table('personae_audience_members', 'audience, customer_id');
    expect(members.map((m) => `${m.audience} ${m.customer_id}`).sort()).toEqual(listMembers(outs.first));
    expect(members.length).toBeGreaterThan(100);
    expect(Object.keys(members[0]!).sort()).toEqual([
      'audience',
      'channel',
      'customer_id',
      'kind',
      'segment',
    ]);

    const personas = await table('personae_personas', 'persona_id');
    const doc = JSON.parse(readFileSync(join(outs.first, 'personas.json'), 'utf8')) as {
      personas: { id: string; name: { en: string }; size: number }[];
    };
    expect(personas.map((p) => [p.persona_id, p.name_en, p.customers])).toEqual(
      doc.personas.map((p) => [p.id, p.name.en, p.size]),
    );
    const runRow = await table('personae_run', 'as_of');
    expect(runRow.map((r) => (r.as_of as Date).toISOString().slice(0, 10))).toEqual([AS_OF]);
  });

  it('when a retrain keeps the incumbent, deletes the customers the new run no longer has and leaves the other rows as they were', async () => {
    const before = await table('personae_scores');
    const members = await table('personae_audience_members', 'audience, customer_id');
    erased = String(members[0]!.customer_id);
    appendFileSync(join(data, 'erasure.csv'), `${erased},2025-12-01 10:00:00\n`);
    expect(await run(outs.second)).toBe(0);
    const still = new Set(await scoreIds(outs.second));
    expect(still.has(erased)).toBe(false);
    const deleted = await scrubWriteBack(outs.second, { url: servers!.single, schema });
    const kept = before.filter((r) => still.has(String(r.customer_id)));
    expect(deleted.personae_scores).toBe(before.length - kept.length);
    expect(deleted.personae_scores).toBeGreaterThanOrEqual(1);
    expect(await table('personae_scores')).toEqual(kept);
    const after = await table('personae_audience_members', 'audience, customer_id');
    expect(after).toEqual(members.filter((m) => still.has(String(m.customer_id))));
    expect(after.some((m) => m.customer_id === erased)).toBe(false);
  }, 600_000);

  it('replaces the tables when a later run writes back (a retrain that promotes), and leaves no loading table', async () => {
    const registry = tempDir('personae-wb-registry-');
    const out = tempDir();
    writeFileSync(
      config,
      `data: ${JSON.stringify(data)}\nclustering:\n  k: 3\ntiming:\n  neural_epochs: 5\n`,
    );
    const code = await main([
      'retrain',
      '--config',
      config,
      '--as-of',
      AS_OF,
      '--registry',
      registry,
      '--out',
      out,
      '--write-back',
      target(),
      '--json',
    ]);
    expect(code).toBe(0);
    const scores = await table('personae_scores');
    expect(scores.map((r) => r.customer_id)).toEqual(await scoreIds(out));
    expect(scores.some((r) => r.customer_id === erased)).toBe(false);
    const after = await table('personae_audience_members', 'audience, customer_id');
    expect(after.map((m) => `${m.audience} ${m.customer_id}`).sort()).toEqual(listMembers(out));
    const tables = await pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'personae_audience_members',
      'personae_personas',
      'personae_run',
      'personae_scores',
    ]);
  }, 600_000);

  it('refuses a server it cannot log in to before running, naming it without the password (exit 2)', async () => {
    const url = new URL(servers!.single);
    url.password = 'not-the-password';
    url.searchParams.set('schema', schema);
    const out = tempDir();
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (
      stderr.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      expect(await run(out, '--write-back', url.toString())).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(readdirSync(out)).toEqual([]);
    const text = stderr.join('');
    expect(text).toContain(`cannot connect to PostgreSQL at ${url.username}@${url.host}`);
    expect(text).not.toContain('not-the-password');
  });
});
