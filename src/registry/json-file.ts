import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { PersonaeError } from '../core/errors.js';

/**
 * Reads a small JSON control file (pointer, intent) and validates it: null when the file does not exist,
 * the error from `invalid` when it is not valid JSON or does not fit `schema`.
 */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  invalid: () => PersonaeError,
): Promise<z.infer<S> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
