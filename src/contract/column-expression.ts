/**
 * What a `tables.<t>.columns.<c>: {sql: …}` mapping may be: ONE scalar expression over the columns of
 * that table's file — column names, constants, operators, CASE, CAST and the deterministic scalar
 * functions below. Nothing that reads or writes anything else: no subquery, no table function
 * (`read_text`, `query`), no aggregate or window, no lambda, no parameter, no `*`, no function that
 * depends on the machine or the clock (`getenv`, `current_setting`, `now`, `random`).
 *
 * DuckDB parses the text (`json_serialize_sql`, which never runs it); this module checks the parse tree
 * against an allow-list, and the expression that runs is DuckDB's own rendering of the checked tree
 * (`json_deserialize_sql`), never the text as written: comments and anything around it are gone.
 */

/** Node classes of DuckDB's parse tree an expression may contain. */
const CLASSES = new Set(['COLUMN_REF', 'CONSTANT', 'FUNCTION', 'CAST', 'OPERATOR', 'COMPARISON', 'CONJUNCTION', 'CASE', 'BETWEEN']);

/** Operators (FUNCTION nodes flagged is_operator, written with symbols). */
const OPERATORS = ['||', '+', '-', '*', '/', '//', '%', '^', '**', '~~', '!~~', '~~*', '!~~*', '~~~', '!~~~', '^@'];

/** Deterministic scalar functions that only compute on their arguments. */
const FUNCTIONS = [
  // numbers
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'sign', 'sqrt', 'cbrt', 'ln', 'log', 'log10', 'log2', 'exp',
  'pow', 'power', 'mod', 'greatest', 'least', 'isfinite', 'isnan', 'isinf',
  // text
  'lower', 'upper', 'lcase', 'ucase', 'trim', 'ltrim', 'rtrim', 'replace', 'substring', 'substr', 'left', 'right',
  'length', 'strlen', 'len', 'concat', 'concat_ws', 'lpad', 'rpad', 'reverse', 'repeat', 'split_part', 'contains',
  'starts_with', 'ends_with', 'prefix', 'suffix', 'position', 'strpos', 'instr', 'regexp_replace', 'regexp_extract',
  'regexp_matches', 'regexp_full_match', 'translate', 'strip_accents', 'format', 'printf', 'md5', 'sha256', 'hash',
  'string_split', 'str_split', 'list_extract', 'array_extract', 'list_element', 'list_value', 'list_contains',
  'array_length', 'nfc_normalize',
  // nulls and choices
  'nullif', 'ifnull', 'if', 'coalesce',
  // dates and times
  'strftime', 'strptime', 'try_strptime', 'date_part', 'datepart', 'date_trunc', 'datetrunc', 'date_diff', 'datediff',
  'date_sub', 'datesub', 'date_add', 'make_date', 'make_time', 'make_timestamp', 'epoch', 'epoch_ms', 'to_timestamp',
  'year', 'month', 'day', 'hour', 'minute', 'second', 'dayofweek', 'isodow', 'week', 'weekofyear', 'quarter',
  'dayofyear', 'timezone', 'last_day', 'to_days', 'to_hours', 'to_minutes', 'to_seconds',
];
const ALLOWED_FUNCTIONS = new Set([...OPERATORS, ...FUNCTIONS]);

interface Node {
  readonly class?: string;
  readonly type?: string;
  readonly function_name?: string;
  readonly schema?: string;
  readonly catalog?: string;
  readonly column_names?: readonly string[];
  readonly distinct?: boolean;
  readonly filter?: unknown;
  readonly order_bys?: { readonly orders?: readonly unknown[] };
  readonly [key: string]: unknown;
}

/** The parse of `SELECT <expression>` as json_serialize_sql returns it. */
export interface SerializedSelect {
  readonly error: boolean;
  readonly error_message?: string;
  readonly statements?: readonly { readonly node: Node }[];
}

export type ExpressionCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** Checks the parse of `SELECT <expression>`: one statement, one select item, no clause, allowed nodes only. */
export function checkExpressionTree(parsed: SerializedSelect, columns: readonly string[]): ExpressionCheck {
  if (parsed.error) return { ok: false, problem: `it does not parse: ${parsed.error_message ?? 'syntax error'}` };
  const statements = parsed.statements ?? [];
  if (statements.length !== 1) return { ok: false, problem: 'it holds several statements: give one expression' };
  const node = (statements[0] as { node: Node }).node;
  const select = node.select_list as readonly Node[] | undefined;
  const clauses = ['where_clause', 'having', 'qualify', 'sample'].filter((k) => node[k] !== null && node[k] !== undefined);
  const from = node.from_table as { type?: string } | undefined;
  if (
    node.type !== 'SELECT_NODE' ||
    select?.length !== 1 ||
    from?.type !== 'EMPTY' ||
    clauses.length > 0 ||
    ((node.group_expressions as unknown[] | undefined)?.length ?? 0) > 0 ||
    ((node.modifiers as unknown[] | undefined)?.length ?? 0) > 0 ||
    ((node.cte_map as { map?: unknown[] } | undefined)?.map?.length ?? 0) > 0
  ) {
    return { ok: false, problem: 'it is not one expression (a query, a clause or several values)' };
  }
  const known = new Set(columns.map((c) => c.toLowerCase()));
  const problem = checkNode(select[0] as Node, known);
  return problem ? { ok: false, problem } : { ok: true };
}

function checkNode(node: Node, columns: ReadonlySet<string>): string | undefined {
  if (node.class !== undefined) {
    if (!CLASSES.has(node.class)) return `${describe(node)} is not allowed in a column expression`;
    if (node.class === 'COLUMN_REF') {
      const names = node.column_names ?? [];
      if (names.length !== 1 || !columns.has((names[0] as string).toLowerCase())) {
        return `column ${JSON.stringify(names.join('.'))} is not a column of the file`;
      }
    }
    if (node.class === 'FUNCTION') {
      const name = (node.function_name ?? '').toLowerCase();
      const qualified = (node.catalog ?? '') !== '' || !['', 'main'].includes(node.schema ?? '');
      const aggregateLike = node.distinct === true || node.filter != null || (node.order_bys?.orders?.length ?? 0) > 0;
      if (!ALLOWED_FUNCTIONS.has(name) || qualified || aggregateLike) {
        return `function ${JSON.stringify(node.function_name)} is not allowed in a column expression`;
      }
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'class') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object') {
        const problem = checkNode(child as Node, columns);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

function describe(node: Node): string {
  const kinds: Record<string, string> = {
    SUBQUERY: 'a subquery',
    WINDOW: 'a window function',
    LAMBDA: 'a lambda',
    STAR: '* or COLUMNS(…)',
    PARAMETER: 'a parameter',
  };
  return kinds[node.class as string] ?? `${(node.class as string).toLowerCase()} (${String(node.type)})`;
}
