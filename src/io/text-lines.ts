import { createReadStream } from 'node:fs';

const LF = 0x0a;
const CR = 0x0d;

export interface TextLines {
  /** Lines as a text editor counts them: LF or CRLF ends a line; CR alone only in a file without LF. */
  readonly lines: number;
  /** The first line longer than `maxLineBytes` (1-based), and its length in bytes. */
  readonly firstLongLine: { readonly line: number; readonly bytes: number } | undefined;
}

/**
 * Counts a text file's physical lines by its bytes, whatever a CSV parser makes of them: a quoted field
 * holding CRLF inside an LF file (Excel's Alt+Enter) is two lines, as an editor shows it.
 */
export async function scanLines(path: string, maxLineBytes = Number.POSITIVE_INFINITY): Promise<TextLines> {
  let lf = 0;
  let cr = 0;
  let lineLength = 0;
  let lastByte = -1;
  let firstLongLine: TextLines['firstLongLine'];
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const length = lineLength + (i - start);
      if (firstLongLine === undefined && length > maxLineBytes) firstLongLine = { line: lf + 1, bytes: length };
      lf += 1;
      lineLength = 0;
      start = i + 1;
    }
    lineLength += chunk.length - start;
    if (lf === 0) for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) cr += 1;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1] as number;
  }
  if (firstLongLine === undefined && lineLength > maxLineBytes) firstLongLine = { line: lf + 1, bytes: lineLength };
  if (lf === 0 && cr > 0) return { lines: cr + (lastByte === CR ? 0 : 1), firstLongLine };
  return { lines: lf + (lastByte === -1 || lastByte === LF ? 0 : 1), firstLongLine };
}
