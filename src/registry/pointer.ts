/** The `current.json` pointer of a model: the promoted version, the rollback stack and a short history. */
import { z } from 'zod';
import { PersonaeError } from '../core/errors.js';
import { writeFileAtomic } from './durable.js';
import { readJsonFile } from './json-file.js';
import { pointerPath } from './layout.js';

/** Earlier promoted versions kept for rollback, and history events kept for `models show`. */
const MAX_STACK = 20;
const MAX_HISTORY = 50;

const eventSchema = z.object({
  at: z.string(),
  action: z.enum(['promote', 'rollback']),
  version: z.string(),
  from: z.string().nullable(),
  reason: z.string().nullable(),
});

export const pointerSchema = z.object({
  format: z.literal(1),
  model: z.string(),
  version: z.string(),
  promotedAt: z.string(),
  /** Versions promoted before the current one, oldest first; rollback pops the last. */
  previous: z.array(z.string()),
  history: z.array(eventSchema),
});

export type Pointer = z.infer<typeof pointerSchema>;
export type PromotionEvent = z.infer<typeof eventSchema>;

/** The pointer of `model`, or null when nothing was promoted yet. */
export async function readPointer(root: string, model: string): Promise<Pointer | null> {
  const path = pointerPath(root, model);
  const damaged = (): PersonaeError =>
    new PersonaeError(
      'input',
      'registry_bad_pointer',
      `${path} is damaged (not a valid promotion pointer for model ${model})`,
      `promote a version again: personae models promote ${model} VERSION`,
    );
  const pointer = await readJsonFile(path, pointerSchema, damaged);
  if (pointer !== null && pointer.model !== model) throw damaged();
  return pointer;
}

/** Like readPointer, but a damaged pointer reads as none (for listing, and for promoting over it). */
export async function readPointerLenient(root: string, model: string): Promise<Pointer | null> {
  return readPointer(root, model).catch((error: unknown) => {
    if (error instanceof PersonaeError && error.code === 'registry_bad_pointer') return null;
    throw error;
  });
}

/** The pointer after promoting `version` on top of `current` (pure). */
export function pointerAfterPromote(
  model: string,
  current: Pointer | null,
  version: string,
  at: string,
  reason: string | null,
): Pointer {
  const previous = current ? [...current.previous, current.version].slice(-MAX_STACK) : [];
  const event: PromotionEvent = { at, action: 'promote', version, from: current?.version ?? null, reason };
  return {
    format: 1,
    model,
    version,
    promotedAt: at,
    previous,
    history: [...(current?.history ?? []), event].slice(-MAX_HISTORY),
  };
}

/** The pointer after rolling back to `target`, dropping the stack down to (and including) it (pure). */
export function pointerAfterRollback(
  current: Pointer,
  target: string,
  at: string,
  reason: string | null,
): Pointer {
  const index = current.previous.lastIndexOf(target);
  const event: PromotionEvent = { at, action: 'rollback', version: target, from: current.version, reason };
  return {
    ...current,
    version: target,
    promotedAt: at,
    previous: current.previous.slice(0, Math.max(0, index)),
    history: [...current.history, event].slice(-MAX_HISTORY),
  };
}

/** Replaces the pointer atomically. Crash steps: `current:tmp-created`, `mid-file:current`, `before-fsync:current`, `current:before-rename`, `current:after-rename`. */
export async function writePointer(root: string, pointer: Pointer): Promise<void> {
  await writeFileAtomic(
    pointerPath(root, pointer.model),
    Buffer.from(`${JSON.stringify(pointer, null, 2)}\n`),
    'current',
  );
}
