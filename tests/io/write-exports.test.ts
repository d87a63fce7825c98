import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import { writeExports, writeScores } from '../../src/io/write-exports.js';
import { parseIsoDate, toIsoDate } from '../../src/core/time.js';
import { assignLifecycle } from '../../src/segments/lifecycle.js';
import { scoreRfm } from '../../src/segments/rfm.js';
import { buildScoreRows, SCORE_COLUMNS, type ScoreRow } from '../../src/segments/scores.js';
import { audiencesFromScores, buildExports } from '../../src/segments/exports.js';

const asOf = parseIsoDate('2024-03-01') as Date;
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'personae-exports-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function sampleRows(): ScoreRow[] {
  const lifecycle = assignLifecycle([
    {
      customerId: 'a',
      daysSinceFirstPurchase: 300,
      daysSinceLastPurchase: 20,
      orders: 4,
      pAlive: 0.8,
      pBuy30: 0.3,
      nextPurchaseDays: 10.4,
      nextPurchaseHigh: 30.2,
      typicalIntervalDays: 60,
      clv: 321.5,
    },
    {
      customerId: 'o\'neil, "q"',
      daysSinceFirstPurchase: 500,
      daysSinceLastPurchase: 450,
      orders: 2,
      pAlive: 0.1,
      pBuy30: 0.01,
      nextPurchaseDays: 300,
      nextPurchaseHigh: 900,
      typicalIntervalDays: 50,
      clv: 3.25,
    },
    {
      customerId: 'p',
      daysSinceFirstPurchase: null,
      daysSinceLastPurchase: null,
      orders: 0,
      pAlive: 1,
      pBuy30: 0,
      nextPurchaseDays: null,
      nextPurchaseHigh: null,
      typicalIntervalDays: null,
      clv: 0,
    },
  ]);
  const rfm = scoreRfm([
    { customerId: 'a', daysSinceLastPurchase: 20, frequency: 4, monetary: 400 },
    { customerId: 'o\'neil, "q"', daysSinceLastPurchase: 450, frequency: 2, monetary: 80 },
    { customerId: 'p', daysSinceLastPurchase: null, frequency: 0, monetary: 0 },
  ]);
  const p = (customerId: string, clv: number) => ({
    customerId,
    pAlive: 0.8,
    pBuy30: 0.3,
    pBuy60: 0.5,
    pBuy90: 0.6,
    expectedPurchases90: 0.9,
    nextPurchaseDays: 10.4,
    nextPurchaseLow: 2.7,
    nextPurchaseHigh: 30.2,
    expectedSpend: null,
    clv,
    model: 'bgnbd',
  });
  return buildScoreRows({
    asOf,
    customerIds: ['a', 'o\'neil, "q"', 'p'],
    lifecycle,
    rfm,
    predictions: [p('a', 321.5), p('o\'neil, "q"', 3.25)],
    personas: [{ customerId: 'a', personaId: 'P2', personaName: 'Café, crème' }],
    rules: [{ customerId: 'a', segments: ['x', 'y'] }],
  });
}

describe('writeScores', () => {
  it('round-trips the scores table through parquet and CSV with the declared types', async () => {
    const dir = await tempDir();
    const rows = sampleRows();
    const { files } = await writeScores(dir, rows);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['scores.parquet', 'scores.csv']);
    const { back, types, fromCsv } = await withConnection(async (c) => ({
      back: await queryRows<Record<string, unknown>>(
        c,
        `SELECT * FROM read_parquet(${quoteLiteral(join(dir, 'scores.parquet'))})`,
      ),
      types: await queryRows<{ column_name: string; column_type: string }>(
        c,
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(join(dir, 'scores.parquet'))}))`,
      ),
      fromCsv: await queryRows<Record<string, unknown>>(
        c,
        `SELECT * FROM read_csv(${quoteLiteral(join(dir, 'scores.csv'))}, header = true, all_varchar = true)`,
      ),
    }));
    expect(types).toEqual(SCORE_COLUMNS.map((col) => ({ column_name: col.name, column_type: col.type })));
    const normalised = back.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? toIsoDate(v) : v])),
    );
    expect(normalised).toEqual(rows);
    expect(fromCsv).toHaveLength(3);
    expect(fromCsv[1]?.customer_id).toBe('o\'neil, "q"');
    expect(fromCsv[0]?.persona_name).toBe('Café, crème');
    expect(fromCsv[0]?.next_purchase_date_high).toBe('2024-04-01');
    expect(await readdir(dir)).toEqual(['scores.csv', 'scores.parquet']); // no temporary files left
  });

  it('writes the same bytes through the run\'s connection, leaving no table behind in it', async () => {
    const fresh = await tempDir();
    const viaRun = await tempDir();
    await writeScores(fresh, sampleRows());
    const left = await withConnection(async (c) => {
      await c.run('CREATE TABLE scores (x INTEGER)'); // a table of the run's that must stay untouched
      await writeScores(viaRun, sampleRows(), undefined, c);
      return queryRows<{ name: string }>(c, 'SELECT table_name AS name FROM information_schema.tables ORDER BY 1');
    });
    expect(left).toEqual([{ name: 'scores' }]);
    for (const file of ['scores.parquet', 'scores.csv'])
      expect(await readFile(join(viaRun, file))).toEqual(await readFile(join(fresh, file)));
  });

  it('defuses every text cell a spreadsheet would run as a formula (the Parquet file keeps the exact values)', async () => {
    const dir = await tempDir();
    const ids = ['=HYPERLINK("http://evil.example/","x")', '@SUM(1)', '-2+3'];
    const rows = sampleRows().map((r, i) => ({ ...r, customer_id: ids[i] as string, persona_name: '\t=1+1' }));
    await writeScores(dir, rows);
    const { csv, parquet } = await withConnection(async (c) => ({
      csv: await queryRows<{ customer_id: string; persona_name: string }>(
        c,
        `SELECT customer_id, persona_name FROM read_csv(${quoteLiteral(join(dir, 'scores.csv'))}, header = true, all_varchar = true)`,
      ),
      parquet: await queryRows<{ customer_id: string }>(
        c,
        `SELECT customer_id FROM read_parquet(${quoteLiteral(join(dir, 'scores.parquet'))})`,
      ),
    }));
    expect(csv).toEqual(ids.map((id) => ({ customer_id: `'${id}`, persona_name: "'\t=1+1" })));
    expect(parquet.map((r) => r.customer_id)).toEqual(ids);
    // every text cell is quoted: a ';' or a tab inside cannot start a new cell in a spreadsheet that splits on it
    const text = await readFile(join(dir, 'scores.csv'), 'utf8');
    expect(text.split('\n')[1]?.startsWith(`"'=HYPERLINK(""http://evil.example/"",""x"")","P`)).toBe(true);
  });

  it('writes an empty table with its columns', async () => {
    const dir = await tempDir();
    await writeScores(dir, []);
    const header = (await readFile(join(dir, 'scores.csv'), 'utf8')).trim();
    expect(header).toBe(SCORE_COLUMNS.map((c) => `"${c.name}"`).join(','));
  });

  it('refuses a value of the wrong type, naming the row and column', async () => {
    const dir = await tempDir();
    const bad = { ...sampleRows()[0], p_alive: '0.5' } as unknown as ScoreRow;
    await expect(writeScores(dir, [bad])).rejects.toThrow(/row 1, column p_alive/);
    const missing = { ...sampleRows()[0], lifecycle: null } as unknown as ScoreRow;
    await expect(writeScores(dir, [missing])).rejects.toThrow(/NOT NULL/i);
  });
});

describe('writeExports', () => {
  it('writes one CSV and one JSON per list and the summary', async () => {
    const dir = await tempDir();
    const rows = sampleRows();
    const result = buildExports({
      asOf,
      audiences: audiencesFromScores(rows),
      rows,
      contacts: [{ customerId: 'a', email: 'a@shop.test', phone: '+33600000001', firstName: 'Ana' }],
      consent: [{ customerId: 'a', email: true, sms: false }],
      erased: new Set(),
    });
    const { files } = await writeExports(dir, result, asOf);
    const names = (await readdir(join(dir, 'exports'))).sort();
    expect(names).toEqual(files.map((f) => f.slice(join(dir, 'exports').length + 1)).sort());
    expect(names).toContain('email_lifecycle_due.csv');
    expect(names).toContain('sms_lifecycle_due.json');
    expect(names).toContain('summary.json');
    expect(names).toHaveLength(result.lists.length * 2 + 1);
    const csv = await readFile(join(dir, 'exports', 'email_lifecycle_due.csv'), 'utf8');
    expect(csv.split('\n')[1]).toBe('"a@shop.test","Ana","a","Café, crème","Due","true","Loyal","0.300","321.50","2024-03-11",,');
    const smsCsv = await readFile(join(dir, 'exports', 'sms_lifecycle_due.csv'), 'utf8');
    expect(smsCsv.trim().split('\n')).toHaveLength(1); // headers only: no SMS consent
    const summary = JSON.parse(await readFile(join(dir, 'exports', 'summary.json'), 'utf8'));
    expect(summary).toEqual(result.summary);
    expect(summary.lists.find((l: { name: string }) => l.name === 'sms_lifecycle_due')).toMatchObject({
      candidates: 1,
      included: 0,
      left_out_no_consent: 1,
    });
  });
});
