import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReadSettings } from '../contract/locale.js';
import { explainRejection, type ColumnRejection } from '../contract/rejected-column.js';
import type { ValidationPlan } from '../contract/validation-sql.js';
import { queryRows } from './duckdb.js';
import { quoteIdent as q, quoteLiteral as lit } from './sql.js';

const EXAMPLES = 3;

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
      name in plan.sources && (spec.required || ['number', 'integer', 'timestamp', 'enum'].includes(spec.type)),
  );
  if (checked.length === 0) return [];
  const aggregates = checked.flatMap(([name, spec]) => {
    const text = `nullif(trim(${q(`s_${name}`)}), '')`;
    const parsed = q(`p_${name}`);
    const bad =
      spec.type === 'enum'
        ? `${parsed} NOT IN (${(spec.values ?? []).map(lit).join(', ')})`
        : spec.type === 'integer'
          ? `(${parsed} IS NULL OR (isfinite(${parsed}) AND ${parsed} <> round(${parsed})))`
          : spec.type === 'number' || spec.type === 'timestamp'
            ? `${parsed} IS NULL`
            : 'false';
    return [
      `count(${text}) AS ${q(`${name}:values`)}`,
      `count(*) FILTER (WHERE ${text} IS NOT NULL AND ${bad}) AS ${q(`${name}:bad`)}`,
      spec.pii
        ? `[]::VARCHAR[] AS ${q(`${name}:examples`)}`
        : `list(${text} ORDER BY _record) FILTER (WHERE ${text} IS NOT NULL AND ${bad})[1:${EXAMPLES * 10}] AS ${q(`${name}:examples`)}`,
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
