import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { inputError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { applyConsent, type ConsentAudit } from '../io/apply-consent.js';
import { restrictFileAccess, type Engine } from '../io/duckdb.js';
import { findSources } from '../io/find-sources.js';
import { ingest, type IngestResult } from '../io/ingest.js';
import { writeValidation } from '../io/write-validation.js';

export interface ValidationOutcome {
  ingest: IngestResult;
  consent: ConsentAudit | undefined;
  summaryPath: string;
  consentWarning: string | undefined;
}

/** The consent rule of the contract: without a consent table, only a declared lawful basis lets a run go on. */
export function requireConsentBasis(dataDir: string, config: Config): string | undefined {
  const sources = findSources(dataDir, config);
  if (sources.consent || config.consent.basis === 'legitimate_interest') return undefined;
  return `${dataDir} has no consent table: Personae only processes customers who consented to profiling`;
}

/**
 * Ingest + validation (+ consent when it can be resolved), writing OUT/validation. Locks the engine's file
 * access first (`restrictFileAccess`): the input files and OUT are all it may touch afterwards.
 */
export async function validateData(
  engine: Engine,
  options: {
    dataDir: string;
    config: Config;
    asOf: Date;
    outDir: string;
    log: Logger;
    strictConsent: boolean;
  },
): Promise<ValidationOutcome> {
  const { config, log } = options;
  const missingConsent = requireConsentBasis(options.dataDir, config);
  const hint =
    'Add a consent table (consent.csv: customer_id, purpose, status, recorded_at), or, if you have another lawful basis, set `consent: {basis: legitimate_interest}` in the config.';
  if (missingConsent && options.strictConsent) inputError('consent_missing', missingConsent, hint);
  if (!existsSync(options.dataDir))
    inputError('data_dir_missing', `data directory ${options.dataDir} does not exist`);
  // From here on, SQL on this engine reads the input files and writes under OUT, nothing else.
  const inputs = Object.values(findSources(options.dataDir, config)).map((s) => s.path);
  await restrictFileAccess(engine.connection, { readFiles: inputs, writeDirs: [options.outDir] });
  const result = await ingest(engine.connection, options);
  for (const w of result.warnings) log.warn(w);
  const consent = missingConsent
    ? undefined
    : await applyConsent(engine.connection, { asOf: options.asOf, basis: config.consent.basis });
  if (missingConsent) log.warn(`${missingConsent}. \`personae run\` will stop here. ${hint}`);
  const summaryPath = await writeValidation(
    engine.connection,
    options.outDir,
    result,
    consent ? { consent } : {},
  );
  return { ingest: result, consent, summaryPath, consentWarning: missingConsent };
}
