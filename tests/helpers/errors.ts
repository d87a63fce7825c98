import { PersonaeError } from '../../src/core/errors.js';

/** The PersonaeError a promise rejects with; any other outcome fails the test. */
export async function rejectedWith(promise: Promise<unknown>): Promise<PersonaeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PersonaeError) return error;
    throw error;
  }
  throw new Error('expected a PersonaeError');
}

/** The PersonaeError a function throws; any other outcome fails the test. */
export function thrownBy(fn: () => unknown): PersonaeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PersonaeError) return error;
    throw error;
  }
  throw new Error('expected a PersonaeError');
}
