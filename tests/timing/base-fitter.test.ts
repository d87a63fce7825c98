import { describe, expect, it } from 'vitest';
import { compressRfm, groupRfm, indexRows, waitOrder } from '../../src/timing/base-fitter.js';
import { bgNbdKernel } from '../../src/timing/bgnbd.js';
import { paretoNbdKernel } from '../../src/timing/pareto-nbd.js';

// Six customers, three distinct (x, t_x, T): [2, 30, 38] three times, [0, 0, 38] twice, [1, 5, 20] once.
const frequency = Float64Array.of(2, 0, 2, 1, 0, 2);
const recency = Float64Array.of(30, 0, 30, 5, 0, 30);
const age = Float64Array.of(38, 38, 38, 20, 38, 38);

describe('unique (x, t_x, T) rows', () => {
  it('are listed in order of first appearance with their counts, and each customer points to its own', () => {
    const rows = groupRfm(frequency, recency, age);
    expect(Array.from(rows.frequency)).toEqual([2, 0, 1]);
    expect(Array.from(rows.recency)).toEqual([30, 0, 5]);
    expect(Array.from(rows.age)).toEqual([38, 38, 20]);
    expect(Array.from(rows.weight)).toEqual([3, 2, 1]);
    expect(Array.from(rows.rowIndex)).toEqual([0, 1, 0, 2, 1, 0]);
    const { rowIndex: _rowIndex, ...weighted } = rows;
    expect(compressRfm(frequency, recency, age)).toEqual(weighted);
  });

  it('come in (x, T, t_x) order from waitOrder, so that rows sharing (x, T) are neighbours', () => {
    const rows = { frequency: Float64Array.of(2, 0, 2, 1, 2), recency: Float64Array.of(30, 0, 12, 5, 20), age: Float64Array.of(38, 38, 38, 20, 40) };
    expect(Array.from(waitOrder(rows))).toEqual([1, 3, 2, 0, 4]);
  });

  it('give the likelihood of the customers one by one (to 1e-12)', () => {
    const weighted = indexRows(compressRfm(frequency, recency, age));
    const one = (i: number) =>
      indexRows({
        frequency: Float64Array.of(frequency[i] as number),
        recency: Float64Array.of(recency[i] as number),
        age: Float64Array.of(age[i] as number),
        weight: Float64Array.of(1),
      });
    for (const [kernel, params] of [
      [bgNbdKernel, [0.24, 4.4, 0.79, 2.4]],
      [paretoNbdKernel, [0.55, 10.6, 0.61, 11.7]],
    ] as const) {
      const logParams = Float64Array.from(params, Math.log);
      let perCustomer = 0;
      for (let i = 0; i < frequency.length; i++) perCustomer += kernel.negLogLikelihood(logParams, one(i));
      const total = kernel.negLogLikelihood(logParams, weighted);
      expect(Math.abs(total - perCustomer)).toBeLessThan(1e-12 * Math.abs(perCustomer));
    }
  });
});
