import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { PersonaeError } from '../core/errors.js';
import { isOutOfMemory, type EngineOptions, type EngineSettings } from './duckdb.js';

/** The engine options a config asks for; relative paths are resolved from the config file's folder. */
export function engineOptions(settings: Config['engine'], baseDir: string): EngineOptions {
  return {
    tablesOnDisk: true,
    ...(settings.memory_limit !== undefined ? { memoryLimit: settings.memory_limit } : {}),
    ...(settings.temp_directory !== undefined ? { tempDirectory: resolve(baseDir, settings.temp_directory) } : {}),
    ...(settings.max_temp_directory_size !== undefined
      ? { maxTempDirectorySize: settings.max_temp_directory_size }
      : {}),
    ...(settings.threads !== undefined ? { threads: settings.threads } : {}),
  };
}

/**
 * DuckDB's "Out of Memory Error" as a user's error naming the settings that bound it and how to change them;
 * any other error is returned as it is.
 */
export function explainEngineError(error: unknown, settings: EngineSettings): unknown {
  if (!isOutOfMemory(error)) return error;
  const message = String((error as Error).message);
  const detail = message.split('\n')[0]?.replace(/^Out of Memory Error:\s*/, '') ?? '';
  const diskFull = /offload|max_temp_directory_size|temporary|disk/i.test(message);
  const limits = diskFull
    ? `engine.memory_limit (${settings.memoryLimit}) and engine.max_temp_directory_size (${
        settings.maxTempDirectorySize ?? "DuckDB's default, 90% of the free disk"
      }) in engine.temp_directory (${settings.tempDirectory})`
    : `engine.memory_limit (${settings.memoryLimit})`;
  return new PersonaeError(
    'input',
    'out_of_memory',
    `the data does not fit in ${limits}: ${detail}`,
    `Check that the input files are the ones you meant (a small compressed Parquet file can hold millions of rows). ` +
      `If they are, raise engine.memory_limit in the config (a size such as '8GB' or a share of the machine's memory such as '70%'), ` +
      `${diskFull ? 'raise engine.max_temp_directory_size or point engine.temp_directory to a disk with more room' : 'give engine.temp_directory a folder on a disk with room to spill'}, ` +
      `or lower engine.threads.`,
  );
}
