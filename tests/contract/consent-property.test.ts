import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { Rng } from '../../src/core/rng.js';
import { parseIsoDate } from '../../src/core/time.js';
import { applyConsent } from '../../src/io/apply-consent.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { writeDataDir } from '../helpers/data-dir.js';
import { historyVerdicts, randomHistories } from '../helpers/random-histories.js';

const AS_OF = '2025-12-31';
const CASES = 100;
const CUSTOMERS = 30;

/**
 * Property: for random consent and erasure histories (every date format, offsets across the end of the
 * as-of day, ties written with different offsets, unreadable dates, statuses and purposes, broken lines),
 * the run decides exactly what the contract's rules, written independently (tests/helpers/consent-oracle.ts),
 * decide: every customer whose records say "out" is out, and every customer whose records say "in" is in,
 * for profiling, email and SMS.
 */
describe('consent and erasure decisions on random histories', () => {
  it(`match the contract's rules on ${CASES} histories of ${CUSTOMERS} customers`, async () => {
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => `C${String(i + 1).padStart(3, '0')}`);
    const asOf = parseIsoDate(AS_OF) as Date;
    let decided = 0;
    const seen = { out: 0, in: 0, erased: 0, ambiguousOrUndated: 0 };
    for (let c = 0; c < CASES; c++) {
      const rng = Rng.derive(2025, `consent-property-${c}`);
      const basis = rng.bernoulli(0.2) ? 'legitimate_interest' : 'consent';
      const histories = randomHistories(rng, ids, AS_OF);
      const dir = writeDataDir({
        'orders.csv': ['order_id,customer_id,ordered_at,amount', ...ids.map((id, i) => `o${i},${id},2025-03-01,10`)],
        'consent.csv': histories.consent,
        'erasure.csv': histories.erasure,
      });
      const want = historyVerdicts(histories, ids, AS_OF, basis);
      const engine = await openEngine();
      try {
        await ingest(engine.connection, { dataDir: dir, config: parseConfig({ consent: { basis } }), asOf });
        await applyConsent(engine.connection, { asOf, basis });
        const got = await queryRows<{ customer_id: string; eligible: boolean; email_ok: boolean; sms_ok: boolean; erased: boolean }>(
          engine.connection,
          'SELECT customer_id, eligible, email_ok, sms_ok, erased FROM consent_state ORDER BY customer_id',
        );
        const mismatches = got
          .map((g) => ({ g, w: want.get(g.customer_id) }))
          .filter(({ g, w }) => !w || w.eligible !== g.eligible || w.email !== g.email_ok || w.sms !== g.sms_ok || w.erased !== g.erased)
          .map(({ g, w }) => ({
            case: c,
            basis,
            customer: g.customer_id,
            run: [g.eligible, g.email_ok, g.sms_ok, g.erased],
            rules: w && [w.eligible, w.email, w.sms, w.erased],
            consent: histories.consent.filter((l) => l.includes(g.customer_id)),
            erasure: histories.erasure.filter((l) => l.includes(g.customer_id)),
          }));
        expect(mismatches).toEqual([]);
        expect(got.map((g) => g.customer_id)).toEqual(ids);
        decided += got.length;
        for (const g of got) {
          seen[g.eligible ? 'in' : 'out'] += 1;
          if (g.erased) seen.erased += 1;
        }
        seen.ambiguousOrUndated += histories.consent.filter((l) => /,(maybe|pending|),|,(31\/12\/2025|yesterday|soon|)$/.test(l)).length;
      } finally {
        engine.close();
      }
    }
    expect(decided).toBe(CASES * CUSTOMERS);
    // The histories exercise both outcomes and the failing-closed paths, not only the easy cases.
    expect(seen.in).toBeGreaterThan(CASES * CUSTOMERS * 0.15);
    expect(seen.out).toBeGreaterThan(CASES * CUSTOMERS * 0.3);
    expect(seen.erased).toBeGreaterThan(CASES * CUSTOMERS * 0.05);
    expect(seen.ambiguousOrUndated).toBeGreaterThan(CASES * 5);
  }, 600_000);
});
