import type { Command } from 'commander';
import { runOnce } from '../../runner/run.js';
import { resolveOptions, type CommonFlags } from '../common.js';
import { printRunSummary } from '../print-run.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the whole pipeline once: validate, features, personas, timing models, segments, report')
    .option('--data <dir>', 'directory of input tables (or `data:` in the config)')
    .option('--as-of <date>', 'the analysis date, YYYY-MM-DD (or `as_of:` in the config)')
    .option('--out <dir>', 'output directory (or `out:` in the config)')
    .option('--config <file>', 'YAML config')
    .option('--json', 'print the run summary as JSON')
    .action(async (flags: CommonFlags) => {
      const options = resolveOptions(flags);
      const result = await runOnce({
        dataDir: options.dataDir,
        asOf: options.asOf,
        outDir: options.outDir,
        config: options.loaded.config,
        configPath: options.loaded.path,
        log: options.log,
      });
      printRunSummary(result, options.json);
    });
}
