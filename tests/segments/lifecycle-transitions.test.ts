import { describe, expect, it } from 'vitest';
import { countTransitions } from '../../src/segments/transitions.js';

const m = (customerId: string, segment: string) => ({ customerId, segment });

describe('countTransitions', () => {
  it('counts previous × current segments, entrants and leavers by hand', () => {
    const previous = [
      m('a', 'active'),
      m('b', 'active'),
      m('c', 'due'),
      m('d', 'lapsed'),
      m('e', 'at_risk'),
      m('gone', 'lapsed'),
    ];
    const current = [
      m('a', 'active'),
      m('b', 'due'),
      m('c', 'active'),
      m('d', 'reactivated'),
      m('e', 'lapsed'),
      m('fresh', 'new'),
      m('vip2', 'rule:x'),
    ];
    const t = countTransitions(previous, current);
    expect(t.segments).toEqual(['new', 'active', 'due', 'at_risk', 'lapsed', 'reactivated', 'rule:x']);
    const cell = (from: string, to: string) => t.counts[t.segments.indexOf(from)]?.[t.segments.indexOf(to)];
    expect(cell('active', 'active')).toBe(1);
    expect(cell('active', 'due')).toBe(1);
    expect(cell('due', 'active')).toBe(1);
    expect(cell('lapsed', 'reactivated')).toBe(1);
    expect(cell('at_risk', 'lapsed')).toBe(1);
    expect(t.counts.flat().reduce((s, x) => s + x, 0)).toBe(5);
    expect(t.cells).toEqual([
      { from: 'active', to: 'active', count: 1 },
      { from: 'active', to: 'due', count: 1 },
      { from: 'due', to: 'active', count: 1 },
      { from: 'at_risk', to: 'lapsed', count: 1 },
      { from: 'lapsed', to: 'reactivated', count: 1 },
    ]);
    expect(t.matched).toBe(5);
    expect(t.changed).toBe(4);
    expect(t.entrants).toEqual({ new: 1, 'rule:x': 1 });
    expect(t.leavers).toEqual({ lapsed: 1 });
  });

  it('treats a first run as all entrants and refuses a customer twice in one run', () => {
    const t = countTransitions([], [m('a', 'new'), m('b', 'new')]);
    expect(t.matched).toBe(0);
    expect(t.entrants).toEqual({ new: 2 });
    expect(() => countTransitions([m('a', 'new'), m('a', 'due')], [])).toThrow(
      /previous run segments, row 2: customer "a" appears twice/,
    );
  });
});
