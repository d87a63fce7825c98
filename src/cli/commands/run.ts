import type { Command } from 'commander';
import { inputError } from '../../core/errors.js';
import { toIsoDate } from '../../core/time.js';
import { describeSource } from '../../io/postgres-source.js';
import { writeBackToPostgres } from '../../io/postgres-write-back.js';
import { loadPreviousRun } from '../../runner/previous.js';
import { runOnce } from '../../runner/run.js';
import { resolveOptions, withDataSource, writeBackTarget, type CommonFlags } from '../common.js';
import { printRunSummary } from '../print-run.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the whole pipeline once: validate, features, personas, timing models, segments, report')
    .option(
      '--data <dir|url>',
      'directory of input tables, or postgresql://user:password@host:port/database?schema=name (or `data:` in the config)',
    )
    .option('--as-of <date>', 'the analysis date, YYYY-MM-DD (or `as_of:` in the config)')
    .option('--out <dir>', 'output directory (or `out:` in the config)')
    .option('--config <file>', 'YAML config')
    .option('--preset <name>', 'a shop export layout: shopify, woocommerce or prestashop (data/README.md)')
    .option(
      '--previous <dir>',
      'output directory of the previous run: keeps persona ids and counts migrations',
    )
    .option(
      '--write-back <url>',
      'also write scores, audience memberships and personas to tables personae_* of postgresql://…?schema=name (or `write_back:` in the config)',
    )
    .option('--json', 'JSON lines logs on stderr and the run summary as JSON on stdout')
    .action(async (flags: CommonFlags & { previous?: string; writeBack?: string }) => {
      const options = resolveOptions(flags);
      const writeBack = await writeBackTarget(flags.writeBack, options.loaded.config.write_back);
      const previous = flags.previous ? await loadPreviousRun(flags.previous) : undefined;
      if (flags.previous && !previous) {
        inputError(
          'previous_missing',
          `--previous ${flags.previous} holds no scores.parquet`,
          'Pass the --out directory of an earlier personae run.',
        );
      }
      await withDataSource(options, async (source) => {
        const result = await runOnce({
          dataDir: source.dataDir,
          dataSource: source.description,
          asOf: options.asOf,
          outDir: options.outDir,
          config: source.config,
          configPath: options.loaded.path,
          log: options.log,
          previous,
        });
        if (writeBack) {
          const written = await writeBackToPostgres(options.outDir, toIsoDate(options.asOf), writeBack);
          const counts = Object.entries(written).map(([table, rows]) => `${table} ${rows}`);
          options.log.info(`written back to ${describeSource(writeBack)}: ${counts.join(', ')} rows`);
        }
        printRunSummary(result, options.json);
      });
    });
}

