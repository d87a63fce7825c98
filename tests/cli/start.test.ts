import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_CONFIG, sampleDataDir } from '../../src/cli/commands/start.js';
import { PACKAGE_ROOT } from '../../src/core/package-info.js';

describe('personae start', () => {
  const root = mkdtempSync(join(tmpdir(), 'personae-start-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads the committed sample of a clone in place', () => {
    const pkg = join(root, 'clone');
    mkdirSync(join(pkg, 'data', 'sample'), { recursive: true });
    writeFileSync(join(pkg, 'data', 'sample', 'orders.parquet'), '');
    expect(sampleDataDir(pkg, join(root, 'elsewhere'))).toEqual({ dir: join(pkg, 'data', 'sample'), generate: false });
  });

  it('without it (the published package), generates the sample under the current directory, once', () => {
    const pkg = join(root, 'node_modules', 'personae-pipeline');
    mkdirSync(pkg, { recursive: true });
    const cwd = join(root, 'project');
    expect(sampleDataDir(pkg, cwd)).toEqual({ dir: join(cwd, 'out', 'sample-data'), generate: true });
    mkdirSync(join(cwd, 'out', 'sample-data'), { recursive: true });
    writeFileSync(join(cwd, 'out', 'sample-data', 'orders.parquet'), '');
    expect(sampleDataDir(pkg, cwd)).toEqual({ dir: join(cwd, 'out', 'sample-data'), generate: false });
  });

  it("uses the package's own sample config, wherever the package is", () => {
    expect(SAMPLE_CONFIG).toBe(join(PACKAGE_ROOT, 'pipelines', 'conf', 'sample.yaml'));
  });
});
