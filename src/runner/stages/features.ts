import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import { computeFeatures, type FeaturesResult } from '../../features/compute.js';
import { readFeatureTable, type FeatureTableColumns } from '../../features/read-feature-table.js';
import { exec } from '../../io/duckdb.js';
import { quoteLiteral } from '../../io/sql.js';
import type { RunContext } from '../context.js';

/**
 * The features of the eligible customers, in the table's row order (by customer_id): `columns` holds numeric
 * features as Float64Arrays (NaN = missing), other columns as JavaScript values (null = missing).
 */
export interface FeatureTable extends FeaturesResult, FeatureTableColumns {}

/** Stage 2: point-in-time features of the eligible customers, written to features.parquet. */
export async function featuresStage(ctx: RunContext): Promise<[FeatureTable]> {
  const { connection } = ctx.engine;
  const result = await computeFeatures(connection, {
    asOf: ctx.asOf,
    topCategories: ctx.config.features.top_categories,
    topBrands: ctx.config.features.top_brands,
    // The validate stage's applyConsent has already deleted every row of customers outside `eligible`.
    restrictedToPopulation: true,
  });
  if (result.rowCount === 0) {
    inputError(
      'no_customers',
      'no customer is left after validation and consent: there is nothing to analyse',
      'Check validation/summary.json (quarantined rows) and the consent audit in run.json.',
    );
  }
  await exec(
    connection,
    `COPY features TO ${quoteLiteral(join(ctx.outDir, 'features.parquet'))} (FORMAT parquet)`,
  );
  const table = await readFeatureTable(connection, 'SELECT * FROM features', result.catalogue, result.rowCount);
  ctx.log.info(
    `features: ${result.rowCount} customers × ${result.catalogue.length} features (${result.families.join(', ')})`,
  );
  return [{ ...result, ...table }];
}
