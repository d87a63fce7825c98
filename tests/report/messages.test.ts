import { expect, it } from 'vitest';
import { MESSAGE_KEYS, t } from '../../src/report/messages.js';

it('every interface string exists in English and French with the same placeholders', () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
  let different = 0;
  for (const key of MESSAGE_KEYS) {
    const en = t(key, 'en');
    const fr = t(key, 'fr');
    expect(en.length, key).toBeGreaterThan(0);
    expect(fr.length, key).toBeGreaterThan(0);
    expect(placeholders(fr), key).toEqual(placeholders(en));
    if (en !== fr) different++;
  }
  // A few words are the same in both languages (Persona, Segment, Source…); most are translated.
  expect(different / MESSAGE_KEYS.length).toBeGreaterThan(0.85);
});

it('fills placeholders and leaves unknown ones visible', () => {
  expect(t('smallMerged', 'en', { size: 12, min: 50, into: 'P2' })).toBe('had 12 customers (fewer than 50) and was merged into P2.');
  expect(t('smallMerged', 'fr', { size: 12 })).toContain('{min}');
});
