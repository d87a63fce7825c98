import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { scorePipeline } from '../../../pipelines/score.js';
import { runOnce } from '../../runner/run.js';
import { resolveOptions, withDataSource, type CommonFlags } from '../common.js';
import { printRunSummary } from '../print-run.js';

/** `personae score`: scores, segments and exports from the promoted models, with no training. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score customers with the promoted models (no training): scores.parquet/csv and exports')
    .option('--data <dir|url>', 'input tables: a directory or postgresql://…?schema=name (or `data:` in the config)')
    .option('--as-of <date>', 'the scoring date, YYYY-MM-DD (or `as_of:` in the config)')
    .option('--out <dir>', 'output directory (or `out:` in the config)')
    .option('--registry <dir>', 'model registry root (default: `registry.root` of the config, models/)')
    .option('--config <file>', 'YAML config')
    .option('--preset <name>', 'a shop export layout: shopify, woocommerce or prestashop (data/README.md)')
    .option('--json', 'JSON lines logs on stderr and the summary as JSON on stdout')
    .action(async (flags: CommonFlags & { registry?: string }) => {
      const options = resolveOptions(flags);
      const { config, path } = options.loaded;
      const registryRoot = resolve(
        flags.registry ?? resolve(path ? dirname(path) : process.cwd(), config.registry.root),
      );
      const result = await withDataSource(options, (source) =>
        runOnce({
          dataDir: source.dataDir,
          dataSource: source.description,
          asOf: options.asOf,
          outDir: options.outDir,
          config: source.config,
          configPath: path,
          log: options.log,
          pipeline: scorePipeline,
          registryRoot,
        }),
      );
      printRunSummary(result, options.json);
    });
}
