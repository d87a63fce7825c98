import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exec, queryRows, withConnection, type DuckDBConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { parseSegmentRules, parseSegmentRulesYaml, type SegmentRule } from '../../src/segments/rules.js';
import { evaluateSegments } from '../../src/segments/rule-evaluate.js';
import { birthdayKeys } from '../../src/segments/rule-sql.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { AS_OF, loadTinyFixture, type FixtureTable } from '../features/tiny-fixture.js';

async function members(connection: DuckDBConnection, rules: SegmentRule[]): Promise<Record<string, string[]>> {
  const result = await evaluateSegments(connection, rules, { asOf: AS_OF });
  const rows = await queryRows<{ customer_id: string; segment: string }>(connection, 'SELECT * FROM rule_segments');
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(result.counts).map((k) => [k, []]));
  for (const r of rows) out[r.segment]?.push(r.customer_id);
  return out;
}

async function withFixture<T>(fn: (c: DuckDBConnection) => Promise<T>, tables?: FixtureTable[]): Promise<T> {
  return withConnection(async (c) => {
    await loadTinyFixture(c, tables);
    await computeFeatures(c, { asOf: AS_OF, topCategories: 2, topBrands: 2 });
    return fn(c);
  });
}

function configErrorOf(fn: () => unknown): { message: string; kind: string } {
  try {
    fn();
  } catch (error) {
    if (isPersonaeError(error)) return { message: error.message, kind: error.kind };
    throw error;
  }
  throw new Error('expected a config error');
}

const rules = parseSegmentRules(
  {
    segments: [
      { name: 'engaged_30d', when: { events: { types: ['session_start', 'product_view', 'add_to_cart', 'email_open', 'email_click', 'sms_click'], within_days: 30 } } },
      { name: 'abandoned_24h', when: { abandoned_cart: { within_hours: 24, more_than: 20 } } },
      { name: 'abandoned_14d', when: { abandoned_cart: { within_days: 14, more_than: 20 } } },
      { name: 'loyal', when: { orders: { within_days: 183, measure: 'items', at_least: 6 } } },
      {
        name: 'acme_fan',
        when: { any: [{ orders: { where: { brand: 'Acme' }, more_than: 1 } }, { events: { types: ['product_view'], where: { category: 'Shoes' } } }] },
      },
      { name: 'birthday_month', when: { birthday: { in: 'this_month' } } },
      { name: 'birthday_week', when: { birthday: { in: 'next_7_days' } } },
      {
        name: 'spender_not_price_sensitive',
        when: { all: [{ feature: 'monetary_total', op: '>=', value: 200 }, { not: { declared: { question: 'price_sensitivity', in: ['HIGH'] } } }] },
      },
      { name: 'runner', when: { declared: { question: 'interests', contains: 'Running' } } },
      { name: 'no_gender', when: { declared: { question: 'gender', answered: false } } },
      { name: 'web_lovers', when: { feature: 'share_channel_web', op: '>', value: 0.5 } },
      { name: 'recent_returners', when: { orders: { where: { status: ['returned', 'refunded'] }, within_days: 365 } } },
    ],
  },
  'test',
);

describe('rule-based segments on the tiny fixture (memberships checked by hand, as of 2024-06-30)', () => {
  it('evaluates every kind of condition', async () => {
    await withFixture(async (c) => {
      expect(await members(c, rules)).toEqual({
        // A's Jun 7 cart is within 30 days; B visited on Jun 25/29
        engaged_30d: ['A', 'B'],
        // B's Jun 30 20:00 cart was bought at 23:00; the Jul 1 cart (1000) is after the as-of date
        abandoned_24h: [],
        abandoned_14d: ['B'],
        // A: 2 + 1 + 3 + 1 items since Jan 1 (the cancelled order's item does not count); B: 4
        loyal: ['A'],
        acme_fan: ['A', 'B'],
        birthday_month: ['C'],
        birthday_week: [],
        // B declared HIGH price sensitivity; C and D spent less than 200
        spender_not_price_sensitive: ['A'],
        runner: ['A'],
        no_gender: ['B', 'C', 'D'],
        web_lovers: ['A', 'B'],
        recent_returners: ['A', 'C'],
      });
    });
  });

  it('ignores rows dated after the as-of date', async () => {
    await withFixture(async (c) => {
      const before = await members(c, rules);
      await exec(c, `INSERT INTO orders VALUES ('z1', 'D', '2024-07-01 00:00', 900, 'completed', 'EUR', 'web', 0, 9, 'Shoes', 'Acme'), ('z2', 'D', '2024-07-02 00:00', 900, 'returned', 'EUR', 'web', 0, 9, 'Shoes', 'Acme')`);
      await exec(c, `INSERT INTO events VALUES ('D', '2024-07-01 00:00', 'product_view', 'Shoes', 1, NULL), ('C', '2024-07-01 00:00', 'add_to_cart', NULL, 500, NULL)`);
      await exec(c, `INSERT INTO zero_party VALUES ('D', '2024-07-01 00:00', 'interests', 'running'), ('D', '2024-07-01 00:00', 'birth_date', '06-01'), ('B', '2024-07-01 00:00', 'gender', 'm')`);
      expect(await members(c, rules)).toEqual(before);
    });
  });

  it('on orders-only data, conditions on absent tables are false with a warning', async () => {
    await withFixture(
      async (c) => {
        const result = await evaluateSegments(c, rules, { asOf: AS_OF });
        expect(result.counts).toMatchObject({ engaged_30d: 0, loyal: 1, acme_fan: 1, web_lovers: 2, runner: 0 });
        expect(result.warnings.some((w) => w.includes('"engaged_30d"') && w.includes('events'))).toBe(true);
        expect(result.warnings.some((w) => w.includes('"runner"') && w.includes('zero_party'))).toBe(true);
      },
      ['orders', 'eligible'],
    );
  });

  it('a known feature absent from this data is false with a warning, a misspelt one is an error naming the rule', async () => {
    await withFixture(
      async (c) => {
        const absent = parseSegmentRules([{ name: 'engaged', when: { feature: 'sessions_30d', op: '>', value: 0 } }], 'test');
        const result = await evaluateSegments(c, absent, { asOf: AS_OF });
        expect(result.counts).toEqual({ engaged: 0 });
        expect(result.warnings[0]).toContain('sessions_30d');
        const typo = parseSegmentRules([{ name: 'recent', when: { feature: 'recency_dayz', op: '<', value: 30 } }], 'test');
        const error = await evaluateSegments(c, typo, { asOf: AS_OF }).catch((e: unknown) => e);
        expect(isPersonaeError(error) && error.kind).toBe('config');
        expect((error as Error).message).toContain('"recent"');
        expect((error as Error).message).toContain('recency_dayz');
      },
      ['orders', 'eligible'],
    );
  });
});

describe('a rules file holds values, never SQL', () => {
  const pwned = '/tmp/personae-rules-pwned.csv';
  const hostile = `x') OR TRUE OR ('1'='1"; COPY (SELECT 1) TO '${pwned}'; --`;

  it('matches hostile text as text: nothing runs, nothing matches, nothing is written', async () => {
    await withFixture(async (c) => {
      const tablesBefore = await queryRows(c, 'SELECT table_name FROM information_schema.tables ORDER BY 1');
      const result = await evaluateSegments(
        c,
        parseSegmentRules(
          [
            { name: 'h_orders', when: { orders: { where: { category: hostile, brand: [hostile, 'Acme'], channel: hostile } } } },
            { name: 'h_events', when: { events: { types: ['product_view'], where: { category: hostile, device: hostile } } } },
            { name: 'h_declared', when: { declared: { question: hostile, in: [hostile] } } },
            { name: 'h_contains', when: { declared: { question: 'interests', contains: hostile } } },
            { name: 'h_answered', when: { declared: { question: hostile, answered: true } } },
          ],
          'test',
        ),
        { asOf: AS_OF },
      );
      expect(result.counts).toEqual({ h_orders: 0, h_events: 0, h_declared: 0, h_contains: 0, h_answered: 0 });
      expect(await queryRows(c, 'SELECT table_name FROM information_schema.tables WHERE table_name <> \'rule_segments\' ORDER BY 1')).toEqual(tablesBefore);
    });
    expect(existsSync(pwned)).toBe(false);
  });

  it('refuses a feature name that is not a feature, and numbers that are not finite', async () => {
    await withFixture(async (c) => {
      const bad = parseSegmentRules([{ name: 'h', when: { feature: 'recency_days" OR 1=1 --', op: '<', value: 30 } }], 'test');
      const error = await evaluateSegments(c, bad, { asOf: AS_OF }).catch((e: unknown) => e);
      expect(isPersonaeError(error) && error.kind).toBe('config');
    });
    expect(configErrorOf(() => parseSegmentRules([{ name: 'n', when: { orders: { at_least: Infinity } } }], 'test')).kind).toBe('config');
    expect(configErrorOf(() => parseSegmentRules([{ name: 'n', when: { feature: 'recency_days', op: '<', value: Number.NaN } }], 'test')).kind).toBe('config');
  });
});

describe('parsing segment rules', () => {
  it('parses the shipped examples', async () => {
    const text = readFileSync(new URL('../../pipelines/conf/segments.yaml', import.meta.url), 'utf8');
    const shipped = parseSegmentRulesYaml(text, 'segments.yaml');
    expect(shipped.map((r) => r.name)).toEqual([
      'engaged_30d',
      'cart_abandoned_24h',
      'loyal_6_items_6_months',
      'brand_fan_acme',
      'birthday_this_month',
      'big_spender_overdue',
      'runners_not_reached',
      'accessories_next',
    ]);
    await withFixture(async (c) => {
      // A bought (completed) on 2024-06-08, within 180 days; C's only order is a refund from 2023-12-01.
      await exec(
        c,
        `CREATE TABLE next_categories (customer_id VARCHAR, next_category VARCHAR, next_category_score DOUBLE);
         INSERT INTO next_categories VALUES ('A', 'accessories', 0.4), ('B', 'shoes', 0.9), ('C', 'accessories', 0.7)`,
      );
      const result = await evaluateSegments(c, shipped, { asOf: AS_OF });
      expect(result.warnings).toEqual([]);
      expect(result.counts).toMatchObject({ engaged_30d: 2, loyal_6_items_6_months: 1, birthday_this_month: 1, runners_not_reached: 1, accessories_next: 1 });
    });
  });

  it.each([
    [{ name: 'x', when: { events: { types: ['clickk'] } } }, /segment "x": when\.events\.types\.0: /],
    [{ name: 'x', when: { any: [{ orders: {} }, { orders: { measure: 'weight' } }] } }, /segment "x": when\.any\[1\]\.orders\.measure/],
    [{ name: 'x', when: { orders: {}, events: { types: ['email_open'] } } }, /segment "x": when: a condition has exactly one key, found orders, events/],
    [{ name: 'x', when: { sometimes: true } }, /segment "x": when: unknown condition "sometimes"/],
    [{ name: 'x', when: { feature: 'orders_count', op: '>' } }, /segment "x": when: op ">" needs a value/],
    [{ name: 'x', when: { feature: 'orders_count', op: 'in', value: 3 } }, /needs a list value/],
    [{ name: 'x', when: { declared: { question: 'style', in: ['a'], answered: true } } }, /exactly one of in, contains, answered/],
    [{ name: 'x', when: { orders: { within_days: 3, within_hours: 4 } } }, /not both/],
    [{ name: 'Bad Name', when: { orders: {} } }, /segment "Bad Name": name: /],
    [{ name: 'x' }, /segment "x": `when` is missing/],
    [{ when: { orders: {} } }, /segment #1: name/],
  ])('rejects a malformed rule with a config error naming it (%#)', (rule, message) => {
    const error = configErrorOf(() => parseSegmentRules([rule], 'rules.yaml'));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(/^rules\.yaml: /);
    expect(error.message).toMatch(message);
  });

  it('rejects duplicate names and bad YAML', () => {
    expect(configErrorOf(() => parseSegmentRules([{ name: 'a', when: { orders: {} } }, { name: 'a', when: { orders: {} } }], 'r.yaml')).message).toContain('defined twice');
    expect(configErrorOf(() => parseSegmentRulesYaml('segments: [\n  - name: a\n when', 'r.yaml')).message).toContain('r.yaml is not valid YAML');
    expect(configErrorOf(() => parseSegmentRulesYaml('rules: []', 'r.yaml')).message).toContain('must hold a list');
  });

  it('birthday windows wrap the year and give Feb 29 birthdays a day in other years', () => {
    expect(birthdayKeys(new Date(Date.UTC(2023, 11, 29)), 'next_7_days')).toEqual([101, 102, 103, 104, 1229, 1230, 1231]);
    expect(birthdayKeys(new Date(Date.UTC(2023, 1, 28)), 'today')).toEqual([228, 229]);
    expect(birthdayKeys(new Date(Date.UTC(2024, 1, 28)), 'today')).toEqual([228]);
  });
});

describe('next_category conditions (the next best category from cross-sell)', () => {
  const nextRules = parseSegmentRules(
    {
      segments: [
        { name: 'next_bags', when: { next_category: { in: 'bags' } } },
        { name: 'next_bags_or_hats_sure', when: { next_category: { in: ['bags', 'hats'], at_least: 0.5 } } },
        { name: 'any_next_weak', when: { next_category: { less_than: 0.5 } } },
      ],
    },
    'test',
  );

  it('selects customers by their next best category and its score', async () => {
    await withFixture(async (c) => {
      const ids = (await queryRows<{ customer_id: string }>(c, 'SELECT customer_id FROM features ORDER BY customer_id')).map((r) => r.customer_id);
      const [a, b, d] = ids as [string, string, string];
      await exec(
        c,
        `CREATE TABLE next_categories (customer_id VARCHAR, next_category VARCHAR, next_category_score DOUBLE);
         INSERT INTO next_categories VALUES ('${a}', 'bags', 0.9), ('${b}', 'bags', 0.2), ('${d}', 'hats', 0.5)`,
      );
      const got = await members(c, nextRules);
      expect(got.next_bags?.sort()).toEqual([a, b].sort());
      expect(got.next_bags_or_hats_sure?.sort()).toEqual([a, d].sort());
      expect(got.any_next_weak).toEqual([b]);
    });
  });

  it('is false with a warning when there is no next best category (no categories in the orders)', async () => {
    await withFixture(async (c) => {
      const result = await evaluateSegments(c, nextRules, { asOf: AS_OF });
      expect(result.counts).toEqual({ next_bags: 0, next_bags_or_hats_sure: 0, any_next_weak: 0 });
      expect(result.warnings.some((w) => w.includes('"next_bags"') && w.includes('next best category'))).toBe(true);
    });
  });

  it('rejects an unknown key with the rule named', () => {
    const error = configErrorOf(() => parseSegmentRules({ segments: [{ name: 'x', when: { next_category: { is: 'bags' } } }] }, 'test'));
    expect(error.message).toContain('next_category');
  });
});
