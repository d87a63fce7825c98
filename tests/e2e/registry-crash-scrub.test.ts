// Crash safety of the registry's erasure scrub: a child process removes erased customers from the two
// retained versions of a personas-like model and SIGKILLs itself at one named step (PERSONAE_CRASH_AT,
// src/registry/crash.ts). After every kill, before any repair, every version must still list and verify
// (readers fall back to the complete scrubbed copy while the original is hidden) and hold either its
// original files or its fully scrubbed ones; repair must roll the interrupted version back (copy not yet
// complete) or forward (copy complete), and the next scrub must finish the job.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashAtEach, traceSteps, type ChildArgs, type Crash } from '../registry/crash-harness.js';
import { openRegistry, type Registry } from '../../src/registry/index.js';
import { ERASURE_REQUEST, personasGeneration } from '../registry/fixture.js';

const CHILD_ARGS: ChildArgs = (root) => ['scrub', root];

/** Steps killed at, with how many of the two versions are scrubbed once the registry is repaired. */
const STEPS: ReadonlyArray<readonly [step: string, scrubbedAfterRepair: 0 | 1 | 2]> = [
  ['scrub:tmp-created', 0],
  ['mid-file:scrub:kmeans.json', 0],
  ['mid-file:scrub:lifecycle.json', 0],
  ['mid-file:scrub:membership.json', 0],
  ['mid-file:scrub:personas.json', 0],
  ['mid-file:scrub:manifest.json', 0],
  ['before-fsync:scrub:manifest.json', 0],
  ['scrub:before-ready', 0],
  ['scrub:ready', 1],
  ['scrub:old-hidden', 1],
  ['scrub:swapped', 1],
  ['scrub:tmp-created#2', 1],
  ['scrub:ready#2', 2],
  ['scrub:old-hidden#2', 2],
];

const SAME_STATE_AS_TESTED: ReadonlyArray<readonly [pattern: RegExp, why: string]> = [
  [/^before-fsync:/, 'a complete file, not yet fsynced: as the next step (before-fsync:…manifest is tested)'],
  [/^scrub:before-dir-fsync/, 'a complete temporary directory: as scrub:before-ready'],
  [/#2$/, 'the same step for the second version, as at its first occurrence'],
];

/** Members of each generation's membership.json before and after erasure (fixture: 20, of which 3 erased). */
const MEMBERS = { original: 20, scrubbed: 17 };

let work: string;
let base: string;
const versions: string[] = [];
let traced: string[] = [];

let crashes = new Map<string, Crash>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'personae-crash-scrub-'));
  base = join(work, 'base');
  const registry = openRegistry(base);
  for (const g of [1, 2]) {
    const { version } = await registry.writeVersion('personas', personasGeneration(g));
    await registry.promote('personas', version);
    versions.push(version);
  }
  const trace = await traceSteps(CHILD_ARGS, base, work);
  expect(trace.clean.signal).toBeNull();
  traced = trace.steps;
  crashes = await crashAtEach(CHILD_ARGS, base, work, STEPS.map(([step]) => step));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Per version: whether it is scrubbed, checked to be wholly one or the other (files and manifest agree). */
async function scrubState(registry: Registry): Promise<boolean[]> {
  const states: boolean[] = [];
  for (const version of versions) {
    const loaded = await registry.read('personas', version);
    const members = Object.keys(loaded.json<Record<string, string>>('membership.json'));
    const scrubbed = (loaded.manifest.scrubs ?? []).length === 1;
    expect(members.length).toBe(scrubbed ? MEMBERS.scrubbed : MEMBERS.original);
    if (scrubbed) expect(members.filter((id) => ERASURE_REQUEST.includes(id))).toEqual([]);
    states.push(scrubbed);
  }
  return states;
}

function hiddenEntries(root: string): string[] {
  return [
    ...readdirSync(root).filter((name) => name.startsWith('.')),
    ...readdirSync(join(root, 'personas')).filter((name) => name.startsWith('.')),
  ];
}

describe('registry scrub after a SIGKILL', () => {
  it.each(STEPS)(
    'at %s: every version verifies, repair leaves %i scrubbed, and the next scrub completes',
    async (step, scrubbedAfterRepair) => {
      const crash = crashes.get(step) as Crash;
      expect(crash.stderr).toBe('');
      expect(crash.signal).toBe('SIGKILL');
      const registry = openRegistry(crash.root);

      // Before any repair: each version is listed, verifies, and is wholly original or wholly scrubbed.
      expect((await registry.list('personas')).map((v) => [v.version, v.problem])).toEqual(
        versions.map((v) => [v, undefined]),
      );
      await scrubState(registry);
      expect((await registry.read('personas', 'current')).version).toBe(versions[1]);

      await registry.repair();
      expect(hiddenEntries(crash.root)).toEqual([]);
      const states = await scrubState(registry);
      expect(states.filter(Boolean).length).toBe(scrubbedAfterRepair);

      // The next retrain's scrub removes what is left: 3 membership rows and 1 lifecycle row per version.
      const [result] = await registry.scrub(ERASURE_REQUEST);
      expect(result?.scrubbed.length).toBe(2 - scrubbedAfterRepair);
      expect(result?.rowsRemoved['membership.json'] ?? 0).toBe(3 * (2 - scrubbedAfterRepair));
      expect(await scrubState(registry)).toEqual([true, true]);
      expect(hiddenEntries(crash.root)).toEqual([]);
    },
  );

  it('covers every step of a scrub: killed at it, or at one leaving the same state on disk', () => {
    const tested = STEPS.map(([step]) => step);
    expect(traced.length).toBeGreaterThan(20);
    const unexplained = traced
      .filter((step) => !tested.includes(step))
      .filter((step) => !SAME_STATE_AS_TESTED.some(([pattern]) => pattern.test(step)));
    expect(unexplained).toEqual([]);
    expect(tested.filter((step) => !traced.includes(step))).toEqual([]);
  });
});
