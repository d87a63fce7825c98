/**
 * Progress and messages, all on stderr so that stdout stays for the command's result.
 *
 * - `json: true` (the CLI's `--json`): one JSON object per line, for schedulers and log collectors.
 * - otherwise human lines. On a terminal, progress is one status line (label, bar, count) redrawn in place:
 *   a message clears it, is printed, and the status line is drawn again below it, so the two never share a
 *   line. Elsewhere (a log file, a pipe) progress is a plain line per stage, at most every few seconds.
 */
export type LogLevel = 'info' | 'warn' | 'error' | 'progress';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Progress of a step: `done` of `total`; `done === total` ends it. */
  progress(stage: string, done: number, total: number): void;
}

export interface LoggerOptions {
  /** JSON lines instead of human output (default false: JSON only when asked for). */
  json?: boolean;
  /** Only errors. */
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Off a terminal, the least time between two progress lines of one step (default 5 s). */
  progressIntervalMs?: number;
}

const BAR_WIDTH = 24;

/** The status line currently drawn on a terminal stream, shared by every logger writing to it. */
const statusLines = new WeakMap<NodeJS.WritableStream, string>();

/** Erases the progress line drawn on `stream` (before writing to it other than through a logger). */
export function clearProgress(stream: NodeJS.WritableStream = process.stderr): void {
  if (statusLines.has(stream)) {
    stream.write('\r\x1b[2K');
    statusLines.delete(stream);
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? false;
  const quiet = options.quiet ?? false;
  const terminal = !json && stream.isTTY === true;
  const interval = options.progressIntervalMs ?? 5000;
  const lastLine = new Map<string, number>();

  const write = (line: string): void => {
    const status = statusLines.get(stream);
    if (status !== undefined) stream.write('\r\x1b[2K');
    stream.write(`${line}\n`);
    if (status !== undefined) stream.write(status);
  };

  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (quiet && level !== 'error') return;
    if (json) {
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
      return;
    }
    const prefix = level === 'warn' ? 'warning: ' : level === 'error' ? 'error: ' : '';
    write(`${prefix}${message}`);
  };

  /** Off a terminal: the first and last report of a step, and one every `interval` in between. */
  const due = (stage: string, done: number, total: number): boolean => {
    const now = Date.now();
    const last = lastLine.get(stage);
    if (done >= total) {
      lastLine.delete(stage);
      return true;
    }
    if (last !== undefined && now - last < interval) return false;
    lastLine.set(stage, now);
    return true;
  };

  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    progress(stage, done, total) {
      if (quiet) return;
      if (!terminal) {
        if (!due(stage, done, total)) return;
        if (json) emit('progress', stage, { done, total });
        else write(`${stage}: ${done}/${total}`);
        return;
      }
      if (done >= total) {
        clearProgress(stream);
        return;
      }
      const filled = total > 0 ? Math.round((Math.max(0, done) / total) * BAR_WIDTH) : 0;
      const line = `${stage.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
      // A line longer than the terminal wraps, and \r would then erase only its last row.
      const columns = (stream as { columns?: number }).columns;
      const status = columns ? line.slice(0, columns - 1) : line;
      stream.write(`\r\x1b[2K${status}`);
      statusLines.set(stream, status);
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, progress() {} };
