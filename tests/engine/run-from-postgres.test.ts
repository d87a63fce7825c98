import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { copyTablesToPostgres, copyTablesToShards } from '../../src/engine/copy-tables.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { quoteIdent, quoteLiteral } from '../../src/io/sql.js';
import { consentVerdicts, type ConsentLine, type ErasureLine } from '../helpers/consent-oracle.js';
import { tempDir } from '../helpers/data-dir.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';
import { HOW_TO_START, openServers, testSchema, testServers, type OpenedServers } from './servers.js';

const servers = testServers();
const schema = testSchema('run');
const AS_OF = '2025-12-31';

/** `--data` for a test server's URL and the test schema. */
function dataUrl(url: string): string {
  return `${url}?schema=${schema}`;
}

describe.skipIf(!servers)(
  servers ? 'personae run from PostgreSQL: one server and a coordinator with two shards' : HOW_TO_START,
  () => {
    const generated = tempDir('personae-pg-generated-');
    // The rows a database can hold: the generated files without their malformed lines (a table has no lines
    // with a wrong number of fields), written back as files for the reference run.
    const files = tempDir('personae-pg-files-');
    const outs = { files: tempDir(), single: tempDir(), coordinator: tempDir() };
    let pg: OpenedServers;
    let excluded: string[] = [];

    beforeAll(async () => {
      expect(
        await main([
          'generate',
          '--customers',
          '400',
          '--seed',
          '8',
          '--out',
          generated,
          '--dirty',
          '0.02',
          '--quiet',
        ]),
      ).toBe(0);
      const duck = await openEngine({ threads: 1 });
      const tables: string[] = [];
      for (const file of readdirSync(generated).filter((f) => f.endsWith('.csv'))) {
        const table = file.replace(/\.csv$/, '');
        await duck.connection.run(
          `CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteLiteral(join(generated, file))}, all_varchar = true, header = true, ignore_errors = true)`,
        );
        await duck.connection.run(
          `COPY ${quoteIdent(table)} TO ${quoteLiteral(join(files, file))} (FORMAT csv, HEADER true)`,
        );
        tables.push(table);
      }
      pg = await openServers(servers!);
      await copyTablesToPostgres(duck.connection, pg.single, { tables, schema });
      await copyTablesToShards(duck.connection, pg.coordinator, pg.shards, { tables, schema });
      const ids = await queryRows<{ customer_id: string }>(
        duck.connection,
        'SELECT DISTINCT customer_id FROM customers WHERE customer_id IS NOT NULL',
      );
      // As the oracle reads file lines: an empty field is an empty string.
      const rows = async <T>(table: string): Promise<T[]> =>
        (await queryRows<Record<string, string | null>>(duck.connection, `SELECT * FROM ${table}`)).map(
          (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])) as T,
        );
      const verdicts = consentVerdicts({
        asOf: AS_OF,
        universe: ids.map((r) => r.customer_id),
        consent: await rows<ConsentLine>('consent'),
        erasure: await rows<ErasureLine>('erasure'),
        malformedConsent: [],
        malformedErasure: [],
      });
      excluded = ids.map((r) => r.customer_id).filter((id) => !verdicts.get(id)?.eligible);
      duck.close();
      const config = join(tempDir('personae-pg-conf-'), 'run.yaml');
      writeFileSync(config, 'clustering:\n  k: 4\ntiming:\n  neural_epochs: 5\n');
      const run = (data: string, out: string): Promise<number> =>
        main(['run', '--data', data, '--as-of', AS_OF, '--out', out, '--config', config, '--json']);
      expect(await run(files, outs.files)).toBe(0);
      expect(await run(dataUrl(servers!.single), outs.single)).toBe(0);
      expect(await run(dataUrl(servers!.coordinator), outs.coordinator)).toBe(0);
    }, 900_000);

    afterAll(async () => {
      await pg?.dispose(schema);
    });

    it.each(['single', 'coordinator'] as const)(
      'gives the personas and scores of the files from the %s server',
      (which) => {
        for (const file of ['scores.csv', 'personas.json', 'validation/summary.json']) {
          expect(readFileSync(join(outs[which], file), 'utf8'), file).toBe(
            readFileSync(join(outs.files, file), 'utf8'),
          );
        }
      },
    );

    it.each(['single', 'coordinator'] as const)(
      'applies consent, erasure and quarantine as on files (%s server), and names the source without its password',
      async (which) => {
        const manifest = (dir: string): { consent: unknown; rows: unknown; dataDir: string } =>
          JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
            consent: unknown;
            rows: unknown;
            dataDir: string;
          };
        const fromPg = manifest(outs[which]);
        expect(fromPg.consent).toEqual(manifest(outs.files).consent);
        expect(fromPg.rows).toEqual(manifest(outs.files).rows);
        expect(fromPg.dataDir).toBe(
          `postgresql://${new URL(servers![which]).username}@${new URL(servers![which]).host}/personae schema ${schema}`,
        );
        expect(excluded.length).toBeGreaterThan(20);
        const texts = await outputTexts(outs[which]);
        expect(findIds(texts, excluded)).toEqual([]);
        const password = decodeURIComponent(new URL(servers![which]).password);
        expect([...texts.values()].some((t) => t.includes(`:${password}@`))).toBe(false);
        expect((texts.get('validation/orders.quarantine.csv') ?? '').split('\n').length).toBeGreaterThan(3);
      },
    );

    it('refuses a schema that does not exist with a message naming it, and exits 2', async () => {
      const code = await main([
        'run',
        '--data',
        `${servers!.single}?schema=no_such_schema`,
        '--as-of',
        AS_OF,
        '--out',
        tempDir(),
      ]);
      expect(code).toBe(2);
    });
  },
);
