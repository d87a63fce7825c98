import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { applyConsent, type ConsentAudit } from '../../src/io/apply-consent.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { readErasedCustomers } from '../../src/io/erased-customers.js';
import { ingest } from '../../src/io/ingest.js';
import { consentVerdicts } from '../helpers/consent-oracle.js';
import { writeDataDir } from '../helpers/data-dir.js';

const asOf = parseIsoDate('2025-12-31') as Date;
const GRANT = 'profiling,granted,2025-01-01';

/**
 * One customer per case, with what the contract says should happen to them, decided by hand:
 * [id, consent lines (without the id), erasure lines (without the id), eligible, email_ok, state].
 */
type Case = [string, string[], string[], boolean, boolean, 'in' | 'erased' | 'pending' | 'withdrawn' | 'ambiguous' | 'never_asked'];
const CASES: Case[] = [
  ['ok', [GRANT, 'email,granted,2025-01-01'], [], true, true, 'in'],
  // Erasure fails closed: whatever the date says, a request with an id erases, unless it is dated after the as-of date.
  ['e_unreadable', [GRANT], ['yesterday'], false, false, 'erased'],
  ['e_1970', [GRANT], ['1970-01-01'], false, false, 'erased'],
  ['e_offset', [GRANT], ['2026-01-01T01:00:00+02:00'], false, false, 'erased'], // 23:00 UTC on the as-of day
  ['e_undated', [GRANT], [''], false, false, 'erased'],
  ['e_future', [GRANT], ['2026-02-01'], true, false, 'pending'],
  ['e_future_and_bad', [GRANT], ['2026-02-01', '31/12/2025'], false, false, 'erased'],
  // Offsets: a withdrawal at 22:30 UTC on the as-of day counts; 10:00Z withdrawn and 12:00+02:00 granted tie.
  ['w_offset', [GRANT, 'profiling,withdrawn,2026-01-01T00:30:00+02:00'], [], false, false, 'withdrawn'],
  ['w_tie', ['profiling,withdrawn,2025-12-30T10:00:00Z', 'profiling,granted,2025-12-30T12:00:00+02:00'], [], false, false, 'withdrawn'],
  // A withdrawal that cannot be dated withdraws, even after a later grant.
  ['w_unreadable', [GRANT, 'profiling,withdrawn,31/12/2025'], [], false, false, 'withdrawn'],
  ['w_1970', ['profiling,withdrawn,1970-01-01', GRANT], [], false, false, 'withdrawn'],
  ['w_undated', [GRANT, 'profiling,withdrawn,'], [], false, false, 'withdrawn'],
  ['w_future', [GRANT, 'profiling,withdrawn,2026-03-01'], [], true, false, 'in'], // not withdrawn yet
  // Ambiguous consent is no consent.
  ['a_tie', ['profiling,granted,2025-12-30 09:00:00', 'profiling,maybe,2025-12-30 09:00:00'], [], false, false, 'ambiguous'],
  ['a_latest', [GRANT, 'profiling,pending,2025-06-01'], [], false, false, 'ambiguous'],
  ['a_undated', [GRANT, 'profiling,maybe,'], [], false, false, 'ambiguous'],
  ['a_empty_status', [GRANT, 'profiling,,2025-06-01'], [], false, false, 'ambiguous'],
  ['a_superseded', ['profiling,maybe,2024-01-01', GRANT], [], true, false, 'in'], // a later grant decides
  // A purpose that cannot be read: a withdrawal of it withdraws every purpose (at its date), a grant grants nothing.
  ['p_typo', [GRANT, 'email,granted,2025-01-01', 'profilling,withdrawn,2025-06-01'], [], false, false, 'withdrawn'],
  ['p_empty', [GRANT, ',withdrawn,2025-06-01'], [], false, false, 'withdrawn'],
  ['p_superseded', ['newsletter,withdrawn,2024-01-01', GRANT], [], true, false, 'in'],
  ['p_grant', ['marketing,granted,2025-01-01'], [], false, false, 'never_asked'],
  ['p_unreadable_both', [GRANT, 'push,maybe,2025-06-01'], [], false, false, 'ambiguous'],
  // A grant that cannot be dated grants nothing.
  ['g_unreadable', ['profiling,granted,soon'], [], false, false, 'never_asked'],
  // Channel consent follows the same rules.
  ['email_unreadable', [GRANT, 'email,granted,2025-01-01', 'email,withdrawn,soon'], [], true, false, 'in'],
  ['email_tie', [GRANT, 'email,granted,2025-05-01', 'email,opt-in?,2025-05-01'], [], true, false, 'in'],
];

function dataDir(extraConsent: string[] = [], extraErasure: string[] = []): string {
  return writeDataDir({
    'orders.csv': ['order_id,customer_id,ordered_at,amount', ...CASES.map(([id], i) => `o${i},${id},2025-03-01,10`)],
    'consent.csv': [
      'customer_id,purpose,status,recorded_at',
      ...CASES.flatMap(([id, lines]) => lines.map((l) => `${id},${l}`)),
      ...extraConsent,
    ],
    'erasure.csv': [
      'customer_id,requested_at',
      ...CASES.flatMap(([id, , lines]) => lines.map((l) => `${id},${l}`)),
      ...extraErasure,
    ],
  });
}

async function resolve(dir: string): Promise<{ audit: ConsentAudit; state: Record<string, unknown>[] }> {
  const engine = await openEngine();
  try {
    await ingest(engine.connection, { dataDir: dir, config: parseConfig({}), asOf });
    const audit = await applyConsent(engine.connection, { asOf, basis: 'consent' });
    const state = await queryRows(
      engine.connection,
      'SELECT customer_id, eligible, email_ok, erased FROM consent_state ORDER BY customer_id',
    );
    return { audit, state };
  } finally {
    engine.close();
  }
}

describe('consent and erasure fail closed', () => {
  it('decides every case as the contract says', async () => {
    const { state } = await resolve(dataDir());
    const got = Object.fromEntries(state.map((s) => [s.customer_id, [s.eligible, s.email_ok, s.erased]]));
    const want = Object.fromEntries(CASES.map(([id, , , eligible, email, st]) => [id, [eligible, email, st === 'erased']]));
    expect(got).toEqual(want);
  });

  it('counts each reason in the audit, ambiguous consent and waiting erasure requests on their own', async () => {
    const { audit } = await resolve(dataDir());
    const count = (s: Case[5]) => CASES.filter((c) => c[5] === s).length;
    expect(audit).toMatchObject({
      customers: CASES.length,
      included: count('in') + count('pending'),
      excluded_erased: count('erased'),
      excluded_withdrawn: count('withdrawn'),
      excluded_ambiguous: count('ambiguous'),
      excluded_never_asked: count('never_asked'),
      erasure_pending: 1,
      erasure_undated: 4, // yesterday, 1970-01-01, empty, 31/12/2025
    });
  });

  it('takes out the customer a malformed consent or erasure line names', async () => {
    // One field too many: the line cannot be read as a record, but it names its customer.
    const { state } = await resolve(dataDir(['ok,profiling,withdrawn,2025-06-01,extra'], []));
    expect(state.find((s) => s.customer_id === 'ok')).toMatchObject({ eligible: false, email_ok: false });
    const erased = await resolve(dataDir([], ['a_superseded,2025-06-01,extra']));
    expect(erased.state.find((s) => s.customer_id === 'a_superseded')).toMatchObject({ eligible: false, erased: true });
  });

  it('are what the rules written again in TypeScript decide (the oracle of the property tests)', () => {
    const verdicts = consentVerdicts({
      asOf: '2025-12-31',
      universe: CASES.map(([id]) => id),
      consent: CASES.flatMap(([id, lines]) =>
        lines.map((l) => {
          const [purpose = '', status = '', recorded_at = ''] = l.split(',');
          return { customer_id: id, purpose, status, recorded_at };
        }),
      ),
      erasure: CASES.flatMap(([id, , lines]) => lines.map((requested_at) => ({ customer_id: id, requested_at }))),
    });
    const got = Object.fromEntries([...verdicts].map(([id, v]) => [id, [v.eligible, v.email, v.erased]]));
    expect(got).toEqual(Object.fromEntries(CASES.map(([id, , , eligible, email, st]) => [id, [eligible, email, st === 'erased']])));
  });

  it('lists the addresses of customers who are out by their own choice, for exports to suppress on any record', async () => {
    const dir = writeDataDir({
      'customers.csv': [
        'customer_id,email,phone',
        's_erased,Shared@Example.com,', // erased: their address is suppressed on the other record too
        's_kept,shared@example.com,+33 6 12 34 56 78',
        's_no_sms,other@example.com,+33612345678', // withdrew SMS: the phone is suppressed
        's_never,never@example.com,+33699999999', // never asked: not a refusal, nothing suppressed
      ],
      'orders.csv': ['order_id,customer_id,ordered_at,amount', ...['s_erased', 's_kept', 's_no_sms', 's_never'].map((id, i) => `o${i},${id},2025-03-01,10`)],
      'consent.csv': [
        'customer_id,purpose,status,recorded_at',
        ...['s_erased', 's_kept', 's_no_sms'].flatMap((id) => [`${id},${GRANT}`, `${id},email,granted,2025-01-01`, `${id},sms,granted,2025-01-01`]),
        's_no_sms,sms,withdrawn,2025-06-01',
      ],
      'erasure.csv': ['customer_id,requested_at', 's_erased,2025-06-01'],
    });
    const engine = await openEngine();
    try {
      await ingest(engine.connection, { dataDir: dir, config: parseConfig({}), asOf });
      await applyConsent(engine.connection, { asOf, basis: 'consent' });
      expect(await queryRows(engine.connection, 'SELECT channel, address FROM suppressed_contacts ORDER BY ALL')).toEqual([
        { channel: 'email', address: 'shared@example.com' },
        { channel: 'sms', address: '+33612345678' },
      ]);
    } finally {
      engine.close();
    }
  });

  it('gives the registry scrub the same erased customers as the run', async () => {
    const ids = await readErasedCustomers(dataDir([], ['a_superseded,2025-06-01,extra']), parseConfig({}), asOf);
    const erased = CASES.filter((c) => c[5] === 'erased').map((c) => c[0]);
    expect(ids).toEqual(expect.arrayContaining([...erased, 'a_superseded']));
    expect(ids).not.toContain('e_future');
    expect(ids).not.toContain('ok');
  });
});
