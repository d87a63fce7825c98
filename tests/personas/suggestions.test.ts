import { describe, expect, it } from 'vitest';
import { suggestChanges } from '../../src/personas/suggestions.js';
import type { Action } from '../../src/personas/types.js';

const action = (rule: string, date: string): Action => ({
  rule,
  priority: 2,
  title: { en: `Send a win-back offer on ${date}`, fr: `Envoyer une offre de reconquête le ${date}` },
  reason: { en: '90% lapsed', fr: '90 % inactifs' },
  channel: null,
  sendInDays: 7,
  date,
});
const persona = (id: string, actions: Action[]) => ({ id, traits: [], topTraits: [], stability: 0.95, actions });
// Three personas far apart in feature space (no merge on geometry), none heterogeneous.
const geometry = {
  centroids: [Float64Array.of(0, 0), Float64Array.of(2, 0), Float64Array.of(0, 2)],
  dispersion: [0.3, 0.3, 0.3],
  dimension: 2,
};

describe('merge and split suggestions, in plain words', () => {
  it('two personas that would get exactly the same actions are suggested as one audience', () => {
    const same = [action('win_back_before_due', '1998-07-07')];
    const out = suggestChanges([persona('P1', same), persona('P2', same), persona('P3', [action('win_back_before_due', '1998-07-14')])], geometry, [0, 0, 0]);
    expect(out.map((s) => [s.kind, s.personas])).toEqual([['merge', ['P1', 'P2']]]);
    expect(out[0]?.measures['sameActions']).toBe(1);
    expect(out[0]?.reason.en).toMatch(/^the playbook recommends them exactly the same actions, on the same dates/);
    // Personas with no action at all are not "the same campaign".
    expect(suggestChanges([persona('P1', []), persona('P2', []), persona('P3', [])], geometry, [0, 0, 0])).toEqual([]);
  });

  it('reasons do not repeat the persona ids (the report prints them) and speak plainly', () => {
    const out = suggestChanges([persona('P1', []), persona('P2', []), persona('P3', [])], geometry, [2, 0, 0]);
    expect(out.map((s) => [s.kind, s.personas])).toEqual([['split', ['P1']]]);
    for (const lang of ['en', 'fr'] as const) {
      expect(out[0]?.reason[lang]).not.toMatch(/P1/);
      expect(out[0]?.reason[lang]).not.toMatch(/\bSD\b|halves|bisection/);
    }
    expect(out[0]?.reason.en).toMatch(/^its customers form two groups almost as far apart as two personas \(distance 2 between them, 1.41 between two personas usually, in standard deviations per feature\)\. At the next retrain, try one more persona/);
  });

  it('several personas that each hold two groups are one suggestion, with the range of their distances', () => {
    const out = suggestChanges([persona('P1', []), persona('P2', []), persona('P3', [])], geometry, [2, 1.9, 0]);
    expect(out.map((s) => [s.kind, s.personas])).toEqual([['split', ['P1', 'P2']]]);
    expect(out[0]?.reason.en).toBe(
      "each one's customers form two groups almost as far apart as two personas (distance 1.9 to 2 between them, 1.41 between two personas usually, in standard deviations per feature). At the next retrain, try up to 2 more personas.",
    );
    expect(out[0]?.reason.fr).toMatch(/^les clients de chacun forment deux groupes .*\(distance de 1,9 à 2 entre eux/);
  });
});
