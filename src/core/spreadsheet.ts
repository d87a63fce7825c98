/**
 * The one rule for every CSV a person may open in a spreadsheet (OWASP, "CSV Injection"): a text cell that
 * a spreadsheet would run as a formula — it starts with `=`, `+`, `-`, `@` (or their full-width forms,
 * after any spaces), a tab or a carriage return — gets a leading apostrophe, so it is shown as text; and
 * every text cell is quoted, so a `;` or a tab inside it cannot start a new cell in a spreadsheet that
 * splits on those. A plain number (`+33612345678`, `-12.5`) is no formula and is kept as it is: phone
 * numbers must reach SMS tools unchanged. The apostrophe is in the CSV only: Parquet and JSON outputs hold
 * the exact values.
 *
 * The JavaScript and SQL forms below are the same rule (tests/core/spreadsheet.test.ts runs both on the
 * same cases); `copyToCsv` (src/io/write-csv.ts) applies the SQL form to every text column DuckDB writes.
 */
const TRIGGER = '^(?:\\s*[=+\\-@＝＋－＠]|[\\t\\r])';
const PLAIN_NUMBER = '^[+-]?[0-9]+(?:\\.[0-9]+)?$';
const TRIGGER_RE = new RegExp(TRIGGER, 'u');
const PLAIN_NUMBER_RE = new RegExp(PLAIN_NUMBER);

/** The text as a spreadsheet must receive it: with a leading apostrophe when it would run as a formula. */
export function defuseCell(text: string): string {
  return TRIGGER_RE.test(text) && !PLAIN_NUMBER_RE.test(text) ? `'${text}` : text;
}

/** One CSV cell (RFC 4180): defused and quoted; null is an empty, unquoted cell. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return `"${defuseCell(value).replaceAll('"', '""')}"`;
}

/** One CSV line of cells (no line break). */
export function csvLine(cells: readonly (string | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

/** `defuseCell` as a DuckDB expression over a VARCHAR expression. */
export function defuseCellSql(expr: string): string {
  return `CASE WHEN regexp_matches(${expr}, '${TRIGGER}') AND NOT regexp_matches(${expr}, '${PLAIN_NUMBER}') THEN '''' || ${expr} ELSE ${expr} END`;
}
