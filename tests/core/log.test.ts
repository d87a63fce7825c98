import { describe, expect, it } from 'vitest';
import { clearProgress, createLogger } from '../../src/core/log.js';

/** A stream that records what is written; `isTTY` decides terminal behaviour. */
function recorder(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, text: () => chunks.join('') };
}

/** What a terminal shows: \r returns to the line start, ESC[2K erases the line. */
function screen(text: string): string[] {
  const lines: string[] = [''];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (text.startsWith('\x1b[2K', i)) {
      lines[lines.length - 1] = '';
      i += 3;
    } else if (c === '\r') lines[lines.length - 1] = '';
    else if (c === '\n') lines.push('');
    else lines[lines.length - 1] += c;
  }
  return lines;
}

describe('createLogger', () => {
  it('writes human lines, not JSON, when stderr is not a terminal and --json was not given', () => {
    const out = recorder(false);
    const log = createLogger({ stream: out.stream });
    log.info('validated: 10 customers');
    log.warn('orders: 2 rows quarantined');
    expect(out.text()).toBe('validated: 10 customers\nwarning: orders: 2 rows quarantined\n');
  });

  it('writes JSON lines only when asked', () => {
    const out = recorder(true);
    const log = createLogger({ stream: out.stream, json: true });
    log.info('hello', { n: 1 });
    log.progress('stage features', 0, 9);
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ level, message }) => [level, message])).toEqual([
      ['info', 'hello'],
      ['progress', 'stage features'],
    ]);
    expect(lines[0]?.n).toBe(1);
    expect(lines[1]).toMatchObject({ done: 0, total: 9 });
  });

  it('on a terminal, a message clears the progress bar, is printed on its own line, and the bar is drawn again', () => {
    const out = recorder(true, 80);
    const log = createLogger({ stream: out.stream });
    log.progress('clustering: choosing k', 3, 18);
    log.info('features: 4077 customers × 71 features');
    log.progress('clustering: choosing k', 4, 18);
    const shown = screen(out.text());
    expect(shown[0]).toBe('features: 4077 customers × 71 features');
    expect(shown[1]).toMatch(/^clustering: choosing k\s+\[#####\.+\] 4\/18$/);
    expect(shown).toHaveLength(2);
    // The end of a step erases its bar: the next message starts a clean line.
    log.progress('clustering: choosing k', 18, 18);
    log.info('clustering: k = 6');
    expect(screen(out.text())).toEqual(['features: 4077 customers × 71 features', 'clustering: k = 6', '']);
  });

  it('clearProgress erases a bar left by a step that did not finish (before an error message)', () => {
    const out = recorder(true, 80);
    createLogger({ stream: out.stream }).progress('stage timing', 3, 9);
    clearProgress(out.stream);
    out.stream.write('error: boom\n');
    expect(screen(out.text())).toEqual(['error: boom', '']);
  });

  it('keeps the bar within the terminal width, so that \\r can erase it', () => {
    const out = recorder(true, 30);
    createLogger({ stream: out.stream }).progress('a stage with a rather long name', 1, 2);
    expect(Math.max(...screen(out.text()).map((l) => l.length))).toBeLessThanOrEqual(29);
  });

  it('off a terminal, reports a step when it starts, when it ends, and at most every interval between', () => {
    const out = recorder(false);
    const log = createLogger({ stream: out.stream, progressIntervalMs: 60_000 });
    for (let epoch = 0; epoch <= 40; epoch++) log.progress('neural timing model', epoch, 40);
    expect(out.text()).toBe('neural timing model: 0/40\nneural timing model: 40/40\n');
  });

  it('quiet keeps only errors', () => {
    const out = recorder(true);
    const log = createLogger({ stream: out.stream, quiet: true });
    log.info('a');
    log.progress('b', 1, 2);
    log.error('c');
    expect(out.text()).toBe('error: c\n');
  });
});
