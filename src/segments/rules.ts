import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configError, show } from '../core/errors.js';
import {
  CONDITION_KEYS,
  FeatureConditionSchema,
  LEAF_SCHEMAS,
  SegmentRuleHeadSchema,
  type Condition,
  type SegmentRule,
} from './rule-schema.js';

export type { Condition, SegmentRule } from './rule-schema.js';

/**
 * Parses the rule-based segments of a YAML file (`segments: [...]`). `source` names the file in errors.
 * A malformed rule is a config error naming the rule and the path of the bad field.
 */
export function parseSegmentRulesYaml(text: string, source: string): SegmentRule[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    return configError('segments.yaml', `${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'fix the YAML syntax (indentation, quotes)');
  }
  return parseSegmentRules(data, source);
}

/** Validates rules given as data: `{ segments: [...] }` or the list itself. */
export function parseSegmentRules(data: unknown, source: string): SegmentRule[] {
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.segments) ? data.segments : undefined;
  if (!list) {
    return configError('segments.shape', `${source} must hold a list \`segments:\` of rules`, 'see pipelines/conf/segments.yaml for examples');
  }
  const seen = new Set<string>();
  return list.map((raw, index) => {
    const name = isRecord(raw) && typeof raw.name === 'string' ? raw.name : undefined;
    const where = `${source}: segment ${name ? show(name) : `#${index + 1}`}`;
    if (isRecord(raw) && raw.when === undefined) {
      configError('segments.rule', `${where}: \`when\` is missing`, `write a condition: one of ${CONDITION_KEYS.join(', ')}`);
    }
    const head = SegmentRuleHeadSchema.safeParse(raw);
    if (!head.success) fail(where, '', head.error);
    const rule = head.data as z.output<typeof SegmentRuleHeadSchema>;
    if (seen.has(rule.name)) configError('segments.duplicate', `${where} is defined twice`, 'give every segment a unique name');
    seen.add(rule.name);
    return { ...rule, when: parseCondition(rule.when, 'when', where) };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, path: string, error: z.ZodError): never {
  const issue = error.issues[0];
  const field = [path, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  return configError('segments.rule', `${where}: ${field || 'rule'}: ${issue?.message ?? 'invalid'}`, 'see pipelines/conf/segments.yaml for the rule language');
}

function parseCondition(raw: unknown, path: string, where: string): Condition {
  const bad = (message: string): never =>
    configError('segments.rule', `${where}: ${path}: ${message}`, `a condition is one of ${CONDITION_KEYS.join(', ')}; see pipelines/conf/segments.yaml`);
  if (!isRecord(raw)) return bad(`expected a condition, got ${show(raw)}`);
  if ('feature' in raw) {
    const parsed = FeatureConditionSchema.safeParse(raw);
    if (!parsed.success) fail(where, path, parsed.error);
    const c = parsed.data as z.output<typeof FeatureConditionSchema>;
    const needsList = c.op === 'in' || c.op === 'not_in';
    const needsNone = c.op === 'is_null' || c.op === 'not_null';
    if (needsNone && c.value !== undefined) bad(`op ${c.op} takes no value`);
    if (!needsNone && c.value === undefined) bad(`op ${show(c.op)} needs a value`);
    if (needsList !== Array.isArray(c.value) && !needsNone) bad(needsList ? `op ${c.op} needs a list value` : `op ${show(c.op)} needs a single value, not a list`);
    return c;
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) return bad(`a condition has exactly one key, found ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const key = keys[0] as string;
  const body = raw[key];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(body) || body.length === 0) return bad(`${key} needs a non-empty list of conditions`);
    const items = body.map((item, i) => parseCondition(item, `${path}.${key}[${i}]`, where));
    return key === 'all' ? { all: items } : { any: items };
  }
  if (key === 'not') return { not: parseCondition(body, `${path}.not`, where) };
  if (!(key in LEAF_SCHEMAS)) return bad(`unknown condition ${show(key)}`);
  const leaf = key as keyof typeof LEAF_SCHEMAS;
  const parsed = LEAF_SCHEMAS[leaf].safeParse(body);
  if (!parsed.success) fail(where, `${path}.${key}`, parsed.error);
  const value = parsed.data as Record<string, unknown>;
  if (value.within_days !== undefined && value.within_hours !== undefined) bad(`${key}: give within_days or within_hours, not both`);
  if (leaf === 'declared') {
    const modes = ['in', 'contains', 'answered'].filter((m) => value[m] !== undefined);
    if (modes.length !== 1) bad(`declared: give exactly one of in, contains, answered (found ${modes.join(', ') || 'none'})`);
  }
  return { [leaf]: value } as Condition;
}
