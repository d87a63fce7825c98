import { describe, expect, it } from 'vitest';
import { queryColumns, withConnection } from '../../src/io/duckdb.js';
import { computeFeatures } from '../../src/features/compute.js';
import { fitPreprocessing, quantileSorted, transform, type PreprocessingParams } from '../../src/features/preprocessing.js';
import { featureSpec } from '../../src/features/spec.js';
import { isPersonaeError } from '../../src/core/errors.js';
import { AS_OF, loadTinyFixture } from './tiny-fixture.js';

const text = { en: 'x', fr: 'x' };
const money = featureSpec('money', { family: 'value', transform: 'log1p+winsorize', description: text, label: text });
const gap = featureSpec('gap', { family: 'timing', transform: 'none', missing: 'median', description: text, label: text });
const colour = featureSpec('colour', { family: 'declared', kind: 'categorical', description: text, label: text });
const flag = featureSpec('flag', { family: 'declared', kind: 'boolean', description: text, label: text });
const catalogue = [money, gap, colour, flag];
const E = Math.E;

const columns = {
  money: [0, E - 1, E ** 2 - 1, E ** 3 - 1, E ** 4 - 1],
  gap: [1, null, 3, 5, 3],
  colour: ['a', 'a', 'b', 'c', null],
  flag: [true, false, null, true, false],
};

describe('fitPreprocessing / transform', () => {
  const params = fitPreprocessing(columns, catalogue, { winsorize: [0.25, 0.75], maxLevels: 2, minLevelShare: 0 });

  it('log1p, then clip at the quantiles, then standard-scale (computed by hand)', () => {
    // log1p → 0..4; clipped at the 25th/75th percentiles (1, 3) → 1,1,2,3,3; mean 2, sd √0.8.
    const p = params.features[0];
    expect(p).toMatchObject({ kind: 'numeric', log1p: true, clip: [1, 3], mean: 2 });
    expect(p && 'sd' in p ? p.sd : 0).toBeCloseTo(Math.sqrt(0.8), 12);
    const { matrix, columns: names, rows } = transform(columns, params);
    expect(rows).toBe(5);
    expect(names).toEqual(['money', 'gap', 'colour=a', 'colour=b', 'colour=__other', 'colour=__missing', 'flag']);
    const z = 1 / Math.sqrt(0.8);
    const money = Array.from({ length: 5 }, (_, i) => matrix[i * names.length]);
    [-z, -z, 0, z, z].forEach((v, i) => expect(money[i]).toBeCloseTo(v, 12));
  });

  it('fills missing values by policy: the median of the fitting data for `median`', () => {
    // gap: 1, (3), 3, 5, 3 → mean 3, sd √(8/5)
    const { matrix, columns: names } = transform(columns, params);
    const sd = Math.sqrt(8 / 5);
    const gapColumn = Array.from({ length: 5 }, (_, i) => matrix[i * names.length + 1]);
    [-2 / sd, 0, 0, 2 / sd, 0].forEach((v, i) => expect(gapColumn[i]).toBeCloseTo(v, 12));
  });

  it('one-hot with a level cap, an other bucket for rare and unseen levels and a missing column', () => {
    const p = params.features[2];
    expect(p).toEqual({ name: 'colour', kind: 'categorical', levels: ['a', 'b'], other: true, missing: true });
    const scored = transform({ money: [1, 1, 1], gap: [1, 1, 1], colour: ['b', 'zzz', null], flag: [false, true, false] }, params);
    const row = (i: number): number[] => Array.from(scored.matrix.slice(i * 7 + 2, i * 7 + 7));
    expect(row(0)).toEqual([0, 1, 0, 0, 0]);
    expect(row(1)).toEqual([0, 0, 1, 0, 1]);
    expect(row(2)).toEqual([0, 0, 0, 1, 0]);
  });

  it('quantiles interpolate linearly like numpy', () => {
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.9)).toBeCloseTo(3.7, 12);
  });

  it('names unknown features and missing columns in clear errors', () => {
    const unknown = (() => {
      try {
        return fitPreprocessing(columns, catalogue, { features: ['nope'] });
      } catch (e) {
        return e;
      }
    })();
    expect(isPersonaeError(unknown) && unknown.kind).toBe('config');
    expect(() => transform({ money: [1] }, params)).toThrow(/gap/);
  });

  it('round-trips through JSON on the real features: the same matrix from the saved parameters', async () => {
    await withConnection(async (c) => {
      await loadTinyFixture(c);
      const result = await computeFeatures(c, { asOf: AS_OF });
      const data = await queryColumns(c, 'SELECT * FROM features ORDER BY customer_id');
      const fitted = fitPreprocessing(data, result.catalogue);
      const saved = JSON.parse(JSON.stringify(fitted)) as PreprocessingParams;
      expect(saved).toEqual(fitted);
      const a = transform(data, fitted);
      const b = transform(data, saved);
      expect(b.columns).toEqual(a.columns);
      expect(Array.from(b.matrix)).toEqual(Array.from(a.matrix));
      expect(a.matrix.every(Number.isFinite)).toBe(true);
      expect(a.columns).toContain('device=mobile');
      // only clustering features by default: no repeat counts, no geography (a persona descriptor)
      expect(a.columns).not.toContain('repeat_purchases');
      expect(a.columns.some((c) => c.startsWith('country='))).toBe(false);
    });
  });
});
