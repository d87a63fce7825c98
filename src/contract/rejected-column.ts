import type { ColumnSpec, TableName } from './schema.js';
import type { ReadSettings } from './locale.js';
import type { ReasonCode } from './reasons.js';

/**
 * A column none of whose values could be used: every row of its table is quarantined for it, so the
 * message must say which file, column and setting, and how to fix it — not leave the user with an empty
 * table and a puzzle further down the run.
 */
export interface ColumnRejection {
  readonly table: TableName;
  readonly file: string;
  /** The contract column, e.g. `amount`. */
  readonly column: string;
  /** The file's column (or the mapping expression) it was read from. */
  readonly source: string;
  readonly reason: ReasonCode;
  /** Non-empty values in the column (all of them unusable). */
  readonly values: number;
  /** A few of the values, as written (never for a column with personal data). */
  readonly examples: readonly string[];
  readonly message: string;
  readonly fix: string;
}

export interface RejectionInput {
  readonly table: TableName;
  readonly file: string;
  readonly column: string;
  readonly spec: ColumnSpec;
  /** SQL source of the column: a quoted file column (`"Total"`) or a mapping expression. */
  readonly sourceSql: string;
  readonly values: number;
  readonly examples: readonly string[];
  readonly readAs: ReadSettings;
}

const COMMA_DECIMAL = /^[+-]?(\d{1,3}([ \u00A0\u202F.]\d{3})+|\d+),\d+$|^[+-]?\d{1,3}([ \u00A0\u202F]\d{3})+$/;
const POINT_DECIMAL = /^[+-]?\d+\.\d+$/;
const CURRENCY = /[€$£¥]|\b(EUR|USD|GBP|CHF)\b/;
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{2}|\d{4})(?:[ T](\d{1,2}:\d{2})(:\d{2})?)?$/;

function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** A column name as written inside a YAML double-quoted `{sql: "…"}`. */
function sqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\\"${name.replaceAll('"', '""')}\\"`;
}

/** `"Total"` → `Total`; an expression stays an expression. */
export function sourceName(sourceSql: string): string {
  const quoted = /^"((?:[^"]|"")*)"$/.exec(sourceSql);
  return quoted ? (quoted[1] as string).replaceAll('""', '"') : sourceSql;
}

/** The reason rows get for this column, the sentence, and the fix naming the setting. */
export function explainRejection(input: RejectionInput): ColumnRejection {
  const { table, file, column, spec, examples, readAs } = input;
  const source = sourceName(input.sourceSql);
  const from = source === column ? `column "${source}"` : `column "${source}" (read as ${table}.${column})`;
  const setting = (key: string): string => `tables.${table}.${key}`;
  const e = examples.length > 0 ? ` (e.g. ${quoteList(examples)})` : '';
  const base = { table, file, column, source, values: input.values, examples };
  if (input.values === 0) {
    return {
      ...base,
      reason: 'missing_key',
      message: `${file}: ${from} is empty in every row, so every row is quarantined as missing_key`,
      fix: `Map the column of ${file} that holds ${column}: ${setting(`columns.${column}`)}: YourColumnName.`,
    };
  }
  const all = `${file}: all ${input.values} values of ${from}`;
  if (spec.type === 'number' || spec.type === 'integer') {
    const what = spec.type === 'integer' ? 'whole numbers' : 'numbers';
    const message = `${all} cannot be read as ${what}${e}, so every row is quarantined as bad_number`;
    return { ...base, reason: 'bad_number', message, fix: numberFix(input, setting) };
  }
  if (spec.type === 'timestamp') {
    const message = `${all} cannot be read as dates${e}, so every row is quarantined as bad_date`;
    return { ...base, reason: 'bad_date', message, fix: dateFix(examples, readAs, setting) };
  }
  const allowed = (spec.values ?? []).join(', ');
  const example = examples[0] ?? 'value';
  const preset = table === 'orders' ? ' For a shop export, a preset maps them: --preset shopify, woocommerce or prestashop.' : '';
  return {
    ...base,
    reason: 'unknown_value',
    message: `${all} are outside the allowed values${e}, so every row is quarantined as unknown_value`,
    fix: `Allowed values of ${table}.${column}: ${allowed}. Map the file's own values with an expression, e.g. ${setting(`columns.${column}`)}: {sql: "CASE lower(${sqlName(source)}) WHEN '${example.toLowerCase().replaceAll("'", "''")}' THEN '${spec.values?.[0] ?? ''}' END"}.${preset}`,
  };
}

function numberFix(input: RejectionInput, setting: (key: string) => string): string {
  const { examples, readAs } = input;
  if (readAs.decimalUndecided === 'ambiguous') {
    return `Values such as "1,234" read as 1.234 with a decimal comma and as 1234 with a comma between thousands, and nothing in ${input.file} tells which: set ${setting('decimal')}: ',' (French exports) or '.' in the config.`;
  }
  if (readAs.decimalUndecided === 'mixed') {
    return `${input.file} writes some numbers with a decimal comma and others with a decimal point: set ${setting('decimal')} to the one it uses (',' or '.'); the values written the other way stay quarantined.`;
  }
  const plain = examples.map((v) => v.replace(CURRENCY, '').trim());
  if (examples.some((v) => CURRENCY.test(v)) && plain.every((v) => COMMA_DECIMAL.test(v) || POINT_DECIMAL.test(v) || /^[+-]?\d+$/.test(v))) {
    return `The values carry a currency sign: export the column as plain numbers (in Excel, format it as Number, not Currency, before saving), or map it without the sign, e.g. ${setting(`columns.${input.column}`)}: {sql: "replace(${sqlName(sourceName(input.sourceSql))}, '€', '')"}.`;
  }
  if (readAs.decimal === '.' && examples.some((v) => COMMA_DECIMAL.test(v))) {
    return `The values are written with a decimal comma: set ${setting('decimal')}: ',' in the config.`;
  }
  if (readAs.decimal === ',' && examples.some((v) => POINT_DECIMAL.test(v))) {
    return readAs.decimalFrom === 'config'
      ? `The values are written with a decimal point, but ${setting('decimal')} says ',': remove that setting or set it to '.'.`
      : `The values are written with a decimal point while the rest of the file uses a decimal comma: set ${setting('decimal')}: '.' if that is what the file uses.`;
  }
  return `Correct the values in the file, or map ${input.column} to an expression that reads them (${setting(`columns.${input.column}`)}: {sql: …}).`;
}

function dateFix(examples: readonly string[], readAs: ReadSettings, setting: (key: string) => string): string {
  if (readAs.dateUndecided) {
    const s = readAs.dateUndecided.separator;
    return `Dates such as ${JSON.stringify(examples[0] ?? `03${s}01${s}2025`)} can be read day first or month first, and no value in the file is above 12 to tell: set ${setting('date_format')}: '%d${s}%m${s}%Y' (day first, as French exports write them) or '%m${s}%d${s}%Y' (month first) in the config.`;
  }
  if (readAs.dateFormatFrom === 'config') {
    return `The values do not match ${setting('date_format')}: '${readAs.dateFormat}': correct that setting (strptime format), or remove it to read ISO 8601 dates (2025-01-03T14:05:00).`;
  }
  const match = examples.map((v) => NUMERIC_DATE.exec(v)).find((m) => m !== null);
  if (match) {
    const [, , sep, , year, time, seconds] = match;
    const y = year?.length === 2 ? '%y' : '%Y';
    const t = time ? (seconds ? ' %H:%M:%S' : ' %H:%M') : '';
    return `Set ${setting('date_format')}: '%d${sep}%m${sep}${y}${t}' (day first) or '%m${sep}%d${sep}${y}${t}' (month first) in the config.`;
  }
  return `Set ${setting('date_format')} to the strptime format of these values (e.g. '%d/%m/%Y %H:%M' for 03/01/2025 14:05), or export the dates as ISO 8601 (2025-01-03T14:05:00).`;
}
