import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { inputError } from '../core/errors.js';
import { PRESETS } from '../contract/presets/index.js';
import { TABLE_NAMES, type TableName } from '../contract/schema.js';

export type SourceFormat = 'csv' | 'parquet' | 'json';

export interface SourceFile {
  readonly table: TableName;
  readonly path: string;
  readonly name: string;
  readonly format: SourceFormat;
  /** CSV only: the field separator the config sets (`tables.<t>.separator`); detected when absent. */
  readonly separator?: string;
}

const EXTENSIONS: ReadonlyArray<[string, SourceFormat]> = [
  ['.csv', 'csv'],
  ['.csv.gz', 'csv'],
  ['.tsv', 'csv'],
  ['.parquet', 'parquet'],
  ['.json', 'json'],
  ['.ndjson', 'json'],
  ['.jsonl', 'json'],
];

export function formatOf(fileName: string): SourceFormat | undefined {
  const lower = fileName.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** Whether `path` (symbolic links followed) is inside the directory `dir` (symbolic links followed). */
function isInside(dir: string, path: string): boolean {
  const from = realpathSync(dir);
  const to = relative(from, realpathSync(path));
  return to !== '' && !to.startsWith('..') && !isAbsolute(to);
}

function separatorOf(config: Config, table: TableName): { separator?: string } {
  const separator = config.tables[table]?.separator;
  return separator ? { separator } : {};
}

/** Finds one file per table in the data directory (named after the table, or as the config says). */
export function findSources(dataDir: string, config: Config): Partial<Record<TableName, SourceFile>> {
  const dir = resolve(dataDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    inputError(
      'data_dir_missing',
      `data directory ${dataDir} does not exist`,
      'Pass --data DIR pointing at your exported tables.',
    );
  }
  const files = readdirSync(dir);
  const found: Partial<Record<TableName, SourceFile>> = {};
  for (const table of TABLE_NAMES) {
    const configured = config.tables[table]?.file;
    if (configured) {
      const path = resolve(dir, configured);
      const format = formatOf(configured);
      if (!existsSync(path)) {
        inputError(
          'table_file_missing',
          `config tables.${table}.file: ${configured} is not in ${dataDir}`,
          'Check the file name.',
        );
      }
      if (!format) {
        inputError(
          'table_file_format',
          `${configured}: unknown file type`,
          'Use .csv, .parquet, .json or .ndjson.',
        );
      }
      if (!config.allow_files_outside_data && !isInside(dir, path)) {
        inputError(
          'table_file_outside_data',
          `config tables.${table}.file: ${configured} is not inside the data directory ${dataDir}`,
          'Copy the file into the data directory, or, if you mean it, set `allow_files_outside_data: true` in the config.',
        );
      }
      found[table] = { table, path, name: configured, format, ...separatorOf(config, table) };
      continue;
    }
    const own = files.filter((f) => EXTENSIONS.some(([ext]) => f.toLowerCase() === `${table}${ext}`));
    // A shop's own file name for the export (orders_export_1.csv) when the table's is not there.
    const presetFiles = (config.preset ? PRESETS[config.preset].tables[table]?.files : undefined) ?? [];
    const matches = own.length > 0 ? own : files.filter((f) => presetFiles.includes(f.toLowerCase()));
    if (matches.length > 1) {
      inputError(
        'table_file_ambiguous',
        `${dataDir} holds several files for the ${table} table: ${matches.join(', ')}`,
        'Keep exactly one file per table.',
      );
    }
    const match = matches[0];
    if (match)
      found[table] = {
        table,
        path: join(dir, match),
        name: match,
        format: formatOf(match) as SourceFormat,
        ...separatorOf(config, table),
      };
  }
  if (!found.orders) {
    inputError(
      'orders_missing',
      `${dataDir} has no orders file (orders.csv, orders.parquet or orders.json)`,
      'Export your orders as orders.csv, or name the file in the config: tables.orders.file: your_file.csv.',
    );
  }
  return found;
}
