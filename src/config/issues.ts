import type { z } from 'zod';
import { closestMatch } from '../core/closest.js';
import { show } from '../core/errors.js';

/**
 * Turns a schema violation in a config file into a sentence a user can act on: which setting, the value
 * written, what the schema accepts there (read from the schema itself, so it never drifts from it), and for
 * an unknown setting the one that was probably meant.
 */
type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;

export interface ExplainedIssue {
  readonly message: string;
  readonly hint: string;
}

const FIX_HINT = 'Fix that setting; the README lists every setting with its default.';

export function explainIssue(schema: Schema, raw: unknown, issue: Issue): ExplainedIssue {
  if (issue.code === 'unrecognized_keys') return explainUnknownKey(schema, issue.path, issue.keys[0] as string);
  const path = dotted(issue.path);
  const value = valueAt(raw, issue.path);
  const written = value === undefined ? 'missing' : show(value);
  // Refinements and formats carry their own sentence ("must be below …", "must be a date written YYYY-MM-DD").
  if (issue.code === 'custom' || issue.code === 'invalid_format') {
    return { message: `setting \`${path}\` is invalid: ${written}: ${issue.message}`, hint: FIX_HINT };
  }
  const target = schemaAt(schema, issue.path);
  const expected = target ? describe(target) : undefined;
  const detail = expected ? `${written} is not ${expected}` : issue.message;
  return { message: `setting \`${path}\` is invalid: ${detail}`, hint: FIX_HINT };
}

function explainUnknownKey(schema: Schema, parentPath: readonly PropertyKey[], key: string): ExplainedIssue {
  const siblings = objectKeys(schemaAt(schema, parentPath));
  const prefix = parentPath.length ? `${dotted(parentPath)}.` : '';
  const near = closestMatch(key, siblings);
  // Not a typo of a neighbour: maybe a real setting written at the wrong level (`k: 5` for `clustering.k`).
  const elsewhere = near ? undefined : settingPaths(schema).find((p) => closestMatch(key, [p.split('.').pop() as string]) !== undefined);
  const guess = near ? ` — did you mean \`${prefix}${near}\`?` : elsewhere ? ` — did you mean \`${elsewhere}\`?` : '';
  const where = parentPath.length ? `under \`${dotted(parentPath)}\`` : 'at the top level';
  return {
    message: `unknown setting \`${prefix}${key}\`${guess}`,
    hint: `The settings ${where} are: ${siblings.join(', ')}.`,
  };
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(top level)';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
  options?: Schema[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  checks?: Array<{ _zod: { def: Record<string, unknown> } }>;
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    current = childOf(unwrap(current), key);
  }
  return current ? unwrap(current) : undefined;
}

function childOf(schema: Schema, key: PropertyKey): Schema | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return def.element;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const child = childOf(unwrap(option), key);
      if (child) return child;
    }
  }
  return undefined;
}

function objectKeys(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** Every setting's dotted path, depth first (`data`, …, `clustering.k`, …). */
function settingPaths(schema: Schema, prefix = ''): string[] {
  const def = defOf(unwrap(schema));
  if (def.type !== 'object') return [];
  return Object.entries(def.shape ?? {}).flatMap(([key, child]) => [`${prefix}${key}`, ...settingPaths(child, `${prefix}${key}.`)]);
}

/** What a schema accepts, in words: `"auto" or a whole number from 2 to 30`. */
function describe(schema: Schema): string {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum':
      return `one of ${Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(', ')}`;
    case 'number':
      return describeNumber(def);
    case 'string': {
      const length = checks(def).find((c) => c.check === 'length_equals');
      return length ? `text of ${String(length.length)} characters` : 'text';
    }
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a group of settings';
    case 'record':
      return 'a mapping of names to values';
    case 'array':
      return 'a list';
    case 'union':
      return (def.options ?? []).map(describe).join(' or ');
    default:
      return `a ${def.type}`;
  }
}

function checks(def: Def): Array<Record<string, unknown>> {
  return (def.checks ?? []).map((c) => c._zod.def);
}

function describeNumber(def: Def): string {
  const all = checks(def);
  const noun = all.some((c) => c.check === 'number_format' && String(c.format).includes('int')) ? 'a whole number' : 'a number';
  const lower = all.find((c) => c.check === 'greater_than');
  const upper = all.find((c) => c.check === 'less_than');
  if (lower?.inclusive && upper?.inclusive) return `${noun} from ${String(lower.value)} to ${String(upper.value)}`;
  const bounds: string[] = [];
  if (lower) bounds.push(lower.inclusive ? `of at least ${String(lower.value)}` : `above ${String(lower.value)}`);
  if (upper) bounds.push(`${upper.inclusive ? (lower ? 'at most' : 'of at most') : 'below'} ${String(upper.value)}`);
  return bounds.length ? `${noun} ${bounds.join(' and ')}` : noun;
}
