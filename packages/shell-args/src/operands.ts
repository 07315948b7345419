import { ShellArgError, typeName } from './errors.js';
import { checkPositional } from './positional.js';

/**
 * Checks the file operands of a helper. They always follow `--`, so a leading dash is read
 * as a file name, not an option; NUL, lone surrogates and non-strings are still refused.
 */
export function checkOperands(fn: string, files: unknown): string[] {
  if (files === undefined) return [];
  if (!Array.isArray(files)) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_OPTION',
      `@galaxy-harden/shell-args ${fn}: option files must be an array of strings, got ` +
        `${typeName(files)}; pass [] to read stdin`,
    );
  }

  return files.map((file: unknown, i) =>
    checkPositional(file as string, { allowLeadingDash: true, name: `${fn}: files[${i}]` }),
  );
}
