import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.js';
import { measuredCli } from '../helpers/measure.js';

/**
 * A scaled-down `npm run bench scale`: memory per customer is the regression this catches, not time.
 * Before validation read each file once (and held no copy of it), a run held ~120 KiB per customer:
 * 10,000 customers peaked at ~1.7 GB. The ceiling sits well under that and above what a run needs now
 * (measured peaks in README, Performance), so growth per customer fails here while noise does not.
 */
const CUSTOMERS = 10_000;
const CEILING_MIB = 1_000;

describe('memory per customer', () => {
  it(`runs ${CUSTOMERS.toLocaleString('en')} generated customers end to end under ${CEILING_MIB} MiB of peak RSS`, async () => {
    const data = join(tempDir('personae-memcap-'), 'data');
    const out = tempDir();
    const generated = await measuredCli(['generate', '--customers', String(CUSTOMERS), '--seed', '7', '--out', data, '--quiet']);
    expect(generated.code, generated.stderr).toBe(0);
    const { endDate } = JSON.parse(readFileSync(join(data, 'generator.json'), 'utf8')) as { endDate: string };
    const run = await measuredCli(['run', '--data', data, '--out', out, '--as-of', endDate]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // Every stage recorded its own peak, so a failure says where the memory went.
    const { stages } = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      stages: { name: string; peakRssMb?: number }[];
    };
    const byStage = stages.map((s) => `${s.name} ${s.peakRssMb ?? '?'} MiB`).join(', ');
    expect(run.peakRssMb, `peak RSS by stage: ${byStage}`).toBeLessThan(CEILING_MIB);
    expect(generated.peakRssMb).toBeLessThan(CEILING_MIB);
  }, 1_800_000);
});
