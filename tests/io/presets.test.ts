import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { PRESET_NAMES, type PresetName } from '../../src/contract/presets/index.js';
import { parseIsoDate } from '../../src/core/time.js';
import { applyConsent } from '../../src/io/apply-consent.js';
import { computeFeatures } from '../../src/features/compute.js';
import { openEngine, queryRows } from '../../src/io/duckdb.js';
import { ingest } from '../../src/io/ingest.js';
import { rejectedWith } from '../helpers/errors.js';
import { writeDataDir } from '../helpers/data-dir.js';

const asOf = parseIsoDate('2025-06-30') as Date;
const fixture = (preset: string): string => join('tests/fixtures/presets', preset);

interface Truth {
  order_id: string;
  email: string;
  ordered_at: string;
  amount: string;
  status: string;
  currency: string;
  items: string;
}

function readTruth(preset: string): Truth[] {
  const [header, ...lines] = readFileSync(join(fixture(preset), 'truth.csv'), 'utf8').trim().split('\n');
  const keys = (header as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])) as unknown as Truth);
}

/** The customer key each preset documents, computed here independently of the SQL (Node's own sha256). */
function expectedCustomer(preset: PresetName, truth: Truth, names: Map<string, string>): string {
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
  if (preset !== 'prestashop') return `${preset}:${digest(truth.email.trim().toLowerCase())}`;
  const key = (names.get(truth.email) as string).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return `prestashop:${digest(key)}`;
}

/** PrestaShop's order list names a customer `E. LEGRAND`; the fixture's customers file says who that is. */
function prestashopNames(): Map<string, string> {
  const [, ...lines] = readFileSync(join(fixture('prestashop'), 'customers.csv'), 'utf8').trim().split('\r\n');
  return new Map(lines.map((l) => l.split(';')).map((f) => [f[4] as string, `${(f[2] as string)[0]}. ${f[3]}`]));
}

async function ingestPreset(preset: PresetName, dataDir = fixture(preset)) {
  const engine = await openEngine();
  try {
    const config = parseConfig({ preset, consent: { basis: 'legitimate_interest' } });
    const result = await ingest(engine.connection, { dataDir, config, asOf });
    const orders = await queryRows<Record<string, string | number>>(
      engine.connection,
      `SELECT order_id, customer_id, strftime(ordered_at, '%Y-%m-%d %H:%M:%S') AS ordered_at, amount, status, currency,
         items, (SELECT count(*) FROM customers c WHERE c.customer_id = o.customer_id) AS known
       FROM orders o ORDER BY order_id`,
    );
    await applyConsent(engine.connection, { asOf, basis: config.consent.basis });
    const features = await computeFeatures(engine.connection, { asOf, topCategories: 4, topBrands: 4 });
    return { result, orders, features };
  } finally {
    engine.close();
  }
}

describe.each(PRESET_NAMES)('the %s preset maps its documented export with no hand-written mapping', (preset) => {
  it('every order of the export becomes the order truth.csv says (id, customer, date, amount net of refunds, status, currency), linked to its customer', async () => {
    const truth = readTruth(preset);
    const names = preset === 'prestashop' ? prestashopNames() : new Map<string, string>();
    const { result, orders, features } = await ingestPreset(preset);
    expect(result.rejectedColumns).toEqual([]);
    expect(result.tables.orders).toMatchObject({ quarantined: 0, orders: { count: truth.length } });
    expect(result.tables.customers).toMatchObject({ rowsRead: 220, accepted: 220, quarantined: 0 });
    expect(result.currency).toBe('EUR');
    const byId = new Map(orders.map((o) => [String(o.order_id), o]));
    for (const t of truth) {
      const o = byId.get(t.order_id);
      expect(o, t.order_id).toBeDefined();
      // Shopify writes the shop's offset (+0100): the contract holds UTC.
      const at = preset === 'shopify' ? new Date(`${t.ordered_at.replace(' ', 'T')}Z`).getTime() - 3_600_000 : Date.parse(`${t.ordered_at.replace(' ', 'T')}Z`);
      expect({ id: t.order_id, ...o, ordered_at: Date.parse(`${String(o?.ordered_at).replace(' ', 'T')}Z`) }).toEqual({
        id: t.order_id,
        order_id: t.order_id,
        customer_id: expectedCustomer(preset, t, names),
        ordered_at: at,
        amount: expect.closeTo(Number(t.amount), 9),
        status: t.status,
        currency: t.currency,
        items: t.items === '' ? null : Number(t.items),
        known: 1,
      });
    }
    // Every customer has features (value, timing), the first stage after validation.
    expect(features.rowCount).toBe(new Set(orders.map((o) => o.customer_id)).size);
  });
});

describe('presets refuse a file that is not the export they read, naming it', () => {
  it('says which columns the preset looked for and how to fix it', async () => {
    const dir = writeDataDir({ 'orders.csv': ['Commande,Courriel,Date,Montant', '1,a@b.fr,2025-01-02,10'] });
    const error = await rejectedWith(ingestPreset('shopify', dir));
    expect(error.message).toBe(
      'orders.csv does not look like a shopify orders export: it has no Name column, which the shopify preset reads orders.order_id from (found: Commande, Courriel, Date, Montant)',
    );
    expect(error.hint).toContain('tables.orders.columns.order_id: YourColumnName');
  });

  it("a user's own mapping of a column wins over the preset's", async () => {
    const dir = writeDataDir({
      'orders.csv': ['Name,Email,Created at,Subtotal,Total,Currency', '#1,a@b.fr,2025-01-02 10:00:00 +0000,8.50,10.00,EUR'],
    });
    const engine = await openEngine();
    try {
      const config = parseConfig({ preset: 'shopify', tables: { orders: { columns: { amount: 'Subtotal' } } } });
      await ingest(engine.connection, { dataDir: dir, config, asOf });
      const rows = await queryRows(engine.connection, 'SELECT order_id, amount, status FROM orders');
      expect(rows).toEqual([{ order_id: '#1', amount: 8.5, status: 'completed' }]);
    } finally {
      engine.close();
    }
  });
});
