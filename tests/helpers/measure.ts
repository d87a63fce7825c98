import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Measured {
  readonly code: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stderr: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Runs `personae <args>` in a child process of its own and returns its exit code, times and peak RSS. */
export async function measuredCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'personae-measure-'));
  const out = join(dir, 'usage.json');
  try {
    const stderr: string[] = [];
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'measured-cli.ts'), ...args], {
        env: { ...process.env, ...env, PERSONAE_MEASURE_OUT: out },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve(status ?? 1));
    });
    const usage = JSON.parse(readFileSync(out, 'utf8')) as Omit<Measured, 'stderr'>;
    return { ...usage, code, stderr: stderr.join('') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
