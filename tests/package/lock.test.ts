// The committed lock must describe every platform, not only this one: `npm ci` (npm 11) rebuilds the ideal tree
// from package.json and refuses a lock that lacks another platform's optional package ("Missing: @rollup/…").
// npm writes such a lock when it derives it from an existing node_modules tree (npm/cli#4828, #7961).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as LockEntry;

/** Where Node would find `name` from the package installed at `from` (a lock key such as node_modules/a). */
function resolveInLock(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

describe('package-lock.json', () => {
  it('holds every optional (platform) package of every locked package, so npm ci accepts it anywhere', () => {
    const missing: string[] = [];
    for (const [key, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveInLock(key, name)) missing.push(`${name} (optional dependency of ${key || 'the root package'})`);
      }
    }
    // To fix: `npm install --package-lock-only` re-resolves the lock from package.json for every platform.
    expect(missing).toEqual([]);
  });

  it('declares the same dependencies as package.json', () => {
    const root = lock.packages[''] as LockEntry;
    expect(lock.lockfileVersion).toBe(3);
    expect(root.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(root.optionalDependencies ?? {}).toEqual(manifest.optionalDependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
    expect(root.peerDependencies ?? {}).toEqual(manifest.peerDependencies ?? {});
  });
});
