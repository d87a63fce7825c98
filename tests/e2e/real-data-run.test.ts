import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../helpers/data-dir.js';

// Real, orders-only exports (no customers, events, declared data or consent table) through the whole pipeline.
describe('personae run on real orders-only exports', () => {
  it.each([
    ['online-retail-slice', 'pipelines/conf/online-retail.yaml', '2011-01-31', 559],
    ['cdnow-orders', 'pipelines/conf/cdnow.yaml', '1998-06-30', 2357],
  ])('%s runs end to end with value and timing features only', async (fixture, config, asOf, customers) => {
    const out = tempDir();
    const code = await main([
      'run',
      '--data',
      `tests/fixtures/${fixture}`,
      '--config',
      config,
      '--as-of',
      asOf,
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(manifest.features.customers).toBe(customers);
    expect(manifest.features.families).toEqual(['value', 'timing']);
    expect(manifest.consent.lawfulBasis).toBe('legitimate_interest');
    expect(manifest.timing.parameters.bgnbd.r).toBeGreaterThan(0);
    expect(existsSync(join(out, 'report', 'personas.html'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'exports', 'summary.json'), 'utf8'));
    expect(summary).toBeDefined();
  });
});
