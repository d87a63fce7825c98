import { describe, expect, it } from 'vitest';
import { minCostAssignment } from '../../src/cluster/hungarian.js';
import { Rng } from '../../src/core/rng.js';

function total(cost: number[][], assignment: Int32Array): number {
  return Array.from(assignment).reduce((s, j, i) => s + (j >= 0 ? (cost[i] as number[])[j] as number : 0), 0);
}

function bruteForce(cost: number[][]): number {
  const n = cost.length;
  const m = (cost[0] as number[]).length;
  let best = Infinity;
  const walk = (i: number, used: Set<number>, sum: number): void => {
    if (i === n) {
      best = Math.min(best, sum);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used.has(j)) continue;
      used.add(j);
      walk(i + 1, used, sum + ((cost[i] as number[])[j] as number));
      used.delete(j);
    }
  };
  walk(0, new Set(), 0);
  return best;
}

describe('minCostAssignment', () => {
  it('solves a textbook 3 × 3 case', () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const a = minCostAssignment(Float64Array.from(cost.flat()), 3, 3);
    expect(Array.from(a)).toEqual([1, 0, 2]);
    expect(total(cost, a)).toBe(5);
  });

  it('agrees with brute force on random square and rectangular matrices', () => {
    const rng = new Rng(1);
    for (const [n, m] of [
      [5, 5],
      [3, 6],
      [6, 4],
    ] as const) {
      for (let trial = 0; trial < 10; trial++) {
        const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rng.uniform(0, 20))));
        const a = minCostAssignment(Float64Array.from(cost.flat()), n, m);
        const assigned = Array.from(a).filter((j) => j >= 0);
        expect(new Set(assigned).size).toBe(Math.min(n, m));
        if (n <= m) expect(total(cost, a)).toBe(bruteForce(cost));
        else {
          const t = cost[0]!.map((_, j) => cost.map((row) => row[j] as number));
          expect(total(cost, a)).toBe(bruteForce(t));
        }
      }
    }
  });
});
