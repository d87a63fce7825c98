import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openRegistry } from '../../src/registry/index.js';
import { tempDir, writeDataDir } from '../helpers/data-dir.js';

/**
 * Orders of customers who never drop out: each buys at a steady rate of its own (exponential gaps, a seeded
 * generator) from its first order to the as-of date. BG/NBD, MBG/NBD and Pareto/NBD then drive their dropout
 * rate to zero, where the dropout parameters are not identified, and every one is refused — as on the UCI
 * Online Retail file, whose year of data shows almost no dropout (its BG/NBD optimum has a ≈ 4e-7).
 */
function neverChurning(customers: number, seed: number): string[] {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const start = Date.UTC(2023, 0, 1);
  const end = Date.UTC(2024, 11, 31);
  const day = 86_400_000;
  const lines = ['order_id,customer_id,ordered_at,amount'];
  for (let c = 0; c < customers; c++) {
    const meanGapDays = 15 + 60 * uniform();
    let t = start + Math.floor(uniform() * 180) * day;
    for (let o = 0; t <= end; o++) {
      lines.push(`c${c}-${o},c${c},${new Date(t).toISOString().slice(0, 10)},${(20 + 80 * uniform()).toFixed(2)}`);
      t += Math.max(1, Math.round(-meanGapDays * Math.log(uniform()))) * day;
    }
  }
  return lines;
}

describe('personae retrain when no BTYD model can be fitted', () => {
  it('registers and promotes the personas anyway, says why BG/NBD is missing, and personae score says what to do', { timeout: 900_000 }, async () => {
    const data = writeDataDir({ 'orders.csv': neverChurning(400, 5) });
    const registry = tempDir('personae-registry-');
    const out = tempDir('personae-retrain-');
    const config = join(tempDir('personae-conf-'), 'no-churn.yaml');
    writeFileSync(config, 'consent:\n  basis: legitimate_interest\ncurrency: EUR\nclustering:\n  k: 3\ntiming:\n  neural: false\n');

    const code = await main(['retrain', '--config', config, '--data', data, '--as-of', '2024-12-31', '--registry', registry, '--out', out, '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'retrain.json'), 'utf8'));
    expect(summary.status).toBe('promoted');
    expect(Object.keys(summary.versions)).toEqual(['personas']);
    expect(Object.keys(summary.notFitted)).toEqual(['bgnbd']);
    for (const model of ['BG/NBD', 'MBG/NBD', 'Pareto/NBD'])
      expect(summary.notFitted.bgnbd.some((r: string) => r.includes(model) && r.includes('not identified'))).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.retrain.notFitted).toEqual(summary.notFitted);
    expect((await openRegistry(registry).pointer('personas'))?.version).toBe(summary.versions.personas);
    expect(await openRegistry(registry).pointer('bgnbd')).toBeFalsy();

    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    let scoreCode: number;
    try {
      scoreCode = await main(['score', '--config', config, '--data', data, '--as-of', '2024-12-31', '--registry', registry, '--out', tempDir()]);
    } finally {
      process.stderr.write = write;
    }
    expect(scoreCode).toBe(2);
    expect(stderr.join('')).toMatch(/no promoted purchase-timing model \(bgnbd\).*notFitted/);
    expect(stderr.join('')).not.toMatch(/\n\s+at /);
  });
});
