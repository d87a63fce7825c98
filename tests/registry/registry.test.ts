import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelId, sha256Hex, stableStringify } from '../../src/core/hash.js';
import { openRegistry, promote, versionNameFor, type Registry } from '../../src/registry/index.js';
import { KMEANS_PARAMS, generationFiles } from './fixture.js';
import { rejectedWith as rejection } from '../helpers/errors.js';

let root: string;
let registry: Registry;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'personae-registry-'));
  registry = openRegistry(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('writeVersion / read', () => {
  it('writes a verified version with a deterministic name and a complete manifest', async () => {
    const input = generationFiles(1).neural;
    const written = await registry.writeVersion('neural', input);
    const id = modelId('neural_timing', 2, { hidden: [16, 8], epochs: 40 });
    expect(written.status).toBe('created');
    expect(written.version).toBe(
      versionNameFor({ dataFingerprint: 'data-1', asOf: '2024-01-14', id, codeVersion: '0.1.0' }),
    );
    expect(written.version).toMatch(/^2024-01-14-[0-9a-f]{10}$/);

    const loaded = await registry.read('neural', written.version);
    const weights = input.files['weights.bin'] as Uint8Array;
    expect(loaded.manifest).toMatchObject({
      format: 1,
      model: 'neural',
      id,
      type: 'neural_timing',
      formatVersion: 2,
      dataFingerprint: 'data-1',
      asOf: '2024-01-14',
      runId: 'run-1',
      codeVersion: JSON.parse(readFileSync('package.json', 'utf8')).version,
      metrics: { brier: 0.119, auc: 0.701 },
    });
    expect(loaded.manifest.files['weights.bin']).toEqual({ sha256: sha256Hex(weights), bytes: 2048 * 4 });
    expect(Buffer.compare(Buffer.from(loaded.files['weights.bin'] as Uint8Array), Buffer.from(weights))).toBe(
      0,
    );
    expect(loaded.json<{ generation: number }>('model.json').generation).toBe(1);
    expect(loaded.current).toBe(false);
    expect(readdirSync(join(root, 'neural', written.version)).sort()).toEqual([
      'manifest.json',
      'model.json',
      'weights.bin',
    ]);
  });

  it('is idempotent: the same data, as-of and params give the same version, written once', async () => {
    const first = await registry.writeVersion('kmeans', generationFiles(1).kmeans);
    const again = await registry.writeVersion('kmeans', {
      ...generationFiles(1).kmeans,
      runId: 'another-run',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    expect(again.status).toBe('exists');
    expect(again.version).toBe(first.version);
    expect(again.manifest.runId).toBe('run-1');
    const other = await registry.writeVersion('kmeans', {
      ...generationFiles(1).kmeans,
      params: { ...KMEANS_PARAMS, k: 4 },
    });
    expect(other.version).not.toBe(first.version);
    expect((await registry.list('kmeans')).map((v) => v.version).sort()).toEqual(
      [first.version, other.version].sort(),
    );
  });

  it('refuses to overwrite a version with different content unless asked to keep the existing one', async () => {
    await registry.writeVersion('kmeans', { ...generationFiles(1).kmeans, version: 'v1' });
    const changed = { ...generationFiles(2).kmeans, version: 'v1' };
    const error = await rejection(registry.writeVersion('kmeans', changed));
    expect(error.code).toBe('registry_version_conflict');
    const kept = await registry.writeVersion('kmeans', { ...changed, onConflict: 'keep-existing' });
    expect(kept.status).toBe('conflict-kept');
    expect(kept.manifest.dataFingerprint).toBe('data-1');
  });

  it('rejects unsafe names', async () => {
    const input = generationFiles(1).kmeans;
    expect((await rejection(registry.writeVersion('../evil', input))).code).toBe('registry_bad_model_name');
    expect((await rejection(registry.writeVersion('kmeans', { ...input, version: '../x' }))).code).toBe(
      'registry_bad_version_name',
    );
    expect((await rejection(registry.writeVersion('kmeans', { ...input, version: 'current' }))).code).toBe(
      'registry_bad_version_name',
    );
    expect(
      (await rejection(registry.writeVersion('kmeans', { ...input, files: { 'a/b.json': '{}' } }))).code,
    ).toBe('registry_bad_file_name');
    expect(
      (await rejection(registry.writeVersion('kmeans', { ...input, files: { 'manifest.json': '{}' } }))).code,
    ).toBe('registry_bad_file_name');
    expect((await rejection(registry.writeVersion('kmeans', { ...input, artifact: 'nope.json' }))).code).toBe(
      'registry_missing_artifact',
    );
    expect((await rejection(registry.read('kmeans', '../../etc'))).code).toBe('registry_bad_version_name');
  });

  it('ignores temporary directories and removes those of dead writers on the next write', async () => {
    const { version } = await registry.writeVersion('kmeans', generationFiles(1).kmeans);
    const deadPid = 2 ** 22 + 12345; // above Linux pid_max: never a live process
    mkdirSync(join(root, 'kmeans', `.tmp-${deadPid}-abc`));
    writeFileSync(join(root, 'kmeans', `.tmp-${deadPid}-abc`, 'kmeans.json'), '{"half');
    mkdirSync(join(root, 'kmeans', `.tmp-${process.ppid}-live`));
    writeFileSync(join(root, 'kmeans', `.current.json-${deadPid}-x.tmp`), '{');
    expect((await registry.list('kmeans')).map((v) => v.version)).toEqual([version]);
    await registry.writeVersion('kmeans', generationFiles(2).kmeans);
    expect(
      readdirSync(join(root, 'kmeans'))
        .filter((n) => n.startsWith('.'))
        .sort(),
    ).toEqual([`.tmp-${process.ppid}-live`]);
  });
});

describe('read verification', () => {
  let version: string;
  beforeEach(async () => {
    version = (await registry.writeVersion('kmeans', generationFiles(1).kmeans)).version;
  });

  it('detects a changed, truncated or missing artifact file', async () => {
    const file = join(root, 'kmeans', version, 'preprocessing.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"generation":1', '"generation":7'));
    const changed = await rejection(registry.read('kmeans', version));
    expect(changed.code).toBe('registry_damaged_version');
    expect(changed.message).toContain('preprocessing.json does not match its manifest');
    writeFileSync(file, original.slice(0, 10));
    expect((await rejection(registry.read('kmeans', version))).message).toContain(
      `10 bytes, expected ${original.length}`,
    );
    rmSync(file);
    expect((await rejection(registry.read('kmeans', version))).message).toContain(
      'preprocessing.json is missing',
    );
  });

  it('refuses a manifest whose id does not hash its params, and an artifact of another model', async () => {
    const path = join(root, 'kmeans', version, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...manifest, params: { ...KMEANS_PARAMS, k: 9 } }));
    const edited = await rejection(registry.read('kmeans', version));
    expect(edited.code).toBe('registry_id_mismatch');
    expect(edited.message).toContain(`claims model id ${manifest.id}`);

    // A k=9 artifact registered under a manifest that says k=3 (consistent hashes, wrong model inside).
    const wrong = JSON.stringify({
      type: 'kmeans',
      version: 1,
      params: { ...KMEANS_PARAMS, k: 9 },
      centroids: [],
    });
    await registry.writeVersion('kmeans', {
      ...generationFiles(1).kmeans,
      version: 'swapped',
      files: { 'kmeans.json': wrong },
    });
    const swapped = await rejection(registry.read('kmeans', 'swapped'));
    expect(swapped.code).toBe('registry_id_mismatch');
    expect(swapped.message).toContain(`hash to ${modelId('kmeans', 1, { ...KMEANS_PARAMS, k: 9 })}`);
  });

  it('refuses a model other than the expected one', async () => {
    const id = modelId('kmeans', 1, KMEANS_PARAMS);
    await expect(registry.read('kmeans', version, { id, type: 'kmeans' })).resolves.toBeDefined();
    const other = modelId('kmeans', 1, { ...KMEANS_PARAMS, k: 5 });
    const error = await rejection(registry.read('kmeans', version, { id: other }));
    expect(error.code).toBe('registry_model_mismatch');
    expect(error.message).toContain(
      `holds a kmeans model with id ${id}, but kmeans with id ${other} was expected`,
    );
    expect((await rejection(registry.read('kmeans', version, { type: 'bgnbd' }))).code).toBe(
      'registry_model_mismatch',
    );
  });

  it('explains unknown models and versions, and an unpromoted model', async () => {
    const model = await rejection(registry.read('bgnbd', 'current'));
    expect(model.code).toBe('registry_unknown_model');
    expect(model.hint).toBe('known models: kmeans');
    const unknown = await rejection(registry.read('kmeans', 'v9'));
    expect(unknown.code).toBe('registry_unknown_version');
    expect(unknown.hint).toContain(version);
    const none = await rejection(registry.read('kmeans', 'current'));
    expect(none.code).toBe('registry_nothing_promoted');
    expect(none.exitCode).toBe(2);
    expect((await rejection(registry.list('bgnbd'))).code).toBe('registry_unknown_model');
    expect(await openRegistry(join(root, 'empty')).list()).toEqual([]);
  });

  it('lists a damaged manifest with its problem instead of failing', async () => {
    mkdirSync(join(root, 'kmeans', 'broken'));
    writeFileSync(join(root, 'kmeans', 'broken', 'manifest.json'), '{"format":1');
    const listed = await registry.list('kmeans');
    const broken = listed.find((v) => v.version === 'broken');
    expect(broken?.manifest).toBeNull();
    expect(broken?.problem).toContain('is not valid JSON');
  });
});

describe('promote / rollback / prune', () => {
  async function writeGenerations(n: number): Promise<string[]> {
    const versions: string[] = [];
    for (let g = 1; g <= n; g++)
      versions.push((await registry.writeVersion('kmeans', generationFiles(g).kmeans)).version);
    return versions;
  }

  it('promotes verified versions and rolls back through the promotion history', async () => {
    const [a, b, c] = (await writeGenerations(3)) as [string, string, string];
    expect((await registry.promote('kmeans', a, { at: '2024-01-01T00:00:00Z' })).from).toBeNull();
    await registry.promote('kmeans', b, { reason: 'gate passed' });
    const third = await registry.promote('kmeans', c);
    expect(third).toMatchObject({ from: b, changed: true });
    expect((await registry.promote('kmeans', c)).changed).toBe(false);
    expect((await registry.read('kmeans', 'current')).version).toBe(c);
    expect((await registry.list('kmeans')).filter((v) => v.current).map((v) => v.version)).toEqual([c]);

    expect((await registry.rollback('kmeans')).version).toBe(b);
    expect((await registry.rollback('kmeans')).version).toBe(a);
    const none = await rejection(registry.rollback('kmeans'));
    expect(none.code).toBe('registry_no_rollback_target');
    const pointer = await registry.pointer('kmeans');
    expect(pointer?.history.map((e) => `${e.action}:${e.version}:${e.from}`)).toEqual([
      `promote:${a}:null`,
      `promote:${b}:${a}`,
      `promote:${c}:${b}`,
      `rollback:${b}:${c}`,
      `rollback:${a}:${b}`,
    ]);
    expect(pointer?.history[1]?.reason).toBe('gate passed');
  });

  it('never promotes a damaged or unknown version, and keeps the pointer as it was', async () => {
    const [a, b] = (await writeGenerations(2)) as [string, string];
    await registry.promote('kmeans', a);
    writeFileSync(join(root, 'kmeans', b, 'kmeans.json'), '{}');
    expect((await rejection(registry.promote('kmeans', b))).code).toBe('registry_damaged_version');
    expect((await rejection(registry.promote('kmeans', 'nope'))).code).toBe('registry_unknown_version');
    expect((await registry.read('kmeans', 'current')).version).toBe(a);
  });

  it('keeps the last N versions plus the current one and the rollback target', async () => {
    const v = await writeGenerations(7);
    await registry.promote('kmeans', v[0] as string);
    await registry.promote('kmeans', v[1] as string);
    const [result] = await registry.prune(3);
    expect(result?.deleted).toEqual([v[2], v[3]]);
    expect(result?.kept).toEqual([v[0], v[1], v[4], v[5], v[6]]);
    expect(readdirSync(join(root, 'kmeans')).sort()).toEqual(
      ['current.json', v[0], v[1], v[4], v[5], v[6]].sort(),
    );
    expect((await rejection(registry.prune(0))).kind).toBe('config');
  });

  it('repairs a damaged pointer by promoting again', async () => {
    const [a] = (await writeGenerations(1)) as [string];
    writeFileSync(join(root, 'kmeans', 'current.json'), '{"format":1,"model":"kmeans"');
    const damaged = await rejection(registry.read('kmeans', 'current'));
    expect(damaged.code).toBe('registry_bad_pointer');
    expect(damaged.hint).toBe('promote a version again: personae models promote kmeans VERSION');
    expect((await registry.list('kmeans')).map((v) => v.current)).toEqual([false]);
    expect((await registry.promote('kmeans', a)).from).toBeNull();
    expect((await registry.read('kmeans', 'current')).version).toBe(a);
  });

  it('rollback skips versions deleted since they were promoted', async () => {
    const [a, b, c] = (await writeGenerations(3)) as [string, string, string];
    for (const v of [a, b, c]) await registry.promote('kmeans', v);
    rmSync(join(root, 'kmeans', b), { recursive: true });
    expect((await registry.rollback('kmeans')).version).toBe(a);
  });

  it('promotes several models together, and rolls an interrupted promotion forward', async () => {
    const g1 = generationFiles(1);
    const g2 = generationFiles(2);
    const first = {
      kmeans: (await registry.writeVersion('kmeans', g1.kmeans)).version,
      neural: (await registry.writeVersion('neural', g1.neural)).version,
    };
    await registry.promoteMany(first);
    const second = {
      kmeans: (await registry.writeVersion('kmeans', g2.kmeans)).version,
      neural: (await registry.writeVersion('neural', g2.neural)).version,
    };
    // As a crash after the intent and the first pointer would leave it:
    writeFileSync(
      join(root, '.promote-intent.json'),
      JSON.stringify({ format: 1, startedAt: '2024-01-02T00:00:00Z', reason: 'weekly', targets: second }),
    );
    await promote(registry.root, 'kmeans', second.kmeans); // the bare step: no repair first
    expect((await registry.read('neural', 'current')).version).toBe(first.neural);
    const repaired = await registry.repair();
    expect(repaired.rolledForward?.map((r) => [r.model, r.version, r.changed])).toEqual([
      ['kmeans', second.kmeans, false],
      ['neural', second.neural, true],
    ]);
    expect(existsSync(join(root, '.promote-intent.json'))).toBe(false);
    expect((await registry.read('neural', 'current')).version).toBe(second.neural);
    expect((await registry.pointer('neural'))?.history.at(-1)?.reason).toBe('weekly');
    expect(await registry.repair()).toEqual({ removed: [], rolledForward: null, scrubsCompleted: [] });
  });

  it('stores params as JSON, and hashes them as stored (no params, NaN, typed arrays)', async () => {
    for (const [version, params] of [
      ['none', undefined],
      ['nan', { a: Number.NaN }],
      ['typed', { w: new Float64Array([1, 2]) }],
    ] as const) {
      await registry.writeVersion('kmeans', {
        ...generationFiles(1).kmeans,
        artifact: undefined,
        version,
        params,
      });
      expect((await registry.read('kmeans', version)).manifest.params).toEqual(
        version === 'none' ? null : version === 'nan' ? { a: null } : { w: [1, 2] },
      );
    }
  });

  it('stores params with sorted keys so that equal settings give equal manifests', async () => {
    const input = generationFiles(1).kmeans;
    const { manifest } = await registry.writeVersion('kmeans', {
      ...input,
      params: { nInit: 4, maxIter: 100, k: 3 },
    });
    expect(JSON.stringify(manifest.params)).toBe(stableStringify(KMEANS_PARAMS));
  });
});

describe('metricsHistory', () => {
  it('gives the metrics of the last versions, oldest first, and which were promoted', async () => {
    const v: string[] = [];
    for (let g = 1; g <= 4; g++)
      v.push((await registry.writeVersion('neural', generationFiles(g).neural)).version);
    await registry.promote('neural', v[0] as string);
    await registry.promote('neural', v[2] as string);
    const history = await registry.metricsHistory('neural', 3);
    expect(history.map((p) => [p.version, p.asOf, p.promoted, p.current])).toEqual([
      [v[1], '2024-01-21', false, false],
      [v[2], '2024-01-28', true, true],
      [v[3], '2024-02-04', false, false],
    ]);
    expect(history.map((p) => p.metrics.brier)).toEqual([0.12 - 2 / 1000, 0.12 - 3 / 1000, 0.12 - 4 / 1000]);
    expect((await registry.metricsHistory('neural')).map((p) => p.promoted)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
