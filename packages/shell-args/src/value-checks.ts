import { ShellArgError, typeName } from './errors.js';
import { unknownKey } from './option-keys.js';

// ES2024 String methods present in Node >= 20 but not in the ES2023 lib this package targets.
interface WellFormedString {
  isWellFormed(): boolean;
}

/** True when `value` holds no lone UTF-16 surrogate (native check, linear time). */
export function isWellFormed(value: string): boolean {
  return (value as unknown as WellFormedString).isWellFormed();
}

/** Offset of the first lone surrogate, for error messages only. */
function firstLoneSurrogate(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;

    const next = value.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Throws `ERR_SHELL_ARG_TYPE` unless `value` is a string; `role` names it in the message. */
export function assertString(value: unknown, role: string): asserts value is string {
  if (typeof value === 'string') return;

  throw new ShellArgError(
    'ERR_SHELL_ARG_TYPE',
    `${role} must be a string, got ${typeName(value)}; convert it explicitly before quoting`,
  );
}

/**
 * Throws unless `value` can travel through argv unchanged: a NUL would cut the argument
 * short (argv strings are C strings) and a lone surrogate would be silently replaced by
 * U+FFFD when Node encodes the command line as UTF-8.
 */
export function assertArgContent(value: string, role: string): void {
  const nul = value.indexOf('\0');
  if (nul !== -1) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_NUL',
      `${role} contains a NUL character at offset ${nul}; argv cannot carry NUL, so the ` +
        'value would be cut short: reject the input or pass the data through a file or stdin',
    );
  }
  if (isWellFormed(value)) return;

  throw new ShellArgError(
    'ERR_SHELL_ARG_ENCODING',
    `${role} contains a lone UTF-16 surrogate at offset ${firstLoneSurrogate(value)}; it ` +
      'cannot be encoded as UTF-8 without being replaced by U+FFFD: reject the input',
  );
}

/** `assertString` then `assertArgContent`. */
export function assertArg(value: unknown, role: string): asserts value is string {
  assertString(value, role);
  assertArgContent(value, role);
}

/** Throws `ERR_SHELL_ARG_OPTION` unless an optional boolean option is a boolean. */
export function assertBooleanOption(fn: string, option: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;

  throw new ShellArgError(
    'ERR_SHELL_ARG_OPTION',
    `@galaxy-harden/shell-args ${fn}: option ${option} must be true or false, got ` +
      `${typeName(value)}; pass a boolean or leave it out`,
  );
}

/**
 * Throws `ERR_SHELL_ARG_OPTION` unless a helper got an options object whose every key is one
 * of `known`; an unknown key is named with the nearest known one.
 */
export function assertOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_OPTION',
      `@galaxy-harden/shell-args ${fn}: expected an options object, got ${typeName(options)}`,
    );
  }

  const unknown = unknownKey(options, known);
  if (unknown === undefined) return;

  throw new ShellArgError(
    'ERR_SHELL_ARG_OPTION',
    `@galaxy-harden/shell-args ${fn}: option ${unknown[0]} is not an option; ${unknown[1]}`,
  );
}
