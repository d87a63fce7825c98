import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { closestMatch, editDistance } from '../../src/core/closest.js';
import { PersonaeError } from '../../src/core/errors.js';

function refusal(raw: unknown): PersonaeError {
  try {
    parseConfig(raw, 'config file personae.yaml');
  } catch (error) {
    if (error instanceof PersonaeError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('closestMatch', () => {
  it('counts edits, including a swap of two neighbouring letters', () => {
    expect(editDistance('clustring', 'clustering')).toBe(1);
    expect(editDistance('sede', 'seed')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ignores case, dashes and camelCase, and refuses what is too far', () => {
    expect(closestMatch('kMax', ['k', 'k_min', 'k_max'])).toBe('k_max');
    expect(closestMatch('K-MIN', ['k', 'k_min', 'k_max'])).toBe('k_min');
    expect(closestMatch('holdout', ['holdout_days', 'neural'])).toBeUndefined();
    expect(closestMatch('lang', ['k', 'n_init'])).toBeUndefined();
  });
});

describe('config errors', () => {
  it('a misspelt setting gets the one that was meant, with its full path', () => {
    const top = refusal({ clustring: { k: 3 } });
    expect(top.code).toBe('config_invalid');
    expect(top.message).toBe('config file personae.yaml: unknown setting `clustring` — did you mean `clustering`?');
    expect(top.hint).toMatch(/^The settings at the top level are: data, as_of, out, .*\bclustering, timing, segments,/);
    const nested = refusal({ clustering: { kmax: 8 } });
    expect(nested.message).toBe('config file personae.yaml: unknown setting `clustering.kmax` — did you mean `clustering.k_max`?');
    expect(nested.hint).toBe('The settings under `clustering` are: k, k_min, k_max, n_init, min_persona_size.');
    const deeper = refusal({ segments: { lifecycle: { vip_top_shares: 0.2 } } });
    expect(deeper.message).toContain('did you mean `segments.lifecycle.vip_top_share`?');
  });

  it('a setting written at the wrong level is pointed to where it belongs', () => {
    expect(refusal({ neural_epochs: 10 }).message).toBe(
      'config file personae.yaml: unknown setting `neural_epochs` — did you mean `timing.neural_epochs`?',
    );
  });

  it('an unknown setting with no near neighbour is named without a guess', () => {
    expect(refusal({ colour: 'blue' }).message).toBe('config file personae.yaml: unknown setting `colour`');
  });

  it('a value of the wrong kind says what was written and what the setting accepts', () => {
    expect(refusal({ clustering: { k: 'five' } }).message).toBe(
      'config file personae.yaml: setting `clustering.k` is invalid: "five" is not "auto" or a whole number from 2 to 30',
    );
    expect(refusal({ clustering: { k: 2.5 } }).message).toContain('2.5 is not "auto" or a whole number from 2 to 30');
    expect(refusal({ timing: { holdout_days: 30 } }).message).toBe(
      'config file personae.yaml: setting `timing.holdout_days` is invalid: 30 is not a whole number from 90 to 360',
    );
    expect(refusal({ segments: { lifecycle: { lapsed_p_alive: 1 } } }).message).toContain(
      '`segments.lifecycle.lapsed_p_alive` is invalid: 1 is not a number above 0 and below 1',
    );
    expect(refusal({ report: { lang: 'de' } }).message).toContain('`report.lang` is invalid: "de" is not one of "en", "fr"');
    expect(refusal({ currency: 'euro' }).message).toContain('`currency` is invalid: "euro" is not text of 3 characters');
    expect(refusal({ timing: { neural: 'yes' } }).message).toContain('"yes" is not true or false');
    expect(refusal({ clustering: 5 }).message).toContain('`clustering` is invalid: 5 is not a group of settings');
  });

  it("keeps a rule's own sentence", () => {
    expect(refusal({ as_of: '31/12/2025' }).message).toBe(
      'config file personae.yaml: setting `as_of` is invalid: "31/12/2025": must be a date written YYYY-MM-DD',
    );
  });

  describe('from a YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'personae-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names the file', () => {
      const file = join(dir, 'weekly.yaml');
      writeFileSync(file, 'clustering:\n  k: five\n');
      expect(() => loadConfig(file)).toThrow(`config file ${file}: setting \`clustering.k\` is invalid: "five" is not "auto"`);
    });
  });
});
