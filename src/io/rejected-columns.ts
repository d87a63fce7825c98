import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReadSettings } from '../contract/locale.js';
import { explainRejection, type ColumnRejection } from '../contract/rejected-column.js';
import { badTextColumn, type ValidationPlan } from '../contract/validation-sql.js';
import { queryRows } from './duckdb.js';
import { quoteIdent as q } from './sql.js';

const EXAMPLES = 3;
/** Types whose non-empty text can fail to read; `checked_<t>` keeps such text in `bad_<name>`. */
const BAD_TEXT_TYPES: readonly string[] = ['number', 'integer', 'timestamp', 'enum'];

/**
 * The columns of `checked_<table>` none of whose values can be used: a required column empty in every row,
 * or a number, date or enum column none of whose non-empty values reads. Each comes with the sentence and
 * the setting that fixes it (src/contract/rejected-column.ts). Values of personal columns are never shown.
 */
export async function findRejectedColumns(
  connection: DuckDBConnection,
  plan: ValidationPlan,
  readAs: ReadSettings,
  file: string,
  rowsRead: number,
): Promise<ColumnRejection[]> {
  if (rowsRead === 0) return [];
  const checked = Object.entries(plan.spec.columns).filter(
    ([name, spec]) =>
      name in plan.sources && (spec.required || BAD_TEXT_TYPES.includes(spec.type)),
  );
  if (checked.length === 0) return [];
  // A column with one usable value (read, whole, allowed) is not rejected: one probe per column, which stops
  // at the first such row, spares the full count in the usual case where every column has them.
  const usable = checked.map(([name, spec]) =>
    BAD_TEXT_TYPES.includes(spec.type) ? `${q(`p_${name}`)} IS NOT NULL AND ${badTextColumn(name)} IS NULL` : `${q(`p_${name}`)} IS NOT NULL`,
  );
  const [probe] = await queryRows<Record<string, boolean>>(
    connection,
    `SELECT ${usable.map((condition, i) => `EXISTS (SELECT 1 FROM ${q(`checked_${plan.table}`)} WHERE ${condition}) AS c${i}`).join(', ')}`,
  );
  if (checked.every((_, i) => probe?.[`c${i}`] === true)) return [];
  const aggregates = checked.flatMap(([name, spec]) => {
    const parsed = q(`p_${name}`);
    if (!BAD_TEXT_TYPES.includes(spec.type)) {
      // An id or a text column: its value is its trimmed text, never unusable.
      return [`count(${parsed}) AS ${q(`${name}:values`)}`, `0 AS ${q(`${name}:bad`)}`, `[]::VARCHAR[] AS ${q(`${name}:examples`)}`];
    }
    // checked_<t> keeps the text of unusable values only (bad_<name>); a read value is non-empty text.
    const bad = badTextColumn(name);
    return [
      `count(${parsed}) + count(${bad}) FILTER (WHERE ${parsed} IS NULL) AS ${q(`${name}:values`)}`,
      `count(${bad}) AS ${q(`${name}:bad`)}`,
      spec.pii
        ? `[]::VARCHAR[] AS ${q(`${name}:examples`)}`
        : `list(${bad} ORDER BY _record) FILTER (WHERE ${bad} IS NOT NULL)[1:${EXAMPLES * 10}] AS ${q(`${name}:examples`)}`,
    ];
  });
  const [row] = await queryRows<Record<string, unknown>>(
    connection,
    `SELECT ${aggregates.join(', ')} FROM ${q(`checked_${plan.table}`)}`,
  );
  const rejections: ColumnRejection[] = [];
  for (const [name, spec] of checked) {
    const values = Number(row?.[`${name}:values`] ?? 0);
    const bad = Number(row?.[`${name}:bad`] ?? 0);
    const emptyRequired = spec.required === true && values === 0;
    if (!emptyRequired && (values === 0 || bad < values)) continue;
    const examples = [...new Set((row?.[`${name}:examples`] as string[] | null) ?? [])].slice(0, EXAMPLES);
    rejections.push(
      explainRejection({
        table: plan.table,
        file,
        column: name,
        spec,
        sourceSql: plan.sources[name] as string,
        values,
        examples,
        readAs,
      }),
    );
  }
  return rejections;
}
