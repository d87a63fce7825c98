import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/core/log.js';
import { openEngine, queryValue } from '../../../src/io/duckdb.js';
import type { RunContext } from '../../../src/runner/context.js';
import { campaignsStage } from '../../../src/runner/stages/campaigns.js';
import type { ScoresOutput } from '../../../src/runner/stages/scores.js';
import { tempDir } from '../../helpers/data-dir.js';

/** A run context on a real engine whose events table is `rows` email sends and opens in the lookback window. */
async function contextWithSends(rows: number, memoryLimit: string): Promise<RunContext> {
  const engine = await openEngine({ threads: 1, memoryLimit, tempDirectory: tempDir('personae-oom-spill-') });
  await engine.connection.run(`CREATE TABLE events AS
    SELECT 'C' || lpad((i % 200000)::VARCHAR, 7, '0') AS customer_id,
           TIMESTAMP '2025-12-30 00:00:00' - INTERVAL (i % 80000) SECOND AS occurred_at,
           CASE WHEN i % 3 = 0 THEN 'email_open' ELSE 'email_sent' END AS type,
           'K' || (i % 50)::VARCHAR AS campaign_id
    FROM range(${rows}) t(i)`);
  // Past the limit DuckDB may spill 2 MB more than the events table already took: the campaign tables cannot
  // fit, as at 1M customers and 156M events under a 2 GB limit.
  const spilled = await queryValue(
    engine.connection,
    'SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files()',
  );
  await engine.connection.run(
    `SET max_temp_directory_size = '${Math.ceil(Number(spilled) / 2 ** 20) + 2}MiB'`,
  );
  return {
    engine,
    config: parseConfig({}),
    configPath: undefined,
    dataDir: '',
    asOf: new Date('2025-12-31T00:00:00Z'),
    outDir: tempDir(),
    log: createLogger({ quiet: true }),
    warnings: [],
  };
}

describe('the campaigns stage when DuckDB runs out of memory', () => {
  it('gives no KPIs with the reason and a warning, instead of failing the run', async () => {
    const ctx = await contextWithSends(3_000_000, '24MB');
    try {
      const [kpis] = await campaignsStage(ctx, {} as ScoresOutput);
      expect(kpis.available).toBe(false);
      expect(kpis.reason).toBe(
        'the campaign tables did not fit in engine.memory_limit (24MB): raise it, or shorten campaigns.lookback_days',
      );
      expect(ctx.warnings).toEqual([`campaigns: no KPIs: ${kpis.reason}`]);
      expect(kpis.rows).toEqual([]);
    } finally {
      ctx.engine.close();
    }
  }, 120_000);

  it('lets any other error through', async () => {
    const ctx = await contextWithSends(10, '1GB');
    await ctx.engine.connection.run('ALTER TABLE events DROP COLUMN campaign_id');
    try {
      await expect(campaignsStage(ctx, {} as ScoresOutput)).rejects.toThrow(/campaign_id/);
      expect(ctx.warnings).toEqual([]);
    } finally {
      ctx.engine.close();
    }
  });
});
