import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../core/log.js';
import { PACKAGE_ROOT } from '../../core/package-info.js';
import { parseIsoDate } from '../../core/time.js';
import { writeDataset } from '../../io/write-tables.js';
import { runOnce } from '../../runner/run.js';
import { printRunSummary } from '../print-run.js';

export const SAMPLE_CONFIG = join(PACKAGE_ROOT, 'pipelines', 'conf', 'sample.yaml');

/** Where `personae start` writes, under the current directory (never into the package, which may be read-only). */
export const START_OUT = join('out', 'sample');
const START_DATA = join('out', 'sample-data');

function hasOrders(dir: string): boolean {
  return ['orders.csv', 'orders.parquet'].some((f) => existsSync(join(dir, f)));
}

/**
 * The sample's data directory: the committed `data/sample` of a clone, read in place; otherwise (the
 * published package does not ship it) `out/sample-data` under `cwd`, which the caller generates when empty.
 */
export function sampleDataDir(packageRoot: string, cwd: string): { dir: string; generate: boolean } {
  const shipped = join(packageRoot, 'data', 'sample');
  if (hasOrders(shipped)) return { dir: shipped, generate: false };
  const local = resolve(cwd, START_DATA);
  return { dir: local, generate: !hasOrders(local) };
}

/** `npm start`: the main job on the embedded sample, generating it first if it is missing. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'run the whole pipeline on the sample data set (5,000 synthetic customers) and print where the persona report is; writes under ./out/sample',
    )
    .option('--json', 'JSON lines instead of human output')
    .action(async (flags: { json?: boolean }) => {
      const log = createLogger({ json: flags.json ?? false });
      const { config, path } = loadConfig(SAMPLE_CONFIG);
      const data = sampleDataDir(PACKAGE_ROOT, process.cwd());
      if (data.generate) {
        // The same arguments as the committed data/sample (see its README): byte-identical files.
        log.info(`no sample data in ${data.dir}: generating 5,000 customers (seed 42)`);
        await writeDataset({ customers: 5000, seed: 42, end: config.as_of, format: 'parquet' }, data.dir, {
          progress: (done, total) => log.progress('generating customers', done, total),
        });
      }
      const result = await runOnce({
        dataDir: data.dir,
        asOf: parseIsoDate(config.as_of as string) as Date,
        outDir: resolve(START_OUT),
        config,
        configPath: path,
        log,
      });
      printRunSummary(result, flags.json ?? false);
    });
}
