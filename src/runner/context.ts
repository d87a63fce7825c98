import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { Engine } from '../io/duckdb.js';

/** What every stage of a run may read: settings, the database, where to write. */
export interface RunContext {
  readonly engine: Engine;
  readonly config: Config;
  readonly configPath: string | undefined;
  readonly dataDir: string;
  readonly asOf: Date;
  readonly outDir: string;
  readonly log: Logger;
  readonly warnings: string[];
}
