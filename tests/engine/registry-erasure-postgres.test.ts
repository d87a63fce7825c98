// Erasure from a shop database: the brand's erasure table lives in PostgreSQL (on one server, or hash-
// partitioned across two shards behind a coordinator). A request inserted into it between two weekly retrains
// must take the customer out of the week-2 outputs and out of every model version the registry retained,
// exactly as an appended line of erasure.csv does for files (tests/e2e/registry-erasure.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openRegistry } from '../../src/registry/index.js';
import { quoteIdent, quoteLiteral } from '../../src/io/sql.js';
import { tempDir } from '../helpers/data-dir.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';
import {
  disposeSchemas,
  HOW_TO_START,
  loadDataDir,
  openServers,
  testSchema,
  testServers,
  type OpenedServers,
  type PostgresSource,
} from './servers.js';

const WEEK1 = '2025-12-24';
const WEEK2 = '2025-12-31';
const TABLES = ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure'];
const servers = testServers();

describe.skipIf(!servers)(servers ? 'erasure from PostgreSQL reaches the model registry' : HOW_TO_START, () => {
  const data = tempDir('personae-pg-erasure-data-');
  const config = join(tempDir('personae-conf-'), 'weekly.yaml');
  const schemas: string[] = [];
  let pg: OpenedServers;

  beforeAll(async () => {
    expect(await main(['generate', '--customers', '500', '--seed', '21', '--out', data, '--quiet'])).toBe(0);
    writeFileSync(config, 'clustering:\n  k: 3\ntiming:\n  neural: false\ngate:\n  tolerance: 0.5\n');
    pg = await openServers(servers!);
  }, 300_000);

  afterAll(async () => {
    if (pg) await disposeSchemas(pg, schemas);
  });

  it.each(['single', 'coordinator'] as const)(
    'a request inserted into the %s erasure table between two retrains',
    async (source: PostgresSource) => {
      const schema = testSchema(`erasure_${source}`);
      schemas.push(schema);
      await loadDataDir(pg, source, { dir: data, tables: TABLES, schema });
      const url = `${servers![source]}?schema=${schema}`;
      const registry = tempDir('personae-pg-erasure-registry-');
      const runs = tempDir('personae-pg-erasure-runs-');
      const retrain = (asOf: string, out: string): Promise<number> =>
        main([
          'retrain',
          ...['--config', config, '--data', url, '--as-of', asOf, '--registry', registry],
          ...['--out', join(runs, out), '--json'],
        ]);

      expect(await retrain(WEEK1, 'w1')).toBe(0);
      const week1 = await openRegistry(registry).read('personas', 'current');
      const members = Object.keys(week1.json<Record<string, string>>('membership.json'));
      const requested = members.filter((_, i) => i % 40 === 3).slice(0, 5);
      expect(requested).toHaveLength(5);
      expect(findIds(await outputTexts(registry), requested).length).toBeGreaterThanOrEqual(5);

      // The shop records the requests in its own table (through the coordinator, rows reach their shard).
      const engine = source === 'single' ? pg.single : pg.coordinator;
      await engine.exec(
        `INSERT INTO ${quoteIdent(schema)}.erasure (customer_id, requested_at) VALUES ${requested
          .map((id) => `(${quoteLiteral(id)}, '2025-12-28 10:00:00')`)
          .join(', ')}`,
      );

      expect(await retrain(WEEK2, 'w2')).toBe(0);
      const week2 = JSON.parse(readFileSync(join(runs, 'w2', 'retrain.json'), 'utf8')) as { erasure: { customers: number; models: { personas: { versions: number } } } };
      expect(week2.erasure.customers).toBeGreaterThanOrEqual(5);
      expect(week2.erasure.models.personas.versions).toBe(1);
      // Not in the registry (every retained version), not in week 2's outputs; others still are.
      const registryTexts = await outputTexts(registry);
      expect(findIds(registryTexts, requested)).toEqual([]);
      expect(findIds(await outputTexts(join(runs, 'w2')), requested)).toEqual([]);
      const kept = members.filter((id) => !requested.includes(id)).slice(0, 3);
      expect(findIds(registryTexts, kept).length).toBeGreaterThan(0);
      const reg = openRegistry(registry);
      for (const info of await reg.list()) await reg.read(info.model, info.version);
    },
    600_000,
  );
});
