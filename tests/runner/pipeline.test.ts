import { describe, expect, it } from 'vitest';
import { node, runPipeline } from '../../src/runner/pipeline.js';

describe('runPipeline', () => {
  it('feeds outputs to later nodes by name, in order', async () => {
    const catalog = new Map<string, unknown>([['x', 3]]);
    const timings = await runPipeline(
      [
        node((x: number) => [x * 2, x + 1], ['x'], ['double', 'next'], 'first'),
        node((d: number, n: number) => [d * n], ['double', 'next'], ['product'], 'second'),
      ],
      catalog,
    );
    expect(catalog.get('product')).toBe(24);
    expect(timings.map((t) => t.name)).toEqual(['first', 'second']);
  });

  it('skips an optional node whose input is absent and fails loudly on a required one', async () => {
    const catalog = new Map<string, unknown>();
    const timings = await runPipeline([node(() => [1], ['events'], ['e'], 'engagement', true)], catalog);
    expect(timings[0]?.skipped).toBe(true);
    expect(catalog.has('e')).toBe(false);
    await expect(runPipeline([node(() => [1], ['missing'], ['m'], 'needs')], catalog)).rejects.toThrow(
      /needs missing/,
    );
  });

  it("collects what a stage let go before the next stage starts", async () => {
    let dropped: WeakRef<object> | undefined;
    let seenByNext: boolean | undefined;
    await runPipeline(
      [
        node(
          async () => {
            const transient = { rows: Array.from({ length: 100_000 }, (_, i) => ({ i })) };
            dropped = new WeakRef(transient);
            // A WeakRef holds its target until the job that made it ends.
            await new Promise((resolve) => setImmediate(resolve));
            return [transient.rows.length];
          },
          [],
          ['count'],
          'first',
        ),
        node(
          (count: number) => {
            seenByNext = dropped?.deref() !== undefined;
            return [count];
          },
          ['count'],
          ['same'],
          'second',
        ),
      ],
      new Map<string, unknown>(),
    );
    expect(seenByNext).toBe(false);
  });
});
