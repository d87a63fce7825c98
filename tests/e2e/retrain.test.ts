import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { exec, queryRows, withConnection } from '../../src/io/duckdb.js';
import { openRegistry } from '../../src/registry/index.js';
import { tempDir } from '../helpers/data-dir.js';

/** Copies the data set, dropping 70% of the orders placed before the backtest window (a broken backfill). */
async function degradedCopy(from: string): Promise<string> {
  const to = tempDir('personae-degraded-');
  await withConnection(async (c) => {
    for (const table of ['customers', 'events', 'zero_party', 'consent', 'erasure']) {
      await exec(
        c,
        `COPY (SELECT * FROM read_csv('${join(from, `${table}.csv`)}', all_varchar = true)) TO '${join(to, `${table}.csv`)}' (HEADER)`,
      );
    }
    await exec(
      c,
      `COPY (SELECT * FROM read_csv('${join(from, 'orders.csv')}', all_varchar = true)
             WHERE ordered_at >= '2025-10-02' OR hash(order_id) % 10 >= 7) TO '${join(to, 'orders.csv')}' (HEADER)`,
    );
  });
  return to;
}

describe('personae retrain, week after week', () => {
  it('promotes and carries persona ids on through lineage, refuses degraded data with exit 3, and is idempotent', { timeout: 900_000 }, async () => {
    const data = tempDir('personae-weekly-');
    const registry = tempDir('personae-registry-');
    const runs = tempDir('personae-runs-');
    const config = join(tempDir('personae-conf-'), 'weekly.yaml');
    writeFileSync(config, `clustering:\n  k: 5\ntiming:\n  neural_epochs: 8\ngate:\n  tolerance: 0.05\n`);
    expect(await main(['generate', '--customers', '2000', '--seed', '21', '--out', data, '--quiet'])).toBe(0);
    const retrain = (asOf: string, dir = data) =>
      main([
        'retrain',
        '--config',
        config,
        '--data',
        dir,
        '--as-of',
        asOf,
        '--registry',
        registry,
        '--out',
        join(runs, `${asOf}-${dir === data ? 'clean' : 'degraded'}`),
        '--json',
      ]);

    expect(await retrain('2025-12-24')).toBe(0);
    const first = JSON.parse(readFileSync(join(runs, '2025-12-24-clean', 'retrain.json'), 'utf8'));
    expect(first.status).toBe('promoted');
    const week1 = await openRegistry(registry).read('personas', 'current');
    const ids1 = [...new Set(Object.values(week1.json<Record<string, string>>('membership.json')))].sort();

    expect(await retrain('2025-12-31')).toBe(0);
    const second = JSON.parse(readFileSync(join(runs, '2025-12-31-clean', 'retrain.json'), 'utf8'));
    expect(second.status).toBe('promoted');
    expect(second.drift.features.features.length).toBeGreaterThan(10);
    const week2 = await openRegistry(registry).read('personas', 'current');
    const ids2 = [...new Set(Object.values(week2.json<Record<string, string>>('membership.json')))].sort();
    const run2 = JSON.parse(readFileSync(join(runs, '2025-12-31-clean', 'run.json'), 'utf8'));
    // A week later k-means may split or merge personas (on this data it merges P1 into P5 and splits P4): every id
    // of week 2 is one of week 1 carried on, or a new id recorded as created; every id of week 1 is carried on or
    // recorded as retired; most personas are carried on.
    const lineage = run2.clustering.lineage as {
      continued: { id: string }[];
      created: { id: string }[];
      retired: { id: string }[];
    };
    const continued = lineage.continued.map((p) => p.id).sort();
    expect(ids2).toEqual([...continued, ...lineage.created.map((p) => p.id)].sort());
    expect(ids1.filter((id) => !lineage.retired.some((r) => r.id === id))).toEqual(continued);
    expect(lineage.created.every((p) => !ids1.includes(p.id))).toBe(true);
    expect(continued.length).toBeGreaterThanOrEqual(3);
    expect(run2.retrain.status).toBe('promoted');
    expect(run2.retrain.drift.personaSizes).toBeDefined();
    const report = readFileSync(join(runs, '2025-12-31-clean', 'report', 'personas.html'), 'utf8');
    expect(report).toContain('Drift since the promoted models');

    const degraded = await degradedCopy(data);
    expect(await retrain('2025-12-31', degraded)).toBe(3);
    const refused = JSON.parse(readFileSync(join(runs, '2025-12-31-degraded', 'retrain.json'), 'utf8'));
    expect(refused.status).toBe('kept-incumbent');
    expect((await openRegistry(registry).pointer('personas'))?.version).toBe(week2.version);

    expect(await retrain('2025-12-31')).toBe(0);
    const again = JSON.parse(readFileSync(join(runs, '2025-12-31-clean', 'retrain.json'), 'utf8'));
    expect(again.status).toBe('already-promoted');
    expect(again.versions.personas).toBe(week2.version);

    // Scoring the same week with the promoted models (no training) reproduces their persona membership.
    const scored = join(runs, 'score');
    expect(
      await main([
        'score',
        '--config',
        config,
        '--data',
        data,
        '--as-of',
        '2025-12-31',
        '--registry',
        registry,
        '--out',
        scored,
        '--json',
      ]),
    ).toBe(0);
    const rows = await withConnection((c) =>
      queryRows<{ customer_id: string; persona_id: string }>(
        c,
        `SELECT customer_id, persona_id FROM read_parquet('${join(scored, 'scores.parquet')}')`,
      ),
    );
    const membership = week2.json<Record<string, string>>('membership.json');
    expect(rows.length).toBe(Object.keys(membership).length);
    expect(rows.filter((r) => membership[r.customer_id] !== r.persona_id)).toEqual([]);
  });
});
