import { optionError } from './errors.js';

// Visible ASCII only: a name ends up in `iss`, `sub`, `aud`, store keys and log lines, where
// spaces, control characters or look-alike Unicode would make two names seem equal.
const NAME = /^[\x21-\x7e]{1,256}$/;

/**
 * Checks a component name (`galaxy`, `job-runner`, `spiffe://cluster.local/ns/galaxy/sa/web`)
 * and returns it unchanged.
 */
export function checkName(option: string, value: unknown): string {
  if (typeof value === 'string' && NAME.test(value)) return value;

  throw optionError(
    option,
    value,
    'must be 1 to 256 visible ASCII characters',
    'use the component name, e.g. "job-runner"',
  );
}
