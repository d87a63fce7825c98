import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a data directory of small CSV files (name → lines) into a fresh temp dir. */
export function writeDataDir(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'personae-data-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

export function tempDir(prefix = 'personae-out-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
