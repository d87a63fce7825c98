import { resolve } from 'node:path';
import { loadConfig, parseConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { PRESET_NAMES } from '../contract/presets/index.js';
import { configError, inputError, show } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { parseIsoDate, todayUtc } from '../core/time.js';
import { openPostgresEngine } from '../engine/postgres.js';
import {
  isPostgresUrl,
  postgresSourceFromSetting,
  postgresSourceFromUrl,
  stagePostgresSource,
  type PostgresSource,
} from '../io/postgres-source.js';

export interface CommonFlags {
  data?: string;
  asOf?: string;
  out?: string;
  config?: string;
  json?: boolean;
  preset?: string;
}

export interface ResolvedOptions {
  loaded: LoadedConfig;
  /** The data directory; empty when the data is in PostgreSQL (`postgres`). */
  dataDir: string;
  /** The contract's tables in a PostgreSQL schema (`--data postgresql://…` or `data: {postgres: …}`). */
  postgres?: PostgresSource;
  asOf: Date;
  outDir: string;
  json: boolean;
  log: Logger;
}

export function parseDateFlag(value: string, flag: string): Date {
  const date = parseIsoDate(value);
  if (!date)
    inputError(
      'bad_date_flag',
      `${flag} ${show(value)} is not a date`,
      `Write it as YYYY-MM-DD, e.g. ${flag} 2025-12-31.`,
    );
  return date;
}

/** `--preset NAME` overrides the config's `preset:`. */
function withPresetFlag(loaded: LoadedConfig, preset: string | undefined): LoadedConfig {
  if (preset === undefined) return loaded;
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) {
    inputError('preset_unknown', `--preset ${show(preset)} is not a preset`, `Use one of: ${PRESET_NAMES.join(', ')}.`);
  }
  return { ...loaded, config: parseConfig({ ...loaded.config, preset }) };
}

/** Flags override the config file, which overrides defaults; relative paths in the config are resolved from it. */
export function resolveOptions(
  flags: CommonFlags,
  defaults: { out?: string; asOfToday?: boolean } = {},
): ResolvedOptions {
  const loaded = withPresetFlag(loadConfig(flags.config), flags.preset);
  const { config, baseDir } = loaded;
  const postgres = postgresSourceOf(flags.data, config.data);
  const fileSetting = typeof config.data === 'string' ? config.data : undefined;
  const data = postgres ? '' : (flags.data ?? (fileSetting ? resolve(baseDir, fileSetting) : undefined));
  if (data === undefined || (!postgres && !data))
    inputError(
      'data_missing',
      'no data directory given',
      'Pass --data DIR or set `data:` in the config file.',
    );
  const asOfText = flags.asOf ?? config.as_of;
  let asOf: Date;
  if (asOfText) asOf = parseDateFlag(asOfText, '--as-of');
  else if (defaults.asOfToday) asOf = todayUtc();
  else
    inputError(
      'as_of_missing',
      'no as-of date given',
      'Pass --as-of YYYY-MM-DD (the date the analysis is for).',
    );
  const out = flags.out ?? (config.out ? resolve(baseDir, config.out) : defaults.out);
  if (!out) inputError('out_missing', 'no output directory given', 'Pass --out DIR.');
  const json = flags.json ?? false;
  return {
    loaded,
    dataDir: postgres ? '' : resolve(data),
    ...(postgres ? { postgres } : {}),
    asOf,
    outDir: resolve(out),
    json,
    log: createLogger({ json }),
  };
}

/** The tables a command reads: a directory, or a PostgreSQL schema read into files for it. */
export interface DataSource {
  readonly dataDir: string;
  /** The config, with the staged files' names and CSV reading when the tables come from PostgreSQL. */
  readonly config: Config;
  /** What run.json names as the data: the schema (never the password), or undefined for a directory. */
  readonly description?: string;
}

/**
 * Calls `use` with the command's tables. PostgreSQL tables are read into files first (validation, consent and
 * erasure then run on them as on any file) and those files are removed afterwards, whatever `use` does.
 */
export async function withDataSource<T>(
  options: ResolvedOptions,
  use: (source: DataSource) => Promise<T>,
): Promise<T> {
  if (!options.postgres) return use({ dataDir: options.dataDir, config: options.loaded.config });
  const staged = await stagePostgresSource(options.postgres, options.loaded.config);
  options.log.info(`data: ${staged.tables.join(', ')} read from ${staged.description}`);
  try {
    return await use({ dataDir: staged.dataDir, config: staged.config, description: staged.description });
  } finally {
    await staged.remove();
  }
}

/** The PostgreSQL source named by `--data` (which wins) or the config's `data:`, if either names one. */
function postgresSourceOf(flag: string | undefined, setting: Config['data']): PostgresSource | undefined {
  if (flag !== undefined) return isPostgresUrl(flag) ? postgresSourceFromUrl(flag) : undefined;
  if (setting === undefined) return undefined;
  if (typeof setting === 'string') return isPostgresUrl(setting) ? postgresSourceFromUrl(setting) : undefined;
  return postgresSourceFromSetting(setting.postgres);
}

/**
 * Where a run writes back: `--write-back` (which wins) or the config's `write_back:`, if either is set. The
 * server is reached once here, so that a wrong URL or password is said before the run rather than after it.
 */
export async function writeBackTarget(
  flag: string | undefined,
  setting: Config['write_back'],
): Promise<PostgresSource | undefined> {
  if (flag !== undefined && !isPostgresUrl(flag)) {
    configError(
      'write_back_url',
      '--write-back takes a PostgreSQL URL',
      'write it postgresql://user:password@host:port/database?schema=name',
    );
  }
  const target =
    flag !== undefined
      ? postgresSourceFromUrl(flag, '--write-back')
      : setting
        ? postgresSourceFromSetting(setting.postgres, process.env, 'write_back')
        : undefined;
  if (target) await (await openPostgresEngine(target.url)).close();
  return target;
}
