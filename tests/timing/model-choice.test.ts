import { describe, expect, it } from 'vitest';
import { evaluateModels } from '../../src/timing/evaluate/index.js';
import type { TimingLabels } from '../../src/timing/labels.js';
import { chooseModelsPerHorizon } from '../../src/timing/model-choice.js';

function labels(daysToNext: number[], event: number[]): TimingLabels {
  return {
    daysToNext: Float64Array.from(daysToNext),
    event: Uint8Array.from(event),
    purchases: Float64Array.from(event),
    windowDays: 90,
  };
}

// Four customers; within 30 days only the first buys, within 60 days the first two.
const actual = labels([5, 40, 90, 90], [1, 1, 0, 0]);
// "short" is right at 30 days and wrong at 60; "long" the other way round.
const short = { name: 'short', pBuy: { 30: [0.9, 0.1, 0.1, 0.1], 60: [0.9, 0.1, 0.1, 0.1] } };
const long = { name: 'long', pBuy: { 30: [0.5, 0.5, 0.1, 0.1], 60: [0.9, 0.9, 0.1, 0.1] } };
const never = { name: 'never_scores', pBuy: { 30: [1, 0, 0, 0], 60: [1, 1, 0, 0] } };

describe('chooseModelsPerHorizon', () => {
  const selection = evaluateModels(actual, [short, long, never]);
  // The reported window flips the ranking: choosing on it would be choosing on the grade itself.
  const reported = evaluateModels(labels([40, 5, 90, 90], [1, 1, 0, 0]), [short, long, never]);

  it('picks per horizon the lowest Brier of the selection backtest among the models that can score', () => {
    const choice = chooseModelsPerHorizon({
      horizons: [30, 60],
      selection,
      selectionLabel: 'the earlier backtest',
      reported,
      seasonal: null,
      available: ['long', 'short'],
    });
    expect(choice.map((c) => c.model)).toEqual(['short', 'long']);
    // Brier at 30 d: short (0.01 + 3·0.01)/4 = 0.01; long (0.25 + 0.25 + 0.01 + 0.01)/4 = 0.13.
    expect(choice[0]?.selectionBrier.map((r) => [r.model, Number(r.brier.toFixed(4))])).toEqual([
      ['short', 0.01],
      ['long', 0.13],
    ]);
    expect(choice[0]?.reason).toBe(
      'lowest Brier score for buying within 30 days on the earlier backtest (short 0.0100, long 0.1300)',
    );
    // Held-out metrics are those of the reported window, where the 30-day buyer is the second customer.
    expect(choice[0]?.heldOut?.brier).toBeCloseTo((0.81 + 0.81 + 0.01 + 0.01) / 4, 12);
    expect(choice[0]?.heldOut?.auc).toBeCloseTo(1 / 3, 12);
    expect(choice[0]?.heldOut?.auc).toBeCloseTo(reported.models[0]?.horizons[0]?.auc as number, 12);
    expect(choice[0]?.grade?.level).toBe(reported.models[0]?.grade?.level);
    expect(choice[0]?.seasonal).toBeNull();
    // A model that cannot score at the as-of date is never chosen, however good its backtest.
    expect(choice.some((c) => c.model === 'never_scores')).toBe(false);
  });

  it('falls back on the first available model, and says so, when no backtest ranks them', () => {
    const choice = chooseModelsPerHorizon({
      horizons: [30],
      selection: null,
      selectionLabel: 'none',
      reported: null,
      seasonal: null,
      available: ['mbgnbd', 'recency_baseline'],
    });
    expect(choice[0]?.model).toBe('mbgnbd');
    expect(choice[0]?.reason).toContain('no backtest could rank the models');
    expect(choice[0]?.heldOut).toBeNull();
  });
});
