import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../helpers/data-dir.js';
import { findIds, outputTexts } from '../helpers/scan-outputs.js';

/**
 * The case: an export written by an earlier run into the same --out holds a customer erased since,
 * and the new run does not write that export again (its rule segment is gone). The new run must remove it.
 */
describe('a run into the --out of an earlier run', () => {
  it('removes every output of the earlier run it does not rewrite, and keeps the files the user put there', async () => {
    const data = tempDir('personae-stale-');
    const out = tempDir();
    const conf = tempDir('personae-conf-');
    writeFileSync(join(conf, 'rules.yaml'), 'segments:\n  - name: everyone\n    when: { feature: orders_count, op: ">=", value: 0 }\n');
    const base = 'clustering:\n  k: 3\ntiming:\n  neural: false\n';
    writeFileSync(join(conf, 'with-rules.yaml'), `${base}segments:\n  rules_file: rules.yaml\n`);
    writeFileSync(join(conf, 'plain.yaml'), base);
    expect(await main(['generate', '--customers', '500', '--seed', '3', '--out', data, '--quiet'])).toBe(0);
    const run = (config: string) =>
      main(['run', '--data', data, '--as-of', '2025-12-31', '--out', out, '--config', join(conf, config), '--json']);

    expect(await run('with-rules.yaml')).toBe(0);
    const ruleExport = join(out, 'exports', 'email_rule_everyone.csv');
    const line = readFileSync(ruleExport, 'utf8').split('\n')[1] as string;
    const [email, , id] = line.split('","').map((c) => c.replaceAll('"', ''));
    writeFileSync(join(out, 'notes.md'), 'my notes');
    writeFileSync(join(out, 'exports', 'my-list.csv'), 'kept,by,the,user\n');

    // The customer asks to be erased; the next run has no rule segments.
    appendFileSync(join(data, 'erasure.csv'), `${id},2025-12-30\n`);
    expect(await run('plain.yaml')).toBe(0);

    expect(existsSync(ruleExport)).toBe(false);
    expect(readdirSync(join(out, 'exports')).filter((f) => f.includes('rule'))).toEqual([]);
    const texts = await outputTexts(out);
    expect(findIds(texts, [id as string, email as string])).toEqual([]);
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('my notes');
    expect(existsSync(join(out, 'exports', 'my-list.csv'))).toBe(true);
  });
});
