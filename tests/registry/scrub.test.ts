import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.js';
import { openRegistry, withoutCustomers, type Registry } from '../../src/registry/index.js';
import { rejectedWith as rejection } from '../helpers/errors.js';
import { ERASURE_REQUEST, generationFiles, personasGeneration } from './fixture.js';

let root: string;
let registry: Registry;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'personae-scrub-'));
  registry = openRegistry(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file of the registry root, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length + 1), readFileSync(path));
    }
  }
  return out;
}

// Generation 1 holds c02…c21, generation 2 c03…c22; lifecycle.json only the odd-numbered ones.
const ERASED = ERASURE_REQUEST;

async function twoGenerations(): Promise<[string, string]> {
  const v1 = (await registry.writeVersion('personas', personasGeneration(1))).version;
  const v2 = (await registry.writeVersion('personas', personasGeneration(2))).version;
  await registry.promote('personas', v1);
  await registry.promote('personas', v2);
  return [v1, v2];
}

describe('registry.scrub (erasure)', () => {
  it('removes the erased customers from every retained version, with hand-counted rows per file', async () => {
    const [v1, v2] = await twoGenerations();
    const [result] = await registry.scrub(ERASED, { at: '2024-03-01T00:00:00.000Z' });
    // v1: membership c02, c05, c10 (3), lifecycle c05 (1); v2: membership c05, c10, c22 (3), lifecycle c05 (1).
    expect(result).toEqual({
      model: 'personas',
      versions: 2,
      scrubbed: [
        { version: v1, rowsRemoved: { 'membership.json': 3, 'lifecycle.json': 1 } },
        { version: v2, rowsRemoved: { 'membership.json': 3, 'lifecycle.json': 1 } },
      ],
      rowsRemoved: { 'membership.json': 6, 'lifecycle.json': 2 },
    });

    const loaded = await registry.read('personas', v1);
    const membership = loaded.json<Record<string, string>>('membership.json');
    expect(Object.keys(membership)).toHaveLength(17);
    expect(Object.keys(membership).filter((id) => ERASED.includes(id))).toEqual([]);
    expect(membership.c03).toBe('p0');
    expect(Object.keys(loaded.json<Record<string, string>>('lifecycle.json'))).toHaveLength(9);
    // Same layout as retrain writes it: compact JSON and a newline.
    expect(loaded.text('membership.json')).toBe(`${JSON.stringify(membership)}\n`);
    expect(loaded.manifest.files['membership.json']).toEqual({
      sha256: sha256Hex(loaded.files['membership.json'] as Uint8Array),
      bytes: (loaded.files['membership.json'] as Uint8Array).length,
    });
    expect(loaded.manifest.scrubs).toEqual([
      {
        at: '2024-03-01T00:00:00.000Z',
        reason: 'erasure',
        rowsRemoved: { 'membership.json': 3, 'lifecycle.json': 1 },
      },
    ]);
    // The version keeps its name and stays promoted; nothing in the registry names an erased customer.
    expect((await registry.read('personas', 'current')).version).toBe(v2);
    expect((await registry.list('personas')).map((v) => [v.version, v.problem])).toEqual([
      [v1, undefined],
      [v2, undefined],
    ]);
    for (const [path, bytes] of snapshot(root)) {
      for (const id of ERASED) expect(bytes.includes(`"${id}"`), `${path} names ${id}`).toBe(false);
    }
    expect(readdirSync(join(root, 'personas')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('leaves other files and other models byte-identical, and a second pass changes nothing', async () => {
    const [v1] = await twoGenerations();
    const neural = await registry.writeVersion('neural', generationFiles(1).neural);
    const untouched = (await registry.writeVersion('personas', personasGeneration(30))).version;
    const before = snapshot(root);
    const [other, personas] = await registry.scrub(ERASED); // models in name order
    expect(personas?.scrubbed.map((s) => s.version)).not.toContain(untouched);
    expect(other).toEqual({ model: 'neural', versions: 1, scrubbed: [], rowsRemoved: {} });
    const after = snapshot(root);
    const changed = [...before.keys()].filter((path) => !before.get(path)?.equals(after.get(path) as Buffer));
    expect(changed.sort()).toEqual(
      [v1, (await registry.pointer('personas'))?.version as string]
        .flatMap((v) =>
          ['lifecycle.json', 'manifest.json', 'membership.json'].map((f) => join('personas', v, f)),
        )
        .sort(),
    );
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get(join('neural', neural.version, 'weights.bin'))).toEqual(
      before.get(join('neural', neural.version, 'weights.bin')),
    );

    const again = await registry.scrub(ERASED);
    expect(again.map((r) => r.scrubbed.length)).toEqual([0, 0]);
    const third = snapshot(root);
    expect([...after].every(([path, bytes]) => third.get(path)?.equals(bytes))).toBe(true);
    // A new erasure later adds a second record to the same manifest.
    await registry.scrub(['c03']);
    expect((await registry.read('personas', v1)).manifest.scrubs?.map((s) => s.rowsRemoved)).toEqual([
      { 'membership.json': 3, 'lifecycle.json': 1 },
      { 'membership.json': 1, 'lifecycle.json': 1 },
    ]);
  });

  it('readers running during the swap always get a whole version, original or scrubbed', async () => {
    const outcomes = { original: 0, scrubbed: 0 };
    for (let round = 0; round < 12; round++) {
      const { version } = await registry.writeVersion('personas', personasGeneration(1 + round));
      let done = false;
      const reads = async (): Promise<void> => {
        while (!done) {
          const loaded = await registry.read('personas', version);
          const ids = Object.keys(loaded.json<Record<string, string>>('membership.json'));
          const scrubbed = loaded.manifest.scrubs !== undefined;
          expect(ids.some((id) => ERASED.includes(id))).toBe(!scrubbed);
          outcomes[scrubbed ? 'scrubbed' : 'original']++;
          expect((await registry.list('personas')).map((v) => v.version)).toContain(version);
        }
      };
      const readers = [reads(), reads(), reads()];
      await registry.scrub(ERASED, { model: 'personas' });
      done = true;
      await Promise.all(readers);
    }
    expect(outcomes.original).toBeGreaterThan(0);
    expect(outcomes.scrubbed).toBeGreaterThan(0);
  });

  it('registering a scrubbed version again answers "exists" and does not bring the customers back', async () => {
    const input = personasGeneration(1);
    const { version } = await registry.writeVersion('personas', input);
    await registry.scrub(ERASED);
    const before = snapshot(root);
    const again = await registry.writeVersion('personas', input);
    expect([again.status, again.version, again.manifest.scrubs?.length]).toEqual(['exists', version, 1]);
    expect(snapshot(root)).toEqual(before);
    // Other content under the same name is still a conflict.
    const edited = { ...input, files: { ...input.files, 'personas.json': '{"edited":true}\n' } };
    expect((await rejection(registry.writeVersion('personas', edited))).code).toBe(
      'registry_version_conflict',
    );
  });

  it('no ids, or an empty registry, is nothing to do', async () => {
    expect(await registry.scrub(ERASED)).toEqual([]);
    await twoGenerations();
    const before = snapshot(root);
    expect((await registry.scrub([]))[0]?.scrubbed).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses to leave erased customers in a damaged version, and ignores damage elsewhere', async () => {
    const [v1, v2] = await twoGenerations();
    writeFileSync(join(root, 'personas', v1, 'personas.json'), '{"edited": true}\n');
    // c30 is in neither version: the damaged version is not erasure's business.
    expect((await registry.scrub(['c30']))[0]?.scrubbed).toEqual([]);
    const error = await rejection(registry.scrub(['c05']));
    expect(error.code).toBe('registry_scrub_damaged');
    expect(error.message).toContain(`personas version ${v1} holds customers who asked to be erased`);
    expect(error.hint).toContain(join(root, 'personas', v1));
    expect(readFileSync(join(root, 'personas', v2, 'membership.json'), 'utf8')).toContain('"c05"');
  });

  it('withoutCustomers refuses a customer-level file that is not keyed by customer id', () => {
    const files = { 'membership.json': Buffer.from('[["c01","p1"]]') };
    expect(() => withoutCustomers(files, ['membership.json'], new Set(['c01']), '/models/x/v')).toThrow(
      /membership\.json is not a JSON object keyed by customer id/,
    );
    const kept = withoutCustomers(
      { 'lifecycle.json': Buffer.from('{"c01":"new","c02":"vip"}') },
      ['lifecycle.json', 'membership.json'],
      new Set(['c02']),
      '/models/x/v',
    );
    expect(kept.rowsRemoved).toEqual({ 'lifecycle.json': 1 });
    expect(Buffer.from(kept.files['lifecycle.json'] as Uint8Array).toString()).toBe('{"c01":"new"}');
  });
});
