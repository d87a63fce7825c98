// Bad inputs give a PersonaeError that names the setting, row or column and says how to fix it.
import { beforeAll, describe, expect, it } from 'vitest';
import { PersonaeError } from '../../src/core/errors.js';
import { fitPreprocessing, transform } from '../../src/features/index.js';
import type { FeatureSpec } from '../../src/features/types.js';
import { selectBackend } from '../../src/timing/backend.js';
import { NeuralTimingModel, trainNeuralTimingModel, type FeatureMatrix } from '../../src/timing/neural/index.js';
import { syntheticTiming } from './neural.synthetic.js';

const data = syntheticTiming(400, 5);
const quick = { hiddenUnits: [4], maxEpochs: 2 };

beforeAll(async () => {
  await selectBackend();
});

async function failure(run: () => unknown): Promise<PersonaeError> {
  const error = await Promise.resolve().then(run).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PersonaeError);
  return error as PersonaeError;
}

describe('feature preprocessing output', () => {
  it('feeds the model directly: transform() gives the matrix shape that fit and predict take', async () => {
    const names = data.matrix.columns.slice(0, 5);
    const columns = Object.fromEntries(
      names.map((name, j) => [name, Array.from({ length: data.matrix.rows }, (_, i) => data.matrix.matrix[i * data.matrix.columns.length + j] as number)]),
    );
    const spec = (name: string): FeatureSpec => ({
      name,
      family: 'engagement',
      kind: 'numeric',
      description: { en: name, fr: name },
      label: { en: name, fr: name },
      source: 'first-party',
      consentPurpose: 'profiling',
      transform: 'none',
      missing: 'zero',
      clustering: true,
    });
    const matrix = transform(columns, fitPreprocessing(columns, names.map(spec)));
    const model = await trainNeuralTimingModel(matrix, data.labels, { seed: 1, params: quick });
    expect(model.predict(matrix).pBuy30).toHaveLength(data.matrix.rows);
    model.dispose();
  });
});

describe('neural timing model input checks', () => {
  it('validates hyper-parameters at construction', async () => {
    const error = await failure(() => new NeuralTimingModel({ binDays: 7, horizonDays: 100 }));
    expect(error.kind).toBe('config');
    expect(error.message).toBe('invalid neural timing setting timing.neural.horizonDays: horizonDays must be a multiple of binDays');
    expect((await failure(() => new NeuralTimingModel({ horizonDays: 60 }))).message).toContain('timing.neural.horizonDays');
    expect((await failure(() => new NeuralTimingModel({ learningRate: -1 } as never))).message).toContain('learningRate');
    expect((await failure(() => new NeuralTimingModel({ unknown: 1 } as never))).kind).toBe('config');
  });

  it('gives the same id for the same parameters and another for different ones', () => {
    expect(new NeuralTimingModel({}).id).toBe(new NeuralTimingModel({ binDays: 10 }).id);
    expect(new NeuralTimingModel({ hiddenUnits: [8] }).id).not.toBe(new NeuralTimingModel({}).id);
  });

  it('names the non-finite feature and its row', async () => {
    const values = data.matrix.matrix.slice();
    values[3 * data.matrix.columns.length + 2] = Number.NaN;
    const error = await failure(() => trainNeuralTimingModel({ ...data.matrix, matrix: values }, data.labels, { seed: 1, params: quick }));
    expect(error.message).toBe('feature "sessions_30d" of row 3 is NaN');
    expect(error.hint).toContain('fill missing values');
  });

  it('refuses misaligned or degenerate labels and a window shorter than the horizon', async () => {
    const short = { ...data.labels, daysToNext: data.labels.daysToNext.slice(1) };
    expect((await failure(() => trainNeuralTimingModel(data.matrix, short, { seed: 1, params: quick }))).code).toBe('label_rows_mismatch');
    const nobody = { ...data.labels, event: new Uint8Array(400), daysToNext: new Float64Array(400).fill(180) };
    expect((await failure(() => trainNeuralTimingModel(data.matrix, nobody, { seed: 1, params: quick }))).message).toBe(
      '0 of 400 customers bought in the label window',
    );
    const window = await failure(() => trainNeuralTimingModel(data.matrix, { ...data.labels, windowDays: 90 }, { seed: 1, params: quick }));
    expect(window.message).toContain('the label window (90 days) is shorter than the neural model horizon (180 days)');
    const matrix: FeatureMatrix = { ...data.matrix, rows: 399 };
    expect((await failure(() => trainNeuralTimingModel(matrix, data.labels, { seed: 1, params: quick }))).code).toBe('bad_feature_matrix');
  });

  it('refuses to predict before fitting, and with other feature columns', async () => {
    expect((await failure(() => new NeuralTimingModel().predict(data.matrix))).code).toBe('model_not_fitted');
    const model = await trainNeuralTimingModel(data.matrix, data.labels, { seed: 1, params: quick });
    const columns = [...data.matrix.columns];
    columns[1] = 'log_monetary';
    const error = await failure(() => model.predict({ ...data.matrix, columns }));
    expect(error.message).toBe('feature column 1 is "log_monetary" but the model was trained with "log_frequency"');
    expect((await failure(() => model.predict({ ...data.matrix, columns: columns.slice(0, 7), matrix: new Float64Array(7 * 400) }))).code).toBe(
      'feature_columns_mismatch',
    );
    model.dispose();
  });
});
