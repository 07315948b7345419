import { StoreError } from './errors.js';

/** The longest delay `setInterval` honours; a longer one fires after 1 ms (Node prints why). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A configuration error naming the owner, the option, the value it got, the rule and the fix.
 * `got` is a description chosen by the caller, so a URL carrying a password is never echoed.
 */
export function storeOptionError(
  owner: string,
  option: string,
  got: string,
  rule: string,
  fix: string,
): StoreError {
  return new StoreError(
    'ERR_STORE_OPTION',
    `${owner}: option ${option} ${rule}, got ${got}; ${fix}`,
  );
}

/**
 * Throws unless `options` is an object whose every key is in `known`: a misspelt option
 * (`maxkeys`, `commandTimeout`) is otherwise ignored in silence and its default applies.
 */
export function assertKnownOptions(owner: string, options: unknown, known: readonly string[]) {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const fix = `pass { ${known.join(', ')} }`;
    throw storeOptionError(owner, 'options', describe(options), 'must be an object', fix);
  }

  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const fix = `use one of ${known.join(', ')}`;
    throw storeOptionError(owner, key, describe(key), 'is not an option', fix);
  }
}

/** `value` when it is a whole number from `min` to `max`, `fallback` when undefined. */
export function wholeOption(
  owner: string,
  option: string,
  value: unknown,
  range: { fallback: number; min: number; max: number },
): number {
  const n = value ?? range.fallback;
  if (Number.isSafeInteger(n) && (n as number) >= range.min && (n as number) <= range.max) {
    return n as number;
  }

  const top = range.max === Number.MAX_SAFE_INTEGER ? '' : ` and at most ${range.max}`;
  const rule = `must be a whole number of at least ${range.min}${top}`;
  throw storeOptionError(owner, option, describe(value), rule, `omit it for ${range.fallback}`);
}

/** Throws unless `value` is a function or undefined. */
export function functionOption(owner: string, option: string, value: unknown, fix: string) {
  if (value === undefined || typeof value === 'function') return;

  throw storeOptionError(owner, option, describe(value), 'must be a function', fix);
}

/** A short description of a value for a message; never a long string in full. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
