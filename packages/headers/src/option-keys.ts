import { optionError } from './errors.js';

/**
 * Throws unless `value` is a plain object whose every key is in `known` (or `undefined`, when
 * not `required`).
 * A misspelt option is otherwise ignored in silence, and for HSTS that is a year-long
 * mistake: `{ includeSubdomains: false }` would keep `includeSubDomains` on every answer.
 * `hsts: false` (helmet's way to turn a header off) is refused the same way.
 */
export function assertKnownKeys(
  option: string,
  value: unknown,
  known: readonly string[],
  required = false,
): void {
  if (value === undefined && !required) return;
  if (!isPlainObject(value)) {
    const fix = `pass an object with some of ${known.join(', ')}`;
    throw optionError(option === '' ? 'options' : option, value, 'it must be an object', fix);
  }

  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw unknownKey(option, key, value[key], known);
  }
}

function unknownKey(option: string, key: string, value: unknown, known: readonly string[]) {
  const near = known.find((name) => name.toLowerCase() === key.toLowerCase());
  const name = option === '' ? key : `${option}.${key}`;
  const fix = near ? `rename it to ${near}` : `remove it, or use one of ${known.join(', ')}`;

  return optionError(name, value, 'no such option exists', fix);
}

/**
 * The option names of an options type, spelt once per name: the compiler refuses a list
 * that misses a member of `T` or names one `T` does not have.
 */
export function optionNames<T>(names: Record<keyof T, true>): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/** True for `{}` literals and `Object.create(null)`, not arrays, strings or class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;

  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `options` without the keys in `drop`, for passing one layer's options to the next. */
export function withoutKeys<T extends object>(options: T, drop: readonly string[]): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!drop.includes(key)) copy[key] = value;
  }
  return copy as T;
}
