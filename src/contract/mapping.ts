import type { TableConfig } from '../config/schema.js';
import { inputError, show } from '../core/errors.js';
import { quoteIdent } from '../io/sql.js';
import type { TableName, TableSpec } from './schema.js';

export interface RawColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * Maps canonical columns to SQL expressions over a file's own columns: explicit config mapping first, then
 * a case-insensitive name match. A missing required column is a structural error naming the file.
 */
export function resolveColumnSources(
  table: TableName,
  spec: TableSpec,
  rawColumns: readonly RawColumn[],
  tableConfig: TableConfig | undefined,
  file: string,
): Record<string, string> {
  const byLower = new Map(rawColumns.map((c) => [c.name.toLowerCase(), c]));
  const mapping = tableConfig?.columns ?? {};
  for (const canonical of Object.keys(mapping)) {
    if (!(canonical in spec.columns)) {
      inputError(
        'mapping_unknown_column',
        `config tables.${table}.columns.${canonical}: ${show(canonical)} is not a column of the ${table} table`,
        `Map to one of: ${Object.keys(spec.columns).join(', ')}.`,
      );
    }
  }
  const sources: Record<string, string> = {};
  for (const [canonical, columnSpec] of Object.entries(spec.columns)) {
    const mapped = mapping[canonical];
    if (typeof mapped === 'object') {
      sources[canonical] = mapped.sql;
      continue;
    }
    const wanted = (mapped ?? canonical).toLowerCase();
    const raw = byLower.get(wanted);
    if (!raw) {
      if (mapped !== undefined) {
        inputError(
          'mapped_column_missing',
          `${file}: column ${show(mapped)} (mapped to ${table}.${canonical} in the config) is not in the file`,
          `The file has: ${rawColumns.map((c) => c.name).join(', ')}.`,
        );
      }
      continue;
    }
    const ref = quoteIdent(raw.name);
    // Numeric ids exported as floats (17850.0) are read back as whole-number ids.
    sources[canonical] =
      columnSpec.type === 'id' && /^(DOUBLE|FLOAT|REAL|DECIMAL)/i.test(raw.type)
        ? `CASE WHEN ${ref} = floor(${ref}) THEN CAST(CAST(${ref} AS BIGINT) AS VARCHAR) ELSE CAST(${ref} AS VARCHAR) END`
        : ref;
  }
  const missing = Object.entries(spec.columns)
    .filter(([name, c]) => c.required && !(name in sources))
    .map(([name]) => name);
  if (missing.length > 0) {
    const found = rawColumns.map((c) => c.name);
    const delimiterHint = found.some((n) => /[;\t|]/.test(n))
      ? ` The header looks like it uses another delimiter (${show(found[0])}): save the file comma-separated or check its delimiter.`
      : '';
    inputError(
      'missing_column',
      `${file}: required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the ${table} table ${missing.length > 1 ? 'are' : 'is'} missing (found: ${found.join(', ')}).`,
      `Rename the column in the file or map it in the config, e.g. tables.${table}.columns.${missing[0]}: YourColumnName.${delimiterHint}`,
    );
  }
  return sources;
}
