// Erasure reaches the model registry: a customer who asks to be erased after week 1 must vanish from
// week 1's retained (and promoted, then rollback-target) personas version at week 2's retrain, not months
// later when retention prunes it. The whole registry root is scanned for erased ids, like run-privacy does
// for run outputs.
import { cpSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { openRegistry } from '../../src/registry/index.js';
import { tempDir } from '../helpers/data-dir.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';

const WEEK1 = '2025-12-24';
const WEEK2 = '2025-12-31';

/** Ids of the erasure table accepted at `asOf` (requested by then), read independently of the pipeline. */
async function erasedBy(dataDir: string, asOf: string): Promise<string[]> {
  const rows = await withConnection((c) =>
    queryRows<{ customer_id: string }>(
      c,
      `SELECT DISTINCT customer_id FROM read_csv('${join(dataDir, 'erasure.csv')}', all_varchar = true, header = true)
       WHERE requested_at <= '${asOf} 23:59:59' ORDER BY 1`,
    ),
  );
  return rows.map((r) => r.customer_id);
}

describe('erasure in the model registry', () => {
  it('removes customers erased after week 1 from every retained version at week 2, idempotently', async () => {
    const week1Data = tempDir('personae-erasure-w1-');
    const registry = tempDir('personae-erasure-registry-');
    const runs = tempDir('personae-erasure-runs-');
    const config = join(tempDir('personae-conf-'), 'weekly.yaml');
    writeFileSync(config, 'clustering:\n  k: 4\ntiming:\n  neural_epochs: 4\ngate:\n  tolerance: 0.5\n');
    expect(
      await main(['generate', '--customers', '1500', '--seed', '21', '--out', week1Data, '--quiet']),
    ).toBe(0);
    const retrain = (asOf: string, data: string, out: string) =>
      main([
        'retrain',
        ...['--config', config, '--data', data, '--as-of', asOf, '--registry', registry],
        ...['--out', join(runs, out), '--json'],
      ]);

    expect(await retrain(WEEK1, week1Data, 'w1')).toBe(0);
    const week1 = await openRegistry(registry).read('personas', 'current');
    const membership1 = week1.json<Record<string, string>>('membership.json');
    const lifecycle1 = week1.json<Record<string, string>>('lifecycle.json');

    // Week 2: six week-1 members ask to be erased on 2025-12-28 (after week 1's as-of).
    const week2Data = tempDir('personae-erasure-w2-');
    cpSync(week1Data, week2Data, { recursive: true });
    const requested = Object.keys(membership1)
      .filter((_, i) => i % 150 === 7)
      .slice(0, 6);
    expect(requested).toHaveLength(6);
    appendFileSync(
      join(week2Data, 'erasure.csv'),
      requested.map((id) => `${id},2025-12-28 10:00:00\n`).join(''),
    );
    const erased = await erasedBy(week2Data, WEEK2);
    // Besides the six, the generated data may hold requests dated between the two as-of dates.
    const inMembership = erased.filter((id) => id in membership1);
    const inLifecycle = erased.filter((id) => id in lifecycle1);
    expect(inMembership.length).toBeGreaterThanOrEqual(6);
    expect(findIds(await outputTexts(registry), erased).length).toBeGreaterThanOrEqual(6);

    const printed: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const week2Exit = await retrain(WEEK2, week2Data, 'w2').finally(() => stdout.mockRestore());
    expect(week2Exit).toBe(0);
    const summary = JSON.parse(readFileSync(join(runs, 'w2', 'retrain.json'), 'utf8'));
    // The command's JSON result line carries the same counts as retrain.json.
    const resultLine = printed.flatMap((c) => c.split('\n')).find((l) => l.startsWith('{"status"'));
    expect(JSON.parse(resultLine ?? '{}').erasure).toEqual(summary.erasure);
    expect(summary.erasure).toEqual({
      customers: erased.length,
      models: {
        bgnbd: { versions: 0, rowsRemoved: {} },
        neural: { versions: 0, rowsRemoved: {} },
        personas: {
          versions: 1,
          rowsRemoved: { 'membership.json': inMembership.length, 'lifecycle.json': inLifecycle.length },
        },
      },
    });
    const runJson = JSON.parse(readFileSync(join(runs, 'w2', 'run.json'), 'utf8'));
    expect(runJson.retrain.erasure).toEqual(summary.erasure);

    // No file anywhere under the registry root names an erased customer; every version still verifies.
    const texts = await outputTexts(registry);
    expect(findIds(texts, erased)).toEqual([]);
    expect(findIds(texts, Object.keys(membership1).slice(0, 3)).length).toBeGreaterThan(0);
    const reg = openRegistry(registry);
    for (const info of await reg.list()) await reg.read(info.model, info.version);
    const scrubbed = await reg.read('personas', week1.version);
    expect(Object.keys(scrubbed.json<Record<string, string>>('membership.json')).length).toBe(
      Object.keys(membership1).length - inMembership.length,
    );
    expect(scrubbed.manifest.scrubs?.map((s) => s.rowsRemoved)).toEqual([
      { 'membership.json': inMembership.length, 'lifecycle.json': inLifecycle.length },
    ]);
    expect((await reg.pointer('personas'))?.previous.at(-1)).toBe(week1.version);

    // `models show` verifies the scrubbed version and prints its scrub history.
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    const shown = await main(['models', 'show', 'personas', week1.version, '--registry', registry]);
    spy.mockRestore();
    expect(shown).toBe(0);
    expect(chunks.join('')).toContain(
      `erasure: removed membership.json ${inMembership.length}, lifecycle.json ${inLifecycle.length}`,
    );

    // The same week again scrubs nothing more; scoring with the promoted models still works.
    expect(await retrain(WEEK2, week2Data, 'w2-again')).toBe(0);
    const again = JSON.parse(readFileSync(join(runs, 'w2-again', 'retrain.json'), 'utf8'));
    expect(Object.values(again.erasure.models).map((m) => (m as { versions: number }).versions)).toEqual([
      0, 0, 0,
    ]);
    const scored = join(runs, 'score');
    expect(
      await main([
        'score',
        ...['--config', config, '--data', week2Data, '--as-of', WEEK2],
        ...['--registry', registry, '--out', scored, '--json'],
      ]),
    ).toBe(0);
    expect(findIds(await outputTexts(scored), erased)).toEqual([]);
  }, 600_000);
});
