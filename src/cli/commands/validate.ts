import type { Command } from 'commander';
import { openEngine } from '../../io/duckdb.js';
import { engineOptions, explainEngineError } from '../../io/engine-settings.js';
import { claimOutputs } from '../../io/outputs.js';
import { validateData } from '../../runner/validate.js';
import { resolveOptions, withDataSource, type CommonFlags } from '../common.js';
import { printValidation } from '../print.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check the input tables; write OUT/validation/summary.json and one quarantine file per table',
    )
    .requiredOption(
      '--data <dir|url>',
      'directory holding orders.csv (and customers, events, zero_party, consent, erasure), or postgresql://…?schema=name',
    )
    .option('--as-of <date>', 'the analysis date, YYYY-MM-DD (default: today)')
    .option('--out <dir>', 'where to write validation/ (default: ./out)')
    .option('--config <file>', 'YAML config (column mapping, consent basis, …)')
    .option('--preset <name>', 'a shop export layout: shopify, woocommerce or prestashop (data/README.md)')
    .option('--json', 'JSON lines logs on stderr and a JSON summary on stdout instead of a table')
    .action(async (flags: CommonFlags) => {
      const options = resolveOptions(flags, { out: 'out', asOfToday: true });
      const claim = await claimOutputs(options.outDir, ['validation']);
      const engine = await openEngine(engineOptions(options.loaded.config.engine, options.loaded.baseDir));
      try {
        const outcome = await withDataSource(options, (source) =>
          validateData(engine, {
            ...options,
            dataDir: source.dataDir,
            config: source.config,
            strictConsent: false,
          }),
        );
        await claim.finish();
        printValidation(outcome, options.json);
      } catch (error) {
        throw explainEngineError(error, engine.settings);
      } finally {
        engine.close();
      }
    });
}
