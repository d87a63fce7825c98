import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import { tempDir } from '../helpers/data-dir.js';
import { listFiles } from '../helpers/scan-outputs.js';
import { disposeSchemas, loadDataDir, openServers, testSchema, testServers, type PostgresSource } from '../engine/servers.js';

const AS_OF = '2025-12-31';
const RULES = fileURLToPath(new URL('../../pipelines/conf/segments.yaml', import.meta.url));
const TABLES = ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure', 'campaigns'];
const servers = testServers();
/** Where the run reads the poisoned tables: files, and (test servers up, always in CI) PostgreSQL. */
const SOURCES: ('files' | PostgresSource)[] = servers ? ['files', 'single', 'coordinator'] : ['files'];

/**
 * What a customer or a shop admin can type into an id, an email, a category, a brand or an answer to make a
 * spreadsheet run it (OWASP "CSV Injection"), keyed by the customer number modulo 7 (0 stays as it is).
 */
const HOSTILE_ID = `CASE CAST(substr(customer_id, 2) AS INTEGER) % 7
  WHEN 1 THEN '=HYPERLINK("http://evil.example/","' || customer_id || '")'
  WHEN 2 THEN '@SUM(1)' || customer_id
  WHEN 3 THEN '-2+3-' || customer_id
  WHEN 4 THEN '+' || customer_id || '+1'
  WHEN 5 THEN '＝1+' || customer_id
  WHEN 6 THEN chr(9) || '=' || customer_id
  ELSE customer_id END`;

/** Rewrites a generated data set so that hostile values reach every table and column a CSV output may hold. */
async function poison(data: string): Promise<void> {
  await withConnection(async (c) => {
    const rewrite = async (table: string, columns: Record<string, string>): Promise<void> => {
      const path = join(data, `${table}.csv`);
      const select = `SELECT * REPLACE (${Object.entries(columns)
        .map(([column, expr]) => `${expr} AS ${column}`)
        .join(', ')}) FROM read_csv(${quoteLiteral(path)}, all_varchar = true, header = true)`;
      await c.run(`CREATE OR REPLACE TABLE t AS ${select}`);
      await c.run(`COPY t TO ${quoteLiteral(path)} (FORMAT csv, HEADER true)`);
    };
    await rewrite('customers', {
      customer_id: HOSTILE_ID,
      email: `CASE WHEN CAST(substr(customer_id, 2) AS INTEGER) % 11 = 0 THEN '=HYPERLINK("http://evil.example/")@x.io' ELSE email END`,
      city: `'=cmd|'' /C calc''!A0'`,
    });
    await rewrite('orders', {
      customer_id: HOSTILE_ID,
      category: `CASE category WHEN 'apparel' THEN '=cmd|'' /C calc''!A0' WHEN 'home' THEN '@home'
        WHEN 'beauty' THEN '[beauty](javascript:alert(1))' WHEN 'shoes' THEN 'shoes | <b>x</b> \`y\`' ELSE category END`,
      brand: `CASE brand WHEN 'Everyday' THEN '+Everyday' WHEN 'Vertige' THEN '<img src=x onerror=alert(1)>'
        WHEN 'PrixMalin' THEN '![p](http://evil.example/p.png)' ELSE '-' || brand END`,
      amount: `CASE WHEN order_id LIKE '%7' THEN '=1+1' ELSE amount END`,
    });
    await rewrite('events', { customer_id: HOSTILE_ID });
    await rewrite('zero_party', { customer_id: HOSTILE_ID, answer: `'=' || answer` });
    await rewrite('consent', { customer_id: HOSTILE_ID });
  });
}

/** Tags and links of a Markdown report rendered as a wiki would (raw HTML and autolinks on). */
function rendered(markdown: string): { tags: string[]; links: string[]; images: string[] } {
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  return {
    tags: [...html.matchAll(/<(script|img|iframe|object|svg|a|b)\b/gi)].map((m) => (m[1] as string).toLowerCase()),
    links: [...html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((m) => m[1] as string),
    images: [...html.matchAll(/<img\s[^>]*src="([^"]*)"/gi)].map((m) => m[1] as string),
  };
}

/**
 * The test's own judge (OWASP, written apart from src/core/spreadsheet.ts): a cell runs as a formula when it
 * starts, after spaces, with = + - @ or a full-width form, or with a tab or a carriage return, unless it is a
 * plain number.
 */
function wouldRun(cell: string): boolean {
  return /^(\s*[=+\-@＝＋－＠]|[\t\r])/u.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);
}

/** Every cell of a CSV file, header included, as a spreadsheet reads it (RFC 4180). */
async function cells(path: string): Promise<string[]> {
  const rows = await withConnection((c) =>
    queryRows<Record<string, string | null>>(
      c,
      `SELECT * FROM read_csv(${quoteLiteral(path)}, all_varchar = true, header = false, quote = '"', escape = '"', delim = ',', strict_mode = true)`,
    ),
  );
  return rows.flatMap((row) => Object.values(row).filter((v): v is string => v !== null));
}

let poisoned: Promise<string> | undefined;

/** The generated data set with hostile values, made once for every source. */
function poisonedData(): Promise<string> {
  poisoned ??= (async () => {
    const data = tempDir('personae-hostile-');
    expect(await main(['generate', '--customers', '600', '--seed', '17', '--out', data, '--quiet'])).toBe(0);
    await poison(data);
    return data;
  })();
  return poisoned;
}

describe.each(SOURCES)('a whole run on data whose values are spreadsheet formulas, from %s', (source) => {
  const out = tempDir();
  const csvCells = new Map<string, string[]>();
  const schema = testSchema(`hostile_${source}`);
  const pg = source !== 'files' && servers ? openServers(servers) : undefined;

  beforeAll(async () => {
    const data = await poisonedData();
    let input = data;
    if (pg && servers && source !== 'files') {
      await loadDataDir(await pg, source, { dir: data, tables: TABLES, schema });
      input = `${servers[source]}?schema=${schema}`;
    }
    const config = join(tempDir('personae-conf-'), 'run.yaml');
    writeFileSync(
      config,
      `clustering:\n  k: 3\ntiming:\n  neural: false\nsegments:\n  rules_file: ${JSON.stringify(RULES)}\n  exports:\n    rfm: true\n`,
    );
    expect(await main(['run', '--data', input, '--as-of', AS_OF, '--out', out, '--config', config, '--json'])).toBe(0);
    for (const path of listFiles(out).filter((p) => p.endsWith('.csv'))) csvCells.set(path.slice(out.length + 1), await cells(path));
  }, 600_000);

  afterAll(async () => {
    if (pg) await disposeSchemas(await pg, [schema]);
  });

  it('writes the hostile values into the CSV files a person opens (the test is not vacuous)', () => {
    const files = [...csvCells.keys()];
    expect(files).toEqual(expect.arrayContaining(['scores.csv', 'validation/orders.quarantine.csv', 'validation/customers.dropped_fields.csv']));
    for (const family of ['lifecycle', 'vip', 'rfm']) expect(files.some((f) => f.startsWith(`exports/email_${family}`)), family).toBe(true);
    expect(files.filter((f) => f.startsWith('exports/')).length).toBeGreaterThan(20); // rule segments too
    const all = [...csvCells.values()].flat();
    for (const prefix of ["'=HYPERLINK(", "'@SUM(1)", "'-2+3-", "'+C", "'＝1+", "'\t="]) {
      expect(all.some((cell) => cell.startsWith(prefix)), prefix).toBe(true);
    }
    expect(csvCells.get('scores.csv')?.some((cell) => cell.startsWith("'=HYPERLINK("))).toBe(true);
  });

  it('no cell of any CSV output would run as a formula', () => {
    const live: string[] = [];
    for (const [file, values] of csvCells) {
      for (const value of values) if (wouldRun(value)) live.push(`${file}: ${JSON.stringify(value)}`);
    }
    expect(live).toEqual([]);
  });

  it('the Markdown report shows category and brand names as text: no HTML, link or image but its charts', () => {
    const markdown = readFileSync(join(out, 'report', 'personas.md'), 'utf8');
    const { tags, links, images } = rendered(markdown);
    expect(markdown).toMatch(/onerror=alert\(1\)|javascript:alert|evil\.example/); // hostile names reached the report
    expect(links).toEqual([]);
    expect(tags.filter((t) => t !== 'img')).toEqual([]);
    expect(images.every((src) => /^charts\/[a-z0-9_-]+\.png$/.test(src)), images.join(' ')).toBe(true);
    const html = readFileSync(join(out, 'report', 'personas.html'), 'utf8');
    expect(html).not.toMatch(/<img src=x|href="javascript:|<b>x<\/b>/i);
  });
});
