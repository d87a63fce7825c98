// Crash safety of the model registry: a child process writes a retrain generation (two models, four
// artifact files, a multi-model promotion, retention) and SIGKILLs itself at one named step
// (PERSONAE_CRASH_AT, src/registry/crash.ts). After every kill the registry must load, `current` must
// point to a complete, verified version of one single generation, and the next retrain must succeed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashAtEach, traceSteps, type ChildArgs, type Crash } from '../registry/crash-harness.js';
import { openRegistry } from '../../src/registry/index.js';
import { runGeneration } from '../registry/fixture.js';

const CHILD_ARGS: ChildArgs = (root) => ['write', root, '4'];
const MODELS = ['kmeans', 'neural'] as const;

/**
 * The steps killed at, with the generation `current` must hold once repaired. Every step a generation
 * write reaches is enumerated by a traced run (PERSONAE_CRASH_TRACE) and must be either here or in
 * SAME_STATE_AS_TESTED, which says why its on-disk state equals one tested here: a SIGKILL loses no written
 * byte (the page cache survives it), so an fsync changes nothing a SIGKILL can observe. One Node start per
 * step keeps this list to the distinct states.
 */
const STEPS: ReadonlyArray<readonly [step: string, promotedAfterRepair: 3 | 4]> = [
  ['version:tmp-created', 3],
  ['mid-file:kmeans.json', 3],
  ['mid-file:preprocessing.json', 3],
  ['mid-file:manifest.json', 3],
  ['version:before-rename', 3],
  ['version:after-rename', 3],
  ['mid-file:model.json', 3],
  ['mid-file:weights.bin', 3],
  ['before-fsync:weights.bin', 3],
  ['version:after-rename#2', 3],
  ['mid-file:intent', 3],
  ['promote-many:intent-written', 4],
  ['mid-file:current', 4],
  ['current:after-rename', 4],
  ['promote-many:after:kmeans', 4],
  ['promote-many:after:neural', 4],
  ['prune:after-hide', 4],
];

const SAME_STATE_AS_TESTED: ReadonlyArray<readonly [pattern: RegExp, why: string]> = [
  [
    /^before-fsync:/,
    'a complete file, not yet fsynced: as the step after it (before-fsync:weights.bin is tested)',
  ],
  [/^version:before-dir-fsync/, 'a complete temporary directory: as version:before-rename'],
  [
    /^(intent|current):(tmp-created|before-rename)/,
    'a temporary file beside the unchanged file: as mid-file:intent / mid-file:current',
  ],
  [/^intent:after-rename$/, 'the intent in place, no pointer moved: as promote-many:intent-written'],
  [/#2$/, "the same step for the second model's version or pointer, tested at its first occurrence"],
];

let base: string;
let work: string;
let traced: string[] = [];

let crashes = new Map<string, Crash>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'personae-crash-'));
  base = join(work, 'base');
  // Three weekly generations promoted in turn; retention (2) already removed generation 1.
  const registry = openRegistry(base);
  for (const g of [1, 2, 3]) await runGeneration(registry, g);
  const trace = await traceSteps(CHILD_ARGS, base, work);
  expect(trace.clean.code).toBe(0);
  traced = trace.steps;
  crashes = await crashAtEach(CHILD_ARGS, base, work, STEPS.map(([step]) => step));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function generationOf(dataFingerprint: string | undefined): number {
  return Number(dataFingerprint?.replace('data-', ''));
}

describe('registry after a SIGKILL', () => {
  it.each(STEPS)(
    'at %s: loads, current is complete and verified, and the next retrain succeeds',
    async (step, promoted) => {
      const crash = crashes.get(step) as Crash;
      expect(crash.stderr).toBe('');
      expect(crash.signal).toBe('SIGKILL');
      const registry = openRegistry(crash.root);

      // Before any repair: every visible version is complete, every current pointer verifies.
      for (const info of await registry.list()) {
        expect(info.problem).toBeUndefined();
        await expect(registry.read(info.model, info.version)).resolves.toBeDefined();
      }
      for (const model of MODELS) {
        const current = await registry.read(model, 'current');
        expect([3, 4]).toContain(generationOf(current.manifest.dataFingerprint));
      }

      // Repair rolls an interrupted promotion forward, so both models come from one generation.
      await registry.repair();
      for (const model of MODELS) {
        const current = await registry.read(model, 'current');
        expect(generationOf(current.manifest.dataFingerprint)).toBe(promoted);
        expect(readdirSync(join(crash.root, model)).filter((name) => name.startsWith('.'))).toEqual([]);
      }
      expect(readdirSync(crash.root).filter((name) => name.startsWith('.'))).toEqual([]);

      // The retrain that follows (the same week again) succeeds, and leaves a clean registry.
      const next = await runGeneration(registry, 4);
      for (const model of MODELS) {
        expect((await registry.read(model, 'current')).version).toBe(next[model]);
        expect((await registry.list(model)).map((v) => generationOf(v.manifest?.dataFingerprint))).toEqual([
          3, 4,
        ]);
        expect(readdirSync(join(crash.root, model)).filter((name) => name.startsWith('.'))).toEqual([]);
      }
    },
  );

  it('covers every step of a write: killed at it, or at one leaving the same state on disk', () => {
    const tested = STEPS.map(([step]) => step);
    expect(traced.length).toBeGreaterThan(35);
    const untested = traced.filter((step) => !tested.includes(step));
    const unexplained = untested.filter(
      (step) => !SAME_STATE_AS_TESTED.some(([pattern]) => pattern.test(step)),
    );
    expect(unexplained).toEqual([]);
    expect(tested.filter((step) => !traced.includes(step))).toEqual([]);
    for (const file of [
      'kmeans.json',
      'preprocessing.json',
      'model.json',
      'weights.bin',
      'manifest.json',
      'intent',
      'current',
    ]) {
      expect(tested).toContain(`mid-file:${file}`);
    }
  });
});
