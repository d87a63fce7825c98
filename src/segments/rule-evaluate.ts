import { exec, queryRows, quoteIdent, tableColumns, tableExists, type DuckDBConnection } from '../io/duckdb.js';
import { inputError } from '../core/errors.js';
import type { SegmentRule } from './rule-schema.js';
import { compileSegmentRules, type RuleTable } from './rule-sql.js';

export interface EvaluateSegmentsOptions {
  readonly asOf: Date;
  /** One row per customer to select from; its columns are the features rules may compare. */
  readonly population?: string;
  readonly target?: string;
}

export interface RuleSegmentsResult {
  /** Customers per segment, every rule listed (0 when nobody matches). */
  readonly counts: Record<string, number>;
  readonly warnings: string[];
}

/**
 * Recomputes the rule-based segments as of a date: creates `rule_segments(customer_id, segment)` with one
 * row per (customer, matching segment), from the features table and the raw tables (rows after the as-of
 * date are never read).
 */
export async function evaluateSegments(
  connection: DuckDBConnection,
  rules: readonly SegmentRule[],
  options: EvaluateSegmentsOptions,
): Promise<RuleSegmentsResult> {
  const population = options.population ?? 'features';
  const target = options.target ?? 'rule_segments';
  if (!(await tableExists(connection, population))) {
    inputError('segments.population', `the table ${quoteIdent(population)} does not exist`, 'compute the features before the rule-based segments');
  }
  const tables = new Set<RuleTable>();
  for (const t of ['orders', 'events', 'zero_party', 'next_categories'] as const) if (await tableExists(connection, t)) tables.add(t);
  const compiled = compileSegmentRules(
    rules,
    { asOf: options.asOf, population, populationColumns: new Set(await tableColumns(connection, population)), tables },
    target,
  );
  await exec(connection, compiled.sql);
  const rows = await queryRows<{ segment: string; n: number }>(connection, `SELECT segment, count(*) AS n FROM ${quoteIdent(target)} GROUP BY segment`);
  const counts: Record<string, number> = Object.fromEntries(rules.map((r) => [r.name, 0]));
  for (const r of rows) counts[r.segment] = Number(r.n);
  return { counts, warnings: compiled.warnings };
}
