import { HeadersError } from '../../src/errors.js';

/** The HeadersError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): HeadersError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HeadersError) return err;
    throw err;
  }
  throw new Error('expected a HeadersError');
}
