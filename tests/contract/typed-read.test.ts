import { describe, expect, it } from 'vitest';
import { CONTRACT } from '../../src/contract/schema.js';
import { checkedTableSql, typedReadSql, typeMismatch, type ValidationPlan } from '../../src/contract/validation-sql.js';

function eventsPlan(sourceTypes?: Record<string, string>): ValidationPlan {
  return {
    table: 'events',
    spec: CONTRACT.events,
    sources: { customer_id: '"customer_id"', occurred_at: '"occurred_at"', type: '"type"', value: '"value"' },
    asOfEnd: '2025-12-31 23:59:59.999999',
    checkCustomers: true,
    lineItems: false,
    minYear: 1990,
    maxBirthYear: 2012,
    ...(sourceTypes ? { sourceTypes } : {}),
  };
}

const shape = { columns: ['customer_id', 'occurred_at', 'type', 'value'], csv: false };

describe('typed source columns', () => {
  it('read a timestamp or number column of a fitting type as it is: no text, no trim, no grammar', () => {
    const typed = checkedTableSql(
      eventsPlan({ customer_id: 'VARCHAR', occurred_at: 'TIMESTAMP WITH TIME ZONE', type: 'VARCHAR', value: 'DECIMAL(18,2)' }),
      shape,
    );
    const text = checkedTableSql(eventsPlan(), shape);
    // The text path parses the timestamp with the ISO grammar and the number with TRY_CAST.
    expect(text).toContain('regexp_full_match("t_occurred_at"');
    expect(text).toContain('TRY_CAST("t_value" AS DOUBLE)');
    expect(typed).not.toContain('"t_occurred_at" >=');
    expect(typed).not.toContain('regexp_full_match("t_occurred_at"');
    expect(typed).not.toContain('CAST(("occurred_at") AS VARCHAR)');
    expect(typed).toContain(`CASE WHEN isfinite("t_occurred_at") THEN make_timestamp(epoch_us("t_occurred_at")) END AS "p_occurred_at"`);
    expect(typed).toContain('CAST("t_value" AS DOUBLE) AS "p_value"');
    // Text columns are still trimmed and enums lower-cased.
    expect(typed).toContain('lower("t_type") AS "p_type"');
  });

  it('take naive timestamps and dates as UTC, and leave other types to the text path with a message', () => {
    const plan = (occurred_at: string, value = 'DOUBLE'): ValidationPlan => eventsPlan({ occurred_at, value });
    for (const type of ['TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'DATE']) {
      expect(typedReadSql(plan(type), 'occurred_at', 'x')).toBe('CASE WHEN isfinite(x) THEN CAST(x AS TIMESTAMP) END');
      expect(typeMismatch(plan(type), 'occurred_at')).toBeUndefined();
    }
    for (const type of ['INTEGER', 'BIGINT', 'HUGEINT', 'UBIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL(38,10)']) {
      expect(typedReadSql(plan('TIMESTAMP', type), 'value', 'x')).toBe('CAST(x AS DOUBLE)');
    }
    expect(typedReadSql(plan('VARCHAR'), 'occurred_at')).toBeUndefined();
    expect(typeMismatch(plan('VARCHAR'), 'occurred_at')).toBeUndefined();
    expect(typedReadSql(plan('BIGINT'), 'occurred_at')).toBeUndefined();
    expect(typeMismatch(plan('BIGINT'), 'occurred_at')).toMatch(/is of type BIGINT, not a date or timestamp.*to_timestamp\(occurred_at\)/);
    expect(typeMismatch(plan('TIMESTAMP', 'TIMESTAMP'), 'value')).toMatch(/is of type TIMESTAMP, not a number/);
    // An id or text column of another type is read as its text (an integer customer id is usual): no message.
    expect(typeMismatch(eventsPlan({ customer_id: 'BIGINT' }), 'customer_id')).toBeUndefined();
  });
});
