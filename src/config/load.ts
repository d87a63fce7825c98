import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { configError } from '../core/errors.js';
import { explainIssue } from './issues.js';
import { configSchema, type Config } from './schema.js';

/** Parses and validates a config object; `source` names it in error messages. */
export function parseConfig(raw: unknown, source = 'the configuration'): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const { message, hint } = explainIssue(configSchema, raw ?? {}, result.error.issues[0] as z.core.$ZodIssue);
    configError('config_invalid', `${source}: ${message}`, hint);
  }
  return result.data;
}

export interface LoadedConfig {
  config: Config;
  /** Directory of the config file, against which relative paths in it are resolved. */
  baseDir: string;
  path: string | undefined;
}

/** Reads a YAML (or JSON) config file; no path gives the defaults. */
export function loadConfig(path: string | undefined): LoadedConfig {
  if (!path) return { config: parseConfig({}), baseDir: process.cwd(), path: undefined };
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch {
    configError('config_missing', `config file ${path} cannot be read`, 'Check the path given to --config.');
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    configError(
      'config_yaml',
      `config file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return { config: parseConfig(raw, `config file ${path}`), baseDir: dirname(full), path: full };
}
