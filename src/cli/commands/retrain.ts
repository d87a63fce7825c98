import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { retrain } from '../../runner/retrain.js';
import { resolveOptions, withDataSource, writeBackTarget, type CommonFlags } from '../common.js';
import { toIsoDate } from '../../core/time.js';
import { describeSource } from '../../io/postgres-source.js';
import { scrubWriteBack, writeBackToPostgres, type WrittenBack } from '../../io/postgres-write-back.js';

interface RetrainFlags extends CommonFlags {
  registry?: string;
  writeBack?: string;
}

/**
 * `personae retrain`, for schedulers. Exit codes: 0 promoted (or this data and date were already promoted),
 * 3 kept the incumbent (the gate refused), 2 bad input or config, 4 another retrain holds the lock,
 * 1 internal error.
 */
export function registerRetrain(program: Command): void {
  program
    .command('retrain')
    .description(
      'the scheduled job: run, register the models, promote them only if none got worse (exit 0 promoted, 3 kept incumbent, 2 bad input, 4 locked, 1 internal error)',
    )
    .requiredOption('--config <file>', 'YAML config (data, registry, gate tolerance, …)')
    .option('--data <dir|url>', 'input tables: a directory or postgresql://…?schema=name (overrides `data:`)')
    .option('--as-of <date>', 'analysis date YYYY-MM-DD (default: today)')
    .option('--registry <dir>', 'model registry root (overrides `registry.root`, default models/)')
    .option('--out <dir>', 'run output directory (default: <out>/<as-of>, or runs/<as-of>)')
    .option(
      '--write-back <url>',
      'when promoted, write scores, audience memberships and personas to postgresql://…?schema=name (or `write_back:`); when not, delete from them the customers this run no longer has',
    )
    .option('--json', 'JSON lines logs and a JSON result')
    .action(async (flags: RetrainFlags) => {
      const options = resolveOptions({ ...flags, out: flags.out ?? 'runs' }, { asOfToday: true });
      const { config, path } = options.loaded;
      const base = path ? dirname(path) : process.cwd();
      const registryRoot = resolve(flags.registry ?? resolve(base, config.registry.root));
      const outDir = flags.out ? options.outDir : resolve(options.outDir, toIsoDate(options.asOf));
      const writeBack = await writeBackTarget(flags.writeBack, config.write_back);
      const result = await withDataSource(options, (source) =>
        retrain({
          dataDir: source.dataDir,
          dataSource: source.description,
          asOf: options.asOf,
          outDir,
          registryRoot,
          config: source.config,
          configPath: path,
          log: options.log,
        }),
      );
      // Kept incumbent: the tables keep the promoted run's rows, less every customer this run no longer has
      // (erased, consent withdrawn, gone), so that privacy does not wait for the next promotion.
      let writtenBack: { readonly action: 'written' | 'scrubbed'; readonly rows: WrittenBack } | undefined;
      if (writeBack) {
        writtenBack =
          result.status === 'kept-incumbent'
            ? { action: 'scrubbed', rows: await scrubWriteBack(outDir, writeBack) }
            : { action: 'written', rows: await writeBackToPostgres(outDir, toIsoDate(options.asOf), writeBack) };
        const counts = Object.entries(writtenBack.rows).map(([table, rows]) => `${table} ${rows}`);
        options.log.info(
          `${writtenBack.action === 'written' ? 'written back to' : 'customers no longer in the data deleted from'} ${describeSource(writeBack)}: ${counts.join(', ') || 'no table yet'}${counts.length > 0 ? ' rows' : ''}`,
        );
      }
      const line = {
        status: result.status,
        versions: result.versions,
        notFitted: Object.keys(result.notFitted),
        gate: result.decision.summary,
        erasure: result.erasure,
        summary: result.summaryPath,
        ...(writtenBack ? { writeBack: writtenBack } : {}),
      };
      const scrubbed = Object.entries(result.erasure.models).filter(([, m]) => m.versions > 0);
      const erasureLine =
        scrubbed.length === 0
          ? ''
          : `  erasure: ${scrubbed.map(([model, m]) => `${model} ${m.versions} version(s) rewritten`).join(', ')}\n`;
      const notFitted = Object.keys(result.notFitted);
      const notFittedLine =
        notFitted.length === 0 ? '' : `  not refitted (the promoted version stays): ${notFitted.join(', ')}\n`;
      process.stdout.write(
        options.json
          ? `${JSON.stringify(line)}\n`
          : `retrain ${result.status}: ${result.decision.summary}\n  versions: ${Object.entries(
              result.versions,
            )
              .map(([m, v]) => `${m} ${v}`)
              .join(', ')}\n${notFittedLine}${erasureLine}  summary: ${result.summaryPath}\n`,
      );
    });
}
