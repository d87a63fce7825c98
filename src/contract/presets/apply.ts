import type { Config, TableConfig } from '../../config/schema.js';
import { inputError } from '../../core/errors.js';
import { quoteIdent } from '../../io/sql.js';
import type { RawColumn } from '../mapping.js';
import { CONTRACT, type TableName } from '../schema.js';
import { PRESETS } from './index.js';
import type { TablePreset } from './types.js';

/** `{Name}`, `{Client|Customer}`: a letter first, so that regular expressions' `{1,3}` are not placeholders. */
const PLACEHOLDER = /\{(\p{L}[^{}]*)\}/gu;

/** The template with every `{A|B}` replaced by the first of A, B the file has; undefined if one is missing. */
export function fillTemplate(template: string, rawColumns: readonly string[]): string | undefined {
  const byLower = new Map(rawColumns.map((c) => [c.trim().toLowerCase(), c]));
  let missing = false;
  const sql = template.replace(PLACEHOLDER, (_, alternatives: string) => {
    const found = alternatives
      .split('|')
      .map((a) => byLower.get(a.trim().toLowerCase()))
      .find((c) => c !== undefined);
    if (found === undefined) missing = true;
    return found === undefined ? 'NULL' : quoteIdent(found);
  });
  return missing ? undefined : sql;
}

/** The columns a template reads, as written in it (for messages). */
export function templateColumns(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => (m[1] as string).split('|').join(' or ')))];
}

/**
 * The table's config with the preset's mapping under it: the user's own mapping of a column wins, the
 * preset maps the rest (trusted SQL of this project, never checked as a user's `{sql: …}`), and a required
 * column the export lacks stops with a message naming the preset and the columns it looked for.
 */
export function withPreset(
  config: Config,
  table: TableName,
  rawColumns: readonly RawColumn[],
  file: string,
): TableConfig | undefined {
  const user = config.tables[table];
  const preset: TablePreset | undefined = config.preset ? PRESETS[config.preset].tables[table] : undefined;
  if (!config.preset || !preset) return user;
  const names = rawColumns.map((c) => c.name);
  const columns: TableConfig['columns'] = {};
  for (const [canonical, template] of Object.entries(preset.columns)) {
    const sql = fillTemplate(template, names);
    if (sql !== undefined) {
      columns[canonical] = { sql };
      continue;
    }
    const required = CONTRACT[table].columns[canonical]?.required === true;
    if (required && user?.columns[canonical] === undefined) {
      inputError(
        'preset_column_missing',
        `${file} does not look like a ${config.preset} ${table} export: it has no ${templateColumns(template).join(', nor ')} column, which the ${config.preset} preset reads ${table}.${canonical} from (found: ${names.join(', ')})`,
        `Export the file again from ${config.preset} with its default columns (data/README.md, "Presets"), or map the column yourself: tables.${table}.columns.${canonical}: YourColumnName.`,
      );
    }
  }
  return {
    ...user,
    columns: { ...columns, ...(user?.columns ?? {}) },
    line_items: user?.line_items || preset.lineItems === true,
  };
}
