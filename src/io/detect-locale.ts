import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableConfig } from '../config/schema.js';
import {
  dateEvidenceSql,
  dateFormatOf,
  decideDateOrder,
  decideDecimal,
  decimalEvidenceSql,
  withTimes,
  type DateDecision,
  type DateEvidence,
  type DecimalDecision,
  type DecimalEvidence,
  type ReadSettings,
} from '../contract/locale.js';
import { typedReadSql, type ValidationPlan } from '../contract/validation-sql.js';
import { queryRows } from './duckdb.js';
import { quoteIdent as q } from './sql.js';

/** Records judged first: a file's first lines (decimal mark and date order rarely change further down). */
export const SAMPLE_ROWS = 100_000;

export interface LocalizedPlan {
  readonly plan: ValidationPlan;
  readonly readAs: ReadSettings;
}

/**
 * Reads the decimal mark and the day/month order of a table from its own values, unless its config sets
 * them (`decimal`, `date_format`), and returns the plan that reads them so (dates of the consent and
 * erasure tables excepted: those are read as written or fail closed). Judged on the first `sampleRows`
 * records of `raw_<table>`, and on all of them only when those leave a column undecided.
 * Only what the data shows unambiguously is decided; the rest stays as it was, and a column whose values
 * then cannot be read is reported with the setting to give (src/io/rejected-columns.ts).
 */
export async function localizePlan(
  connection: DuckDBConnection,
  plan: ValidationPlan,
  tableConfig: TableConfig | undefined,
  sampleRows: number = SAMPLE_ROWS,
): Promise<LocalizedPlan> {
  // A typed column read as it is (a Parquet timestamp or number) has no text to judge.
  const present = Object.entries(plan.spec.columns).filter(
    ([name]) => name in plan.sources && typedReadSql(plan, name) === undefined,
  );
  const numbers = tableConfig?.decimal
    ? []
    : present.filter(([, spec]) => spec.type === 'number' || spec.type === 'integer').map(([name]) => name);
  // Consent and erasure dates are never guessed: a record whose date does not read fails closed, and only an
  // explicit date_format reads another form (src/contract/consent-sql.ts).
  const guessDates = !tableConfig?.date_format && plan.spec.origin !== 'governance';
  const dates = guessDates ? present.filter(([, spec]) => spec.type === 'timestamp').map(([name]) => name) : [];
  const aggregates = [
    ...numbers.flatMap((name) => decimalEvidenceSql(q(`t_${name}`), `n_${name}_`)),
    ...dates.flatMap((name) => dateEvidenceSql(q(`t_${name}`), `d_${name}_`)),
  ];
  // The first lines decide when they can (one bounded read, not a parse of the whole file: validation parses
  // it once, later); a file whose first lines leave something undecided is judged on every line.
  const evidenceSql = (limit: number | undefined): string =>
    `SELECT count(*) AS "_sampled", ${aggregates.join(', ')} FROM (SELECT ${[...numbers, ...dates]
      .map((name) => `nullif(trim(CAST((${plan.sources[name]}) AS VARCHAR)), '') AS ${q(`t_${name}`)}`)
      .join(', ')} FROM ${q(`raw_${plan.table}`)}${limit === undefined ? '' : ` LIMIT ${limit}`})`;
  const read = async (limit: number | undefined): Promise<Record<string, number | string | null>> =>
    aggregates.length === 0 ? {} : ((await queryRows<Record<string, number | string | null>>(connection, evidenceSql(limit)))[0] ?? {});
  let row = await read(sampleRows);
  const wholeFile = Number(row._sampled ?? 0) < sampleRows;
  if (!wholeFile && !settled(row, numbers, dates)) row = await read(undefined);
  const num = (key: string): number => Number(row[key] ?? 0);
  const decimalEvidence: DecimalEvidence[] = numbers.map((name) => ({
    comma: num(`n_${name}_comma`),
    point: num(`n_${name}_point`),
    ambiguous: num(`n_${name}_ambiguous`),
  }));
  const decimal: DecimalDecision = tableConfig?.decimal
    ? { kind: 'decided', decimal: tableConfig.decimal }
    : decideDecimal(decimalEvidence);
  const dateDecisions: DateDecision[] = dates.map((name) =>
    decideDateOrder({
      values: num(`d_${name}_values`),
      numeric: num(`d_${name}_numeric`),
      maxFirst: row[`d_${name}_max_first`] === null ? null : num(`d_${name}_max_first`),
      maxSecond: row[`d_${name}_max_second`] === null ? null : num(`d_${name}_max_second`),
      separator: (row[`d_${name}_separator`] as string | null) ?? null,
    } satisfies DateEvidence),
  );
  const readAs = describe(tableConfig, decimal, dateDecisions);
  const detectedFormat = readAs.dateFormatFrom === 'detected' && readAs.dateFormat ? readAs.dateFormat : undefined;
  return {
    plan: {
      ...plan,
      ...(readAs.decimal === ',' ? { decimal: ',' } : {}),
      ...(detectedFormat ? { dateFormat: { detected: true, formats: withTimes(detectedFormat) } } : {}),
    },
    readAs,
  };
}

/** Whether the evidence decides every column it is about. */
function settled(row: Record<string, number | string | null>, numbers: readonly string[], dates: readonly string[]): boolean {
  const num = (key: string): number => Number(row[key] ?? 0);
  const decimal = decideDecimal(numbers.map((n) => ({ comma: num(`n_${n}_comma`), point: num(`n_${n}_point`), ambiguous: num(`n_${n}_ambiguous`) })));
  return decimal.kind === 'decided' && dates.every((d) => num(`d_${d}_numeric`) * 2 < num(`d_${d}_values`) || num(`d_${d}_numeric`) === 0 || (num(`d_${d}_max_first`) > 12) !== (num(`d_${d}_max_second`) > 12));
}

function describe(
  tableConfig: TableConfig | undefined,
  decimal: DecimalDecision,
  dates: readonly DateDecision[],
): ReadSettings {
  const decimalPart = tableConfig?.decimal
    ? { decimal: tableConfig.decimal, decimalFrom: 'config' as const }
    : decimal.kind === 'decided'
      ? { decimal: decimal.decimal, decimalFrom: decimal.decimal === ',' ? ('detected' as const) : ('default' as const) }
      : { decimal: '.' as const, decimalFrom: 'default' as const, decimalUndecided: decimal.kind };
  if (tableConfig?.date_format) {
    return { ...decimalPart, dateFormat: tableConfig.date_format, dateFormatFrom: 'config' };
  }
  const decided = dates.filter((d) => d.kind === 'decided');
  const orders = new Set(decided.map((d) => d.order));
  // Columns of one table disagreeing (one day-first, one month-first) decide nothing.
  const first = decided[0];
  if (first && orders.size === 1) {
    return { ...decimalPart, dateFormat: dateFormatOf(first.order, first.separator), dateFormatFrom: 'detected' };
  }
  const ambiguous = dates.find((d) => d.kind === 'ambiguous');
  return ambiguous ? { ...decimalPart, dateUndecided: { separator: ambiguous.separator } } : decimalPart;
}
