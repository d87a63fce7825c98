import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineWriter } from '../../src/io/write-tables.js';
import { tempDir } from './helpers.js';

describe('LineWriter', () => {
  it('writes exactly the lines given, across buffer flushes, huge lines and multi-byte characters', () => {
    const path = join(tempDir('line-writer'), 'out.csv');
    const lines = [
      'header,é',
      'é'.repeat(400_000),
      ...Array.from({ length: 50_000 }, (_, i) => `${i},12,50€,Île-de-France,𝄞`),
      'last',
    ];
    const writer = new LineWriter(path);
    for (const line of lines) writer.write(line);
    writer.close();
    const expected = `${lines.join('\n')}\n`;
    const written = readFileSync(path);
    expect(written.length).toBe(Buffer.byteLength(expected));
    expect(writer.bytes).toBe(written.length);
    expect(written.toString('utf8')).toBe(expected);
  });
});
