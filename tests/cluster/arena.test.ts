import { describe, expect, it } from 'vitest';
import { createAllocator } from '../../src/cluster/arena.js';
import { KMeans } from '../../src/cluster/kmeans.js';
import { makeBlobs } from './blobs.js';

describe('k-means arena', () => {
  it('hands out regions of one shared memory as a stack and reuses them once released', () => {
    const outer = createAllocator(1024, true);
    const a = outer.f64(10);
    const inner = createAllocator(4096, true);
    const b = inner.i32(3);
    expect(inner.memory).toBe(outer.memory);
    expect(b.byteOffset).toBe(a.byteOffset + 1024);
    // Released out of order: the outer region is freed only with the inner one.
    outer.release();
    const third = createAllocator(64, true);
    expect(third.f64(1).byteOffset).toBeGreaterThan(b.byteOffset);
    third.release();
    inner.release();
    expect(createAllocator(64, true).f64(1).byteOffset).toBe(a.byteOffset);
  });

  it('refuses to write past its region', () => {
    const alloc = createAllocator(64, true);
    alloc.f64(8);
    expect(() => alloc.f64(1)).toThrow(/arena overflow/);
    alloc.release();
  });

  it('serves fits of growing size from the same memory, grown in place', () => {
    const memoryOf = () => {
      const alloc = createAllocator(16, true);
      alloc.release();
      return alloc.memory;
    };
    const before = memoryOf();
    for (const n of [1000, 20_000, 3000]) {
      const { data } = makeBlobs({ n, d: 4, k: 3, seed: n, spread: 5 });
      new KMeans({ nClusters: 3, seed: 1, threads: 1 }).fit(data);
    }
    expect(memoryOf()).toBe(before);
    expect((before as { buffer: SharedArrayBuffer }).buffer.byteLength).toBeGreaterThan(20_000 * 4 * 8);
  });
});
