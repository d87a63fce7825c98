import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { tempDir } from '../helpers/data-dir.js';
import { consentVerdicts, type ConsentLine, type ErasureLine } from '../helpers/consent-oracle.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';

const AS_OF = '2025-12-31';

/** A generated governance file (no quoted fields): its records, and the lines with the wrong number of fields. */
function readLines(path: string): { rows: Record<string, string>[]; malformed: string[] } {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const names = (header as string).split(',');
  const rows: Record<string, string>[] = [];
  const malformed: string[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    if (cells.length !== names.length) malformed.push(line);
    else rows.push(Object.fromEntries(names.map((n, i) => [n, cells[i] as string])));
  }
  return { rows, malformed };
}

/** Customers the contract's rules (written independently of the SQL under test) keep out of every output. */
function excludedCustomers(data: string, customers: string[]): string[] {
  const consent = readLines(join(data, 'consent.csv'));
  const erasure = readLines(join(data, 'erasure.csv'));
  const verdicts = consentVerdicts({
    asOf: AS_OF,
    universe: customers,
    consent: consent.rows as unknown as ConsentLine[],
    erasure: erasure.rows as unknown as ErasureLine[],
    malformedConsent: consent.malformed,
    malformedErasure: erasure.malformed,
  });
  return customers.filter((id) => !verdicts.get(id)?.eligible);
}

describe('a whole run on generated data', () => {
  const data = tempDir('personae-privacy-');
  const outA = tempDir();
  const outB = tempDir();
  let excluded: string[] = [];
  let emails: string[] = [];

  beforeAll(async () => {
    const config = join(tempDir('personae-conf-'), 'run.yaml');
    writeFileSync(config, 'clustering:\n  k: 4\ntiming:\n  neural_epochs: 5\n');
    expect(
      await main([
        'generate',
        '--customers',
        '1200',
        '--seed',
        '5',
        '--out',
        data,
        '--dirty',
        '0.02',
        '--quiet',
      ]),
    ).toBe(0);
    for (const out of [outA, outB]) {
      expect(
        await main(['run', '--data', data, '--as-of', AS_OF, '--out', out, '--config', config, '--json']),
      ).toBe(0);
    }
    const { customers, contacts } = await withConnection(async (c) => ({
      customers: (
        await queryRows<{ customer_id: string }>(
          c,
          `SELECT DISTINCT customer_id FROM read_csv('${data}/customers.csv', all_varchar = true, header = true, ignore_errors = true) WHERE customer_id IS NOT NULL`,
        )
      ).map((r) => r.customer_id),
      contacts: await queryRows<{ email: string | null }>(
        c,
        `SELECT email FROM read_csv('${data}/customers.csv', all_varchar = true, header = true, ignore_errors = true) WHERE email LIKE '%@%.%'`,
      ),
    }));
    excluded = excludedCustomers(data, customers);
    emails = contacts.map((r) => r.email as string);
  }, 600_000);

  it('writes no id of a non-consented or erased customer into any output file', async () => {
    expect(excluded.length).toBeGreaterThan(50);
    const texts = await outputTexts(outA);
    expect([...texts.keys()]).toEqual(
      expect.arrayContaining([
        'run.json',
        'scores.csv',
        'scores.parquet',
        'features.parquet',
        'personas.json',
        'report/personas.html',
      ]),
    );
    expect(findIds(texts, excluded)).toEqual([]);
    // The scan does see ids: consented customers are in the scores, and quarantine files hold rows.
    const included = (texts.get('scores.csv') ?? '')
      .split('\n')
      .slice(1, 4)
      .map((line) => (line.split(',')[0] as string).replaceAll('"', ''));
    expect(findIds(new Map([['scores.csv', texts.get('scores.csv') ?? '']]), included).length).toBe(3);
    expect((texts.get('validation/orders.quarantine.csv') ?? '').split('\n').length).toBeGreaterThan(10);
  });

  it('keeps email addresses in the email exports only', async () => {
    const texts = await outputTexts(outA);
    const outside = new Map([...texts].filter(([file]) => !file.startsWith('exports/email_')));
    const hits = findIds(outside, emails);
    expect(hits.map((h) => h.file)).toEqual([]);
    const inside = new Map([...texts].filter(([file]) => file.startsWith('exports/email_')));
    expect(findIds(inside, emails).length).toBeGreaterThan(0);
  });

  it('gives the same personas and scores for the same data, config and seed', () => {
    for (const file of ['scores.csv', 'personas.json']) {
      expect(readFileSync(join(outB, file), 'utf8'), file).toBe(readFileSync(join(outA, file), 'utf8'));
    }
  });
});
