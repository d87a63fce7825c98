import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOutputs } from '../../src/io/outputs.js';
import { tempDir } from '../helpers/data-dir.js';
import { rejectedWith } from '../helpers/errors.js';
import { listFiles } from '../helpers/scan-outputs.js';

function put(dir: string, file: string, text = 'x'): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

function files(dir: string): string[] {
  return listFiles(dir)
    .map((f) => f.slice(dir.length + 1))
    .sort();
}

describe('a run owns what it writes into --out', () => {
  it('removes the files an earlier run wrote and this one does not, and nothing else', async () => {
    const out = tempDir();
    put(out, 'notes.txt'); // the user's, there before any run
    const first = await claimOutputs(out);
    put(out, 'run.json', '{"personae":"0.1.0"}');
    put(out, 'exports/email_rule_vip.csv', 'ann@example.com');
    put(out, 'exports/email_lifecycle_due.csv');
    expect(await first.finish()).toEqual(['exports/email_lifecycle_due.csv', 'exports/email_rule_vip.csv', 'run.json']);
    put(out, 'exports/my own list.csv'); // the user's, added after the run
    const second = await claimOutputs(out);
    expect(existsSync(join(out, 'exports', 'email_rule_vip.csv'))).toBe(false);
    put(out, 'run.json', '{"personae":"0.1.0"}');
    put(out, 'exports/email_lifecycle_due.csv');
    await second.finish();
    expect(files(out)).toEqual([
      '.personae-outputs.json',
      'exports/email_lifecycle_due.csv',
      'exports/my own list.csv',
      'notes.txt',
      'run.json',
    ]);
    const record = JSON.parse(readFileSync(join(out, '.personae-outputs.json'), 'utf8'));
    expect(record.files).toEqual(['exports/email_lifecycle_due.csv', 'run.json']);
  });

  it('after a run that crashed, removes what it had written (it recorded what was there before)', async () => {
    const out = tempDir();
    put(out, 'exports/theirs.csv');
    await claimOutputs(out); // never finished: the process died
    put(out, 'exports/email_lifecycle_due.csv', 'ann@example.com');
    put(out, 'scores.csv');
    const next = await claimOutputs(out);
    expect(files(out)).toEqual(['.personae-outputs.json', 'exports/theirs.csv']);
    await next.finish();
  });

  it('only touches its own folder when it writes one (personae validate: validation/)', async () => {
    const out = tempDir();
    const run = await claimOutputs(out);
    put(out, 'exports/email_lifecycle_due.csv');
    put(out, 'validation/orders.quarantine.csv');
    await run.finish();
    const validate = await claimOutputs(out, ['validation']);
    expect(files(out)).toEqual(['.personae-outputs.json', 'exports/email_lifecycle_due.csv']);
    put(out, 'validation/summary.json');
    expect(await validate.finish()).toEqual(['validation/summary.json']);
    const record = JSON.parse(readFileSync(join(out, '.personae-outputs.json'), 'utf8'));
    expect(record.files).toEqual(['exports/email_lifecycle_due.csv', 'validation/summary.json']);
  });

  it('refuses an --out holding outputs of an earlier run that did not record its files', async () => {
    const out = tempDir();
    put(out, 'run.json', '{"personae":"0.1.0","asOf":"2025-12-31"}');
    put(out, 'exports/email_lifecycle_due.csv', 'ann@example.com');
    const error = await rejectedWith(claimOutputs(out));
    expect(error.code).toBe('out_not_owned');
    expect(error.message).toContain(out);
    expect(existsSync(join(out, 'exports', 'email_lifecycle_due.csv'))).toBe(true);
  });
});
