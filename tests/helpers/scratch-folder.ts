import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest's global setup: every test file's temporary folders (mkdtemp under os.tmpdir(), DuckDB's spill folders,
 * the CLI runs the tests start, Chromium's profiles) go into one folder of this test run, removed when the run
 * ends, so that a run leaves nothing in the system's temporary folder, even when a test fails before its own
 * clean-up. The forks that run the test files, and the processes they start, inherit TMPDIR.
 */
export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'personae-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(folder, { recursive: true, force: true });
  };
}
