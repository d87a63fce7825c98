import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `personae-${label}-`));
}

/** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A CSV file as objects keyed by its header (for files with well-formed lines only). */
export function readCsv(path: string): Record<string, string>[] {
  const [header, ...rows] = readLines(path);
  const names = parseCsvLine(header ?? '');
  return rows.map((line) => {
    const cells = parseCsvLine(line);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

export function ms(timestamp: string): number {
  return Date.parse(`${timestamp.replace(' ', 'T')}Z`);
}
