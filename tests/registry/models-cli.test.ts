import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerModels } from '../../src/cli/commands/models.js';
import { PersonaeError } from '../../src/core/errors.js';
import { openRegistry } from '../../src/registry/index.js';
import { acquireLock } from '../../src/runner/lock.js';
import { ERASURE_REQUEST, generationFiles, personasGeneration, runGeneration } from './fixture.js';
import { rejectedWith } from '../helpers/errors.js';

let root: string;
let versions: Record<number, Record<string, string>>;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'personae-models-cli-'));
  const registry = openRegistry(root);
  versions = {};
  for (const g of [1, 2]) versions[g] = await runGeneration(registry, g);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** Runs `personae models …` in-process as main() would, returning stdout (PersonaeErrors propagate). */
async function models(...args: string[]): Promise<string> {
  const program = new Command('personae').exitOverride();
  registerModels(program);
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['models', ...args, '--registry', root], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return chunks.join('');
}

const failure = (...args: string[]): Promise<PersonaeError> => rejectedWith(models(...args));

describe('personae models', () => {
  it('lists versions as a table and as JSON, marking the promoted ones', async () => {
    const text = await models('list');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+model\s+version\s+as-of\s+created \(UTC\)\s+metrics$/);
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('*'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\*\\s+kmeans\\s+${versions[2]?.kmeans}\\s+2024-01-21\\s+2024-01-01 00:02:00\\s+silhouette=0.42$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^\\*\\s+neural\\s+${versions[2]?.neural}\\s+2024-01-21 .*brier=0.118 auc=0.702$`),
      ),
    ]);
    const json = JSON.parse(await models('list', 'neural', '--json')) as {
      versions: { version: string; current: boolean; metrics: unknown }[];
    };
    expect(json.versions.map((v) => [v.version, v.current])).toEqual([
      [versions[1]?.neural, false],
      [versions[2]?.neural, true],
    ]);
    expect(json.versions[1]?.metrics).toEqual({ brier: 0.118, auc: 0.702 });
  });

  it('shows the erasure scrubs of a version (counts per file, never the ids)', async () => {
    const registry = openRegistry(root);
    const { version } = await registry.writeVersion('personas', personasGeneration(1));
    await registry.scrub(ERASURE_REQUEST, { at: '2024-03-01T00:00:00.000Z' });
    await registry.scrub(['c03'], { at: '2024-03-08T00:00:00.000Z' });
    const text = await models('show', 'personas', version);
    expect(text).toContain('files           verified (sha256 of 4 files)');
    expect(text).toContain('scrubbed        2 time(s) since written');
    expect(text).toContain(
      '2024-03-01T00:00:00.000Z  erasure: removed membership.json 3, lifecycle.json 1 row(s)',
    );
    expect(text).toContain(
      '2024-03-08T00:00:00.000Z  erasure: removed membership.json 1, lifecycle.json 1 row(s)',
    );
    for (const id of [...ERASURE_REQUEST, 'c03']) expect(text).not.toContain(id);
    const json = JSON.parse(await models('show', 'personas', version, '--json'));
    expect(json.manifest.scrubs).toHaveLength(2);
  });

  it('shows a verified manifest with the promotion history', async () => {
    const text = await models('show', 'kmeans');
    expect(text).toContain(`kmeans ${versions[2]?.kmeans} (promoted)`);
    expect(text).toContain('params          {"k":3,"maxIter":100,"nInit":4}');
    expect(text).toContain('files           verified (sha256 of 2 files)');
    expect(text).toContain(`rollback would return to ${versions[1]?.kmeans}`);
    const json = JSON.parse(await models('show', 'kmeans', versions[1]?.kmeans as string, '--json'));
    expect(json.current).toBe(false);
    expect(json.manifest.dataFingerprint).toBe('data-1');
  });

  it('promotes and rolls back, recording the reason', async () => {
    expect(await models('rollback', 'neural')).toBe(
      `neural: rolled back from ${versions[2]?.neural} to ${versions[1]?.neural}\n`,
    );
    const promoted = JSON.parse(
      await models(
        'promote',
        'neural',
        versions[2]?.neural as string,
        '--reason',
        'fixed upstream',
        '--json',
      ),
    );
    expect(promoted).toMatchObject({
      model: 'neural',
      version: versions[2]?.neural,
      from: versions[1]?.neural,
      changed: true,
    });
    expect(await models('promote', 'neural', versions[2]?.neural as string)).toBe(
      `neural: ${versions[2]?.neural} is already the promoted version\n`,
    );
    const pointer = await openRegistry(root).pointer('neural');
    expect(pointer?.history.at(-1)?.reason).toBe('fixed upstream');
  });

  it('prunes old versions but keeps the promoted one and the rollback target', async () => {
    const registry = openRegistry(root);
    await registry.writeVersion('kmeans', generationFiles(3).kmeans);
    expect(await models('prune', 'kmeans', '--keep', '1')).toBe('kmeans: kept 3, deleted 0\n');
    expect((await failure('prune', '--keep', '0')).code).toBe('bad_keep_flag');
  });

  it('gives clear errors for unknown models and versions, damage, and a held lock', async () => {
    const unknown = await failure('show', 'bgnbd');
    expect(unknown.message).toContain('has no model "bgnbd"');
    expect(unknown.hint).toBe('known models: kmeans, neural');
    const version = await failure('promote', 'kmeans', 'v404');
    expect(version.code).toBe('registry_unknown_version');
    expect(version.hint).toContain(versions[2]?.kmeans);
    writeFileSync(join(root, 'kmeans', versions[1]?.kmeans as string, 'kmeans.json'), '{}');
    expect((await failure('show', 'kmeans', versions[1]?.kmeans as string)).code).toBe(
      'registry_damaged_version',
    );
    const lock = await acquireLock(root, { owner: 'personae retrain', handleSignals: false });
    try {
      const locked = await failure('rollback', 'kmeans');
      expect(locked.exitCode).toBe(4);
      expect(locked.message).toContain('locked by "personae retrain"');
    } finally {
      await lock.release();
    }
  });
});
