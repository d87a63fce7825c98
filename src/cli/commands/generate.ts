import type { Command } from 'commander';
import { createLogger } from '../../core/log.js';
import { configError } from '../../core/errors.js';
import { writeDataset } from '../../io/write-tables.js';
import { defaultWorkers } from '../../synthetic/parallel.js';

interface GenerateFlags {
  customers: string;
  seed: string;
  out: string;
  dirty: string;
  format: string;
  end: string;
  years: string;
  ordersOnly?: boolean;
  workers?: string;
  json?: boolean;
  quiet?: boolean;
}

/** `personae generate`: a realistic synthetic data set with planted personas and its ground truth. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write a synthetic data set (orders, customers, events, zero_party, consent, erasure) with planted personas, ' +
        'plus truth/ground_truth.csv, truth/dirty.csv and generator.json; same arguments, same bytes',
    )
    .requiredOption('--customers <n>', 'number of customers')
    .requiredOption('--seed <s>', 'random seed (integer)')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .option(
      '--dirty <fraction>',
      'inject bad rows: each clean row is followed by a bad copy with this probability',
      '0',
    )
    .option('--format <format>', 'csv or parquet', 'csv')
    .option('--end <date>', 'last day of the history (YYYY-MM-DD)', '2025-12-31')
    .option('--years <years>', 'length of the history in years', '3')
    .option(
      '--orders-only',
      'only customers, orders, consent (signup records) and erasure, e.g. for 10M-customer scale tests: ' +
        'the same customers and orders as the full data set of the seed, no events, answers or campaigns',
    )
    .option(
      '--workers <n>',
      `worker threads generating customers (default 0: the main thread; ${defaultWorkers()} = one per core but one); ` +
        'the files are the same whatever the number; --dirty data sets are generated on one thread',
    )
    .option('--json', 'JSON lines on stderr and a JSON summary on stdout')
    .option('--quiet', 'no progress output')
    .action(async (flags: GenerateFlags) => {
      const logger = createLogger({ json: flags.json, quiet: flags.quiet });
      const started = performance.now();
      const written = await writeDataset(
        {
          customers: Number(flags.customers),
          seed: Number(flags.seed),
          dirty: Number(flags.dirty),
          format: flags.format as 'csv' | 'parquet',
          end: flags.end,
          years: Number(flags.years),
          ordersOnly: flags.ordersOnly === true,
        },
        flags.out,
        {
          workers: workerCount(flags.workers),
          progress: (done, total) => logger.progress('generating customers', done, total),
          removed: (path) => logger.warn(`removed ${path} from an earlier run (not part of this data set)`),
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const s = written.summary;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ out: flags.out, seconds, ...s })}\n`);
        return;
      }
      const dirtyTotal = Object.values(s.dirtyRows).reduce((a, b) => a + b, 0);
      const lines = [
        `wrote ${s.args.customers.toLocaleString('en')} customers (${s.startDate} .. ${s.endDate}, seed ${s.args.seed}) to ${flags.out} in ${seconds.toFixed(1)} s`,
        ...Object.entries(written.files).map(
          ([t, file]) =>
            `  ${t.padEnd(11)} ${String(s.rows[t as keyof typeof s.rows]).padStart(12)} rows  ${file}`,
        ),
        `  personas: ${Object.entries(s.personas)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        dirtyTotal > 0
          ? `  injected ${dirtyTotal} bad rows, listed in ${written.dirtyFile}`
          : '  no bad rows injected (use --dirty 0.02 to add some)',
        `  ground truth (never read by the pipeline): ${written.truthFile}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function workerCount(flag: string | undefined): number {
  // Opt-in: on this 2-core machine under load, workers cost more CPU and memory than they saved (see README).
  if (flag === undefined) return 0;
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    configError(
      'generate_options',
      `invalid generate setting --workers: ${flag}`,
      'workers is an integer in 0..64',
    );
  return n;
}
