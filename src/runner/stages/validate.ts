import { inputError } from '../../core/errors.js';
import type { RunContext } from '../context.js';
import { validateData, type ValidationOutcome } from '../validate.js';

/** Stage 1: ingest, validate, resolve consent; afterwards the working tables hold eligible customers only. */
export async function validateStage(ctx: RunContext): Promise<[ValidationOutcome]> {
  const outcome = await validateData(ctx.engine, {
    dataDir: ctx.dataDir,
    config: ctx.config,
    asOf: ctx.asOf,
    outDir: ctx.outDir,
    log: ctx.log,
    strictConsent: true,
  });
  // A column none of whose values reads leaves its table empty: stop here, naming it and the fix, rather
  // than further down with a message about its consequence (no customer left).
  const [rejected, ...more] = outcome.ingest.rejectedColumns;
  if (rejected) {
    const others = more.length > 0 ? ` (and ${more.map((r) => `${r.file}: ${r.source}`).join(', ')}: see validation/summary.json)` : '';
    inputError('column_rejected', `${rejected.message}${others}`, rejected.fix);
  }
  ctx.warnings.push(...outcome.ingest.warnings);
  if (ctx.config.consent.basis === 'legitimate_interest') {
    ctx.warnings.push('lawful basis: legitimate interest (declared in the config), not per-customer consent');
  }
  const included = outcome.consent?.included ?? 0;
  ctx.log.info(`validated: ${included} customers included after consent and erasure`);
  return [outcome];
}
