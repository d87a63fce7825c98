import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../helpers/data-dir.js';

describe('a Shopify export runs end to end with --preset shopify and no mapping', () => {
  it('validates, builds features, clusters into personas, scores and writes the report', async () => {
    const out = tempDir();
    const config = join(tempDir('personae-config-'), 'config.yaml');
    // The neural timing model is not what this test is about (it took 10 of the 11 minutes at load 20).
    writeFileSync(config, 'consent: {basis: legitimate_interest}\ntiming: {neural: false}\n');
    const code = await main([
      'run', '--data', 'tests/fixtures/presets/shopify', '--preset', 'shopify', '--as-of', '2025-06-30',
      '--out', out, '--config', config,
    ]);
    expect(code).toBe(0);
    const personas = JSON.parse(readFileSync(join(out, 'personas.json'), 'utf8')) as { personas: { size: number }[] };
    // 220 shoppers of the fixture (tests/fixtures/presets/make_fixtures.py), all in a persona.
    expect(personas.personas.length).toBeGreaterThanOrEqual(2);
    expect(personas.personas.reduce((n, p) => n + p.size, 0)).toBe(220);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { config: { preset?: string } };
    expect(run.config.preset).toBe('shopify');
    expect(readFileSync(join(out, 'report', 'personas.html'), 'utf8')).toContain('P1');
  }, 900_000);
});
