import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../core/log.js';
import { parseIsoDate } from '../../core/time.js';
import { writeDataset } from '../../io/write-tables.js';
import { runOnce } from '../../runner/run.js';
import { printRunSummary } from '../print-run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SAMPLE_CONFIG = join(ROOT, 'pipelines', 'conf', 'sample.yaml');

/** `npm start`: the main job on the embedded sample, generating it first if it is missing. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'run the whole pipeline on the embedded sample (data/sample) and print where the persona report is',
    )
    .option('--json', 'JSON lines instead of human output')
    .action(async (flags: { json?: boolean }) => {
      const log = createLogger({ json: flags.json || undefined });
      const { config, path } = loadConfig(SAMPLE_CONFIG);
      const dataDir = join(ROOT, 'data', 'sample');
      if (!['orders.csv', 'orders.parquet'].some((f) => existsSync(join(dataDir, f)))) {
        log.info(`no sample data in ${dataDir}: generating 5,000 customers (seed 42)`);
        await writeDataset({ customers: 5000, seed: 42, end: config.as_of, format: 'parquet' }, dataDir);
      }
      const result = await runOnce({
        dataDir,
        asOf: parseIsoDate(config.as_of as string) as Date,
        outDir: join(ROOT, 'out', 'sample'),
        config,
        configPath: path,
        log,
      });
      printRunSummary(result, flags.json ?? false);
    });
}
