/*
 * Checks the options of `sanitizeGalaxy` / `createGalaxySanitizer` once, at construction. A
 * misspelt key, a wrong type or half a mapping would otherwise be ignored and silently change
 * what reaches a tool, so each is a configuration error naming the option and the fix.
 */
import { ShellArgError, typeName } from './errors.js';
import type { GalaxySanitizerOptions } from './galaxy-sanitizer.js';
import { unknownKey } from './option-keys.js';

/** An `ERR_SHELL_ARG_OPTION` naming the package, the function, the option and the fix. */
export function optionError(option: string, got: string, fix: string): ShellArgError {
  return new ShellArgError(
    'ERR_SHELL_ARG_OPTION',
    `@galaxy-harden/shell-args sanitizeGalaxy: option ${option} ${got}; ${fix}`,
  );
}

type Shape = Readonly<Record<string, 'string' | 'boolean' | 'set' | 'actions'>>;

const TOP: Shape = { sanitize: 'boolean', invalidChar: 'string', valid: 'set', mapping: 'set' };
const SET: Shape = { initial: 'string', add: 'actions', remove: 'actions' };
const ACTION: Readonly<Record<string, Shape>> = {
  'valid.add': { preset: 'string', value: 'string' },
  'valid.remove': { preset: 'string', value: 'string' },
  'mapping.add': { preset: 'string', source: 'string', target: 'string' },
  'mapping.remove': { preset: 'string', source: 'string' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkObject(value: unknown, option: string, shape: Shape): Record<string, unknown> {
  if (!isRecord(value)) {
    throw optionError(option, `is ${typeName(value)}`, 'pass an object (see the README)');
  }
  const unknown = unknownKey(value, Object.keys(shape));
  if (unknown === undefined) return value;

  throw optionError(`${option}.${unknown[0]}`, 'is not an option', unknown[1]);
}

function checkActions(value: unknown, option: string): void {
  if (!Array.isArray(value)) {
    throw optionError(option, `is ${typeName(value)}`, 'pass an array of objects');
  }

  value.forEach((action, i) => {
    const name = `${option}[${i}]`;
    checkFields(checkObject(action, name, ACTION[option]!), name, ACTION[option]!);
    // Galaxy ignores an <add> with a source but no target (or the reverse): say so instead.
    if (
      option === 'mapping.add' &&
      (action.source === undefined) !== (action.target === undefined)
    ) {
      throw optionError(name, 'has only one of source and target', 'give both, or neither');
    }
  });
}

function checkFields(value: Record<string, unknown>, option: string, shape: Shape): void {
  for (const [key, kind] of Object.entries(shape)) {
    const field = value[key];
    const name = option === '' ? key : `${option}.${key}`;
    if (field === undefined) continue;
    if (kind === 'set') checkFields(checkObject(field, name, SET), name, SET);
    else if (kind === 'actions') checkActions(field, name);
    else if (typeof field !== kind) {
      throw optionError(name, `is ${typeName(field)}`, `pass a ${kind}`);
    }
  }
}

/**
 * Throws `ERR_SHELL_ARG_OPTION` unless `options` has only known keys of the right types.
 *
 * @example
 * checkSanitizerOptions({ invalidchar: '' }); // throws: option invalidchar is not an option
 */
export function checkSanitizerOptions(options: unknown): asserts options is GalaxySanitizerOptions {
  if (!isRecord(options)) {
    throw optionError('object', `is ${typeName(options)}`, 'pass an options object or nothing');
  }

  const unknown = unknownKey(options, Object.keys(TOP));
  if (unknown !== undefined) throw optionError(unknown[0], 'is not an option', unknown[1]);

  checkFields(options, '', TOP);
}
