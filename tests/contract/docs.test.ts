import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../src/contract/reasons.js';
import { CONTRACT, TABLE_NAMES } from '../../src/contract/schema.js';

const doc = readFileSync('data/README.md', 'utf8');

describe('data/README.md stays true to the contract declaration', () => {
  it('documents every table and every column, with the same required flags', () => {
    for (const table of TABLE_NAMES) {
      const section = doc.split(`### ${table}`)[1]?.split('\n### ')[0] ?? '';
      expect(section, `section for ${table}`).not.toBe('');
      for (const [column, spec] of Object.entries(CONTRACT[table].columns)) {
        const row = section.split('\n').find((line) => line.startsWith(`| ${column} |`));
        expect(row, `${table}.${column}`).toBeDefined();
        expect(row?.split('|')[2]?.trim() === 'yes', `${table}.${column} required`).toBe(spec.required === true);
        if (spec.pii) expect(row).toContain('PII');
      }
    }
  });

  it('lists every quarantine reason in the order they are checked', () => {
    const listed = [...doc.matchAll(/^\| ([a-z_]+) \| (?!required)/gm)].map((m) => m[1]).filter((c) => REASON_CODES.includes(c as never));
    expect(listed).toEqual(REASON_CODES);
  });
});
