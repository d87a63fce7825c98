import { createReadStream } from 'node:fs';

const LF = 0x0a;
const CR = 0x0d;

/**
 * The lines of a text file as an editor shows them: `\r\n`, `\n` and a lone `\r` each end a line, and line
 * breaks after the last non-empty line are not lines. A byte scan (no parsing), cheap next to reading the
 * file as CSV; it runs while DuckDB parses the same file.
 */
export async function countLines(path: string): Promise<number> {
  let breaks = 0;
  let trailing = 0;
  let sawContent = false;
  let previous = -1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let chunkBreaks = 0;
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) chunkBreaks++;
    for (let at = chunk.indexOf(CR); at !== -1; at = chunk.indexOf(CR, at + 1)) {
      if (chunk[at + 1] !== LF) chunkBreaks++;
    }
    // A `\r` closing the previous chunk and this chunk's first `\n` are one break, counted on both sides.
    if (previous === CR && chunk[0] === LF) chunkBreaks--;
    breaks += chunkBreaks;
    let end = chunk.length - 1;
    while (end >= 0 && (chunk[end] === LF || chunk[end] === CR)) end--;
    if (end >= 0) {
      sawContent = true;
      trailing = breaksFrom(chunk, end + 1);
    } else {
      trailing += chunkBreaks;
    }
    if (chunk.length > 0) previous = chunk[chunk.length - 1] as number;
  }
  return sawContent ? breaks - trailing + 1 : 0;
}

function breaksFrom(chunk: Buffer, from: number): number {
  let n = 0;
  for (let i = from; i < chunk.length; i++) {
    if (chunk[i] === LF || (chunk[i] === CR && chunk[i + 1] !== LF)) n++;
  }
  return n;
}
