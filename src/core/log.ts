/**
 * Progress and messages: human lines on a terminal, JSON lines otherwise (or with --json).
 * Everything goes to stderr so that stdout stays for the command's result.
 */
export type LogLevel = 'info' | 'warn' | 'error' | 'progress';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A stage's progress; `done`/`total` draw a bar on a terminal. */
  progress(stage: string, done: number, total: number): void;
}

export interface LoggerOptions {
  json?: boolean;
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !stream.isTTY;
  const quiet = options.quiet ?? false;
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (quiet && level !== 'error') return;
    if (json) {
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
      return;
    }
    const prefix = level === 'warn' ? 'warning: ' : level === 'error' ? 'error: ' : '';
    stream.write(`${prefix}${message}\n`);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    progress(stage, done, total) {
      if (quiet) return;
      if (json) {
        if (done === total || done === 0) emit('progress', stage, { done, total });
        return;
      }
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      stream.write(`\r${stage.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) stream.write('\n');
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, progress() {} };
