import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLines } from '../../src/io/text-lines.js';
import { tempDir } from '../helpers/data-dir.js';

function file(content: string | Buffer): string {
  const path = join(tempDir('personae-lines-'), 'f.csv');
  writeFileSync(path, content);
  return path;
}

describe('scanLines', () => {
  it.each([
    ['LF', 'a,b\n1,x\n2,y\n', 3],
    ['CRLF', 'a,b\r\n1,x\r\n2,y\r\n', 3],
    ['CRLF inside a quoted field of an LF file', 'a,b\n1,"x\r\ny"\n2,z\n', 4],
    ['CR only (old Mac)', 'a,b\r1,x\r2,y\r', 3],
    ['no line break at the end', 'a,b\n1,x\n2,y', 3],
    ['a blank last line', 'a,b\n1,x\n\n', 3],
    ['empty', '', 0],
  ])('%s: counts lines as an editor does', async (_, content, lines) => {
    expect((await scanLines(file(content))).lines).toBe(lines);
  });

  it('finds the first line longer than a limit, across read chunks', async () => {
    const long = 'y'.repeat(200_000); // longer than one 64 KiB read chunk
    const path = file(`a,b\n1,x\n2,${long}\n3,${long}z\n4,z`);
    expect(await scanLines(path, 150_000)).toEqual({ lines: 5, firstLongLine: { line: 3, bytes: 200_002 } });
    expect((await scanLines(path, 300_000)).firstLongLine).toBeUndefined();
    expect((await scanLines(file(`a,b\n1,${long}`), 1000)).firstLongLine).toEqual({ line: 2, bytes: 200_002 });
  });
});
