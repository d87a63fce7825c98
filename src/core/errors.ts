/**
 * One error type for everything a user can cause (bad input, bad config, a lock held by another run).
 * The CLI prints `message` and `hint` and exits with the code of `kind`; it never prints a stack trace
 * for a PersonaeError. Anything else that escapes is an internal error (a bug), printed with its stack.
 */
export type ErrorKind = 'input' | 'config' | 'locked' | 'gate' | 'convergence' | 'internal';

export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  input: 2,
  config: 2,
  gate: 3,
  locked: 4,
  convergence: 5,
} as const satisfies Record<ErrorKind | 'ok', number>;

export class PersonaeError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, code: string, message: string, hint?: string) {
    super(message);
    this.name = 'PersonaeError';
    this.kind = kind;
    this.code = code;
    this.hint = hint;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Throws a user-facing input error; `message` must name the file/row/setting, `hint` how to fix it. */
export function inputError(code: string, message: string, hint?: string): never {
  throw new PersonaeError('input', code, message, hint);
}

export function configError(code: string, message: string, hint?: string): never {
  throw new PersonaeError('config', code, message, hint);
}

export function isPersonaeError(error: unknown): error is PersonaeError {
  return error instanceof PersonaeError;
}

/** Renders a value for an error message: short, quoted, never the whole payload. */
export function show(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
