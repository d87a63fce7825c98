import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { inputError } from '../core/errors.js';

/**
 * A run owns what it writes into `--out`, and only that. `OUT/.personae-outputs.json` records every file
 * Personae wrote there. A run starts by removing the files the record lists (so no output of an earlier run
 * — an export holding a customer erased since — survives it, even when this run fails), notes what is left
 * (files the user put there: never touched), and ends by recording the files it added. A run that dies
 * leaves its record marked as running, with what was there before it: the next run removes the rest.
 *
 * What is "ours" is what the record says, never a guess from names. Only the entries a command writes are
 * looked at (`RUN_ENTRIES` for a run; `validation` for `personae validate`; `report` for `personae report`),
 * so a model registry or a data directory inside `--out` is never taken for an output.
 */
export const RUN_ENTRIES = [
  'run.json',
  'retrain.json',
  'features.parquet',
  'scores.parquet',
  'scores.csv',
  'kpis.parquet',
  'personas.json',
  'validation',
  'exports',
  'report',
] as const;

const RECORD = '.personae-outputs.json';

interface OutputRecord {
  readonly kind: 'personae.outputs';
  readonly files: readonly string[];
  /** Present while a command writes: the entries it writes and the files that were there before it. */
  readonly running?: { readonly entries: readonly string[]; readonly before: readonly string[] };
}

export interface OutputClaim {
  /** Records the files written since the claim (relative to OUT, sorted) and returns them. */
  finish(): Promise<string[]>;
}

/** Claims `entries` of `outDir` for one command: removes their recorded outputs, then notes what is left. */
export async function claimOutputs(outDir: string, entries: readonly string[] = RUN_ENTRIES): Promise<OutputClaim> {
  mkdirSync(outDir, { recursive: true });
  const previous = readRecord(outDir);
  let kept = previous?.files ?? [];
  if (previous?.running) {
    // The command that claimed these entries died: what it added is ours.
    const before = new Set(previous.running.before);
    kept = [...kept, ...listEntries(outDir, previous.running.entries).filter((f) => !before.has(f))];
  }
  refuseUnrecorded(outDir, entries, kept);
  const mine = kept.filter((f) => within(f, entries));
  for (const file of mine) removeFile(outDir, file);
  kept = kept.filter((f) => !within(f, entries));
  const before = listEntries(outDir, entries);
  writeRecord(outDir, { kind: 'personae.outputs', files: kept, running: { entries: [...entries], before } });
  return {
    async finish() {
      const known = new Set(before);
      const written = listEntries(outDir, entries).filter((f) => !known.has(f));
      const files = [...new Set([...kept, ...written])].sort();
      writeRecord(outDir, { kind: 'personae.outputs', files });
      return written;
    },
  };
}

function within(file: string, entries: readonly string[]): boolean {
  return entries.some((e) => file === e || file.startsWith(`${e}/`));
}

/** Files under the entries, relative to OUT with `/` separators, sorted. */
function listEntries(outDir: string, entries: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      files.push(relative(outDir, path).split(sep).join('/'));
    }
  };
  for (const entry of entries) walk(join(outDir, entry));
  return files.sort();
}

/** Removes a recorded file, then the folders it leaves empty (up to OUT, never OUT itself). */
function removeFile(outDir: string, file: string): void {
  const path = join(outDir, ...file.split('/'));
  if (relative(outDir, path).startsWith('..')) return;
  rmSync(path, { force: true });
  for (let dir = dirname(path); relative(outDir, dir) !== '' && !relative(outDir, dir).startsWith('..'); dir = dirname(dir)) {
    if (!existsSync(dir) || readdirSync(dir).length > 0) break;
    rmdirSync(dir);
  }
}

function readRecord(outDir: string): OutputRecord | undefined {
  const path = join(outDir, RECORD);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as OutputRecord;
    if (record.kind === 'personae.outputs' && Array.isArray(record.files)) return record;
  } catch {
    // unreadable: treated as no record, which refuses when outputs of a run are there
  }
  return undefined;
}

function writeRecord(outDir: string, record: OutputRecord): void {
  const path = join(outDir, RECORD);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/**
 * Outputs of a run that kept no record (an older Personae): its manifest or validation summary, there but
 * not recorded. They cannot be told from the user's files, so a command that would rewrite them stops
 * (`personae report` only adds its own files, so it may go on).
 */
function refuseUnrecorded(outDir: string, entries: readonly string[], recorded: readonly string[]): void {
  const marks = ['run.json', 'validation/summary.json'].filter(
    (f) => within(f, entries) && !recorded.includes(f) && existsSync(join(outDir, ...f.split('/'))),
  );
  if (marks.length === 0) return;
  inputError(
    'out_not_owned',
    `${outDir} holds the outputs of an earlier run (${marks.join(', ')}) that did not record which files are its own, so this run cannot remove the ones it will not rewrite (an export may hold a customer erased since)`,
    `Delete or move the earlier outputs (${entries.join(', ')}), or choose another --out.`,
  );
}
