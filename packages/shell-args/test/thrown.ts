import { ShellArgError } from '../src/index.js';

/** Runs `fn` and returns the ShellArgError it throws; fails the test otherwise. */
export function thrown(fn: () => unknown): ShellArgError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShellArgError) return err;
    throw err;
  }
  throw new Error('expected a ShellArgError, but nothing was thrown');
}
