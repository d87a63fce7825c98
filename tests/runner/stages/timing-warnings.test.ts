import { describe, expect, it } from 'vitest';
import { skipWarnings } from '../../../src/runner/stages/timing.js';

describe('warnings of models that could not be used', () => {
  it('say once per model where it failed and the first reason, in the model’s own name', () => {
    expect(
      skipWarnings([
        { model: 'bgnbd', stage: 'test backtest', reason: 'BG/NBD: the likelihood is flat in a, b (a=3e-7)' },
        {
          model: 'neural',
          stage: 'selection backtest',
          reason: 'less than 90 days of history before 2011-01-03 to learn from',
        },
        { model: 'bgnbd', stage: 'as-of', reason: 'BG/NBD: did not converge' },
      ]),
    ).toEqual([
      'BG/NBD was not used (test backtest, as-of): the likelihood is flat in a, b (a=3e-7)',
      'The neural model was not used (selection backtest): less than 90 days of history before 2011-01-03 to learn from',
    ]);
  });
});
