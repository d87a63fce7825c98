import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/core/log.js';
import { openEngine, type Engine } from '../../src/io/duckdb.js';
import { writeDataset } from '../../src/io/write-tables.js';
import { validateData } from '../../src/runner/validate.js';
import { tempDir } from './data-dir.js';

/** The as-of date of every generated brand these helpers validate. */
export const GENERATED_AS_OF = new Date('2025-12-31T00:00:00Z');

/**
 * A generated brand with one year of history, validated with the default config as of GENERATED_AS_OF into a
 * fresh engine; the caller closes the engine. `data` is the generated folder (truth files included).
 */
export async function validatedGeneratedBrand(customers: number, seed: number): Promise<{ engine: Engine; data: string }> {
  const data = tempDir('personae-brand-');
  await writeDataset({ customers, seed, years: 1 }, data);
  const engine = await openEngine();
  try {
    const config = configSchema.parse({});
    await validateData(engine, { dataDir: data, config, asOf: GENERATED_AS_OF, outDir: tempDir(), log: silentLogger, strictConsent: true });
    return { engine, data };
  } catch (error) {
    engine.close();
    throw error;
  }
}
