// The API reference (typedoc, `npm run docs` → docs/api/, built by CI) must build without a warning: a
// {@link} to a name that is not exported, or a broken comment, fails here, before it reaches CI.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TYPEDOC = fileURLToPath(new URL('../../node_modules/typedoc/bin/typedoc', import.meta.url));

describe('the API reference', () => {
  it('builds from the doc comments of src/index.ts without a warning', async () => {
    const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [TYPEDOC, '--emit', 'none', '--logLevel', 'Warn'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
      child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code, output }));
    });
    expect(output.split('\n').filter((line) => /warning|error/i.test(line))).toEqual([]);
    expect(status).toBe(0);
  }, 600_000);
});
