import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Rng } from '../../src/core/rng.js';
import { queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import { usableEmail, usablePhone } from '../../src/segments/exports.js';
import { tempDir } from '../helpers/data-dir.js';
import { historyVerdicts, randomHistories, splitLines, type Histories } from '../helpers/random-histories.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';
import {
  disposeSchemas,
  loadDataDir,
  openServers,
  testSchema,
  testServers,
  type OpenedServers,
  type PostgresSource,
} from '../engine/servers.js';

const AS_OF = '2025-12-31';
const RUNS = 3;
const TABLES = ['customers', 'orders', 'events', 'zero_party', 'consent', 'erasure'];

/** Where a run reads the brand's tables: files, one PostgreSQL server, or a coordinator with two shards. */
type Source = 'files' | PostgresSource;
const servers = testServers();
const SOURCES: Source[] = servers ? ['files', 'single', 'coordinator'] : ['files'];

/**
 * The histories a database table can hold: a line with the wrong number of fields has no row to be (the
 * file pipeline quarantines it and takes out the customer it names; a table cannot carry it).
 */
function tableHistories(histories: Histories): Histories {
  const keep = (lines: readonly string[]): string[] => {
    const [header, ...body] = lines as [string, ...string[]];
    const { malformed } = splitLines(lines);
    return [header, ...body.filter((line) => !malformed.includes(line))];
  };
  return { consent: keep(histories.consent), erasure: keep(histories.erasure) };
}

interface Contact {
  customer_id: string;
  email: string | null;
  phone: string | null;
}

/**
 * Property, on whole runs: a generated brand's consent and erasure tables are replaced by random histories
 * (tests/helpers/random-histories.ts); then no customer whose records say "out" — by the contract's rules
 * written independently (tests/helpers/consent-oracle.ts) — has their id, email or phone in any output
 * file (Parquet decoded), and no customer whose records say "in" is lost: the scores hold exactly the
 * customers who are in, and each email and SMS list exactly those of its segment with that channel's
 * consent and a usable address. The same runs are made from files and, when the PostgreSQL test servers
 * are up (always in CI), from one server and from a coordinator whose tables live on two shards.
 */
describe(`${RUNS} whole runs on random consent and erasure histories, from ${SOURCES.join(', ')}`, () => {
  const base = tempDir('personae-property-');
  const conf = join(tempDir('personae-conf-'), 'fast.yaml');
  let contacts: Contact[] = [];
  let pg: OpenedServers | undefined;
  const schemas: string[] = [];
  /** How often the runs met each failing-closed path (so the property is not only checked on easy cases). */
  const met = { suppressedInside: 0, undatedOrUnreadable: 0, erased: 0 };

  beforeAll(async () => {
    writeFileSync(conf, 'clustering:\n  k: 3\ntiming:\n  neural: false\n');
    expect(await main(['generate', '--customers', '300', '--seed', '17', '--out', base, '--quiet'])).toBe(0);
    contacts = await withConnection((c) =>
      queryRows<Contact>(
        c,
        `SELECT customer_id, email, phone FROM read_csv(${quoteLiteral(join(base, 'customers.csv'))}, all_varchar = true)`,
      ),
    );
    if (servers) pg = await openServers(servers);
  }, 300_000);

  afterAll(async () => {
    if (pg) await disposeSchemas(pg, schemas);
  });

  const cases = Array.from({ length: RUNS }, (_, i) => i).flatMap((run) => SOURCES.map((source) => [run, source] as const));
  it.each(cases)('run %i from %s', async (run, source) => {
    const data = tempDir('personae-property-data-');
    for (const file of ['customers.csv', 'orders.csv', 'events.csv', 'zero_party.csv']) cpSync(join(base, file), join(data, file));
    const ids = contacts.map((c) => c.customer_id);
    const drawn = randomHistories(Rng.derive(7, `run-property-${run}`), ids, AS_OF);
    const histories = source === 'files' ? drawn : tableHistories(drawn);
    writeFileSync(join(data, 'consent.csv'), `${histories.consent.join('\n')}\n`);
    writeFileSync(join(data, 'erasure.csv'), `${histories.erasure.join('\n')}\n`);
    let input = data;
    if (source !== 'files' && pg && servers) {
      const schema = testSchema(`property_${run}`);
      schemas.push(schema);
      await loadDataDir(pg, source, { dir: data, tables: TABLES, schema });
      input = `${servers[source]}?schema=${schema}`;
    }
    const out = tempDir();
    expect(await main(['run', '--data', input, '--as-of', AS_OF, '--out', out, '--config', conf, '--json'])).toBe(0);

    const verdicts = historyVerdicts(histories, ids, AS_OF);
    const isIn = (id: string) => verdicts.get(id)?.eligible === true;
    const outside = contacts.filter((c) => !isIn(c.customer_id));
    const inside = contacts.filter((c) => isIn(c.customer_id));
    expect(outside.length).toBeGreaterThan(50);
    expect(inside.length).toBeGreaterThan(50);

    // No trace of a customer who is out, in any file (phones are searched without their +). An address that a
    // customer who is in shares with one who was never asked is the first one's; any other address is out.
    const email = (c: Contact) => usableEmail(c.email)?.toLowerCase() ?? null;
    const phone = (c: Contact) => usablePhone(c.phone);
    const suppressed = {
      email: new Set(contacts.filter((c) => verdicts.get(c.customer_id)?.suppresses.email).map(email)),
      sms: new Set(contacts.filter((c) => verdicts.get(c.customer_id)?.suppresses.sms).map(phone)),
    };
    const insideAddresses = new Set(inside.flatMap((c) => [email(c), phone(c)]));
    met.suppressedInside += inside.filter((c) => suppressed.email.has(email(c)) || suppressed.sms.has(phone(c))).length;
    met.erased += contacts.filter((c) => verdicts.get(c.customer_id)?.erased).length;
    met.undatedOrUnreadable += histories.consent.filter((l) => /,(maybe|pending|),|,(31\/12\/2025|yesterday|soon|)$/.test(l)).length;
    const texts = await outputTexts(out);
    const traces = outside.flatMap((c) => [
      c.customer_id,
      ...[email(c), phone(c)].filter((a): a is string => a !== null && (!insideAddresses.has(a) || suppressed.email.has(a) || suppressed.sms.has(a))),
    ]);
    const lowered = new Map([...texts].map(([file, text]) => [file, text.toLowerCase().replaceAll('+', ' ')]));
    expect(findIds(lowered, traces.map((t) => t.toLowerCase().replace(/^\+/, '')))).toEqual([]);

    // Every customer who is in is scored, and only they are.
    const scores = await withConnection((c) =>
      queryRows<{ customer_id: string; lifecycle: string }>(
        c,
        `SELECT customer_id, lifecycle FROM read_parquet(${quoteLiteral(join(out, 'scores.parquet'))})`,
      ),
    );
    expect(scores.map((s) => s.customer_id).sort()).toEqual(inside.map((c) => c.customer_id).sort());

    // Each lifecycle list holds exactly the customers of its segment with the channel's consent and an address.
    const lifecycle = new Map(scores.map((s) => [s.customer_id, s.lifecycle]));
    const lists = readdirSync(join(out, 'exports')).filter((f) => /^(email|sms)_lifecycle_.*\.json$/.test(f));
    expect(lists.length).toBeGreaterThan(4);
    for (const file of lists) {
      const [, channel, segment] = /^(email|sms)_lifecycle_(.*)\.json$/.exec(file) as RegExpExecArray;
      const members = (JSON.parse(readFileSync(join(out, 'exports', file), 'utf8')) as { members: { customer_id: string }[] }).members;
      const expected = inside.filter((c) => {
        const v = verdicts.get(c.customer_id);
        const reachable =
          channel === 'email'
            ? v?.email && email(c) !== null && !suppressed.email.has(email(c))
            : v?.sms && phone(c) !== null && !suppressed.sms.has(phone(c));
        return reachable && lifecycle.get(c.customer_id) === segment;
      });
      expect(members.map((m) => m.customer_id).sort(), file).toEqual(expected.map((c) => c.customer_id).sort());
    }
  }, 600_000);

  it('met every failing-closed path: shared addresses suppressed, erasures, unreadable records', () => {
    expect(met.suppressedInside).toBeGreaterThan(0);
    expect(met.erased).toBeGreaterThan(cases.length * 20);
    expect(met.undatedOrUnreadable).toBeGreaterThan(cases.length * 20);
  });
});
