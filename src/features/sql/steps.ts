import type { SqlDialect } from '../../engine/dialect.js';
import { quoteIdent } from '../../io/sql.js';

/** A part of the features query: a CTE's name and its query, which may read the parts before it by name. */
export interface QueryPart {
  readonly name: string;
  readonly sql: string;
}

/**
 * The features query as statements: each part into a table named after the target and the part (two targets,
 * such as the timing stage's dates, never share one), then `body` into the target. Every statement names the
 * parts before it as CTEs over their tables, so each part's query and the final join read exactly as in the one
 * statement, and so do `shadows` (CTEs that hide a source table behind its population rows). The part CTEs are
 * NOT MATERIALIZED: a CTE read several times would otherwise be copied before it is read.
 */
export function featuresSteps(
  target: string,
  parts: readonly QueryPart[],
  shadows: readonly string[],
  body: string,
  d: SqlDialect,
): { steps: string[]; stepTables: string[] } {
  const stepTables = parts.map((p) => `${target}__${p.name}`);
  const withParts = (count: number): string => {
    const done = parts.slice(0, count).map((p, i) => `${p.name} AS NOT MATERIALIZED (SELECT * FROM ${quoteIdent(stepTables[i] as string)})`);
    // The shadows read the population: before it exists, a part has no shadow to see.
    const ctes = count === 0 ? done : [...done, ...shadows];
    return ctes.length === 0 ? '' : `WITH ${ctes.join(',\n')}\n`;
  };
  const steps = parts.map((p, i) => d.createTableAs(stepTables[i] as string, `${withParts(i)}${p.sql}`));
  steps.push(d.createTableAs(target, `${withParts(parts.length)}${body}`));
  return { steps, stepTables };
}
