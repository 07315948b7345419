import { describe, expect, it } from 'vitest';
import {
  awkCommand,
  checkPositional,
  createGalaxySanitizer,
  grepCommand,
  sanitizeGalaxy,
  sedCommand,
} from '../src/index.js';
import { thrown } from './thrown.js';

const PKG = '@galaxy-harden/shell-args';

// Bug class: a misspelt option key was dropped in silence and its default applied, so
// `{ fixedstrings: true }` ran the pattern as a regex and `{ Quiet: true }` printed every
// line. Every options object now refuses keys it does not read, naming the nearest one.
describe('misspelt option keys', () => {
  it.each([
    [
      () => sedCommand({ script: 'p', Quiet: true } as never),
      `${PKG} sedArgv: option Quiet is not an option; use one of script, files, quiet, ` +
        'extendedRegex (did you mean quiet?)',
    ],
    [
      () => sedCommand({ scripts: 's/a/b/' } as never),
      `${PKG} sedArgv: option scripts is not an option; use one of script, files, quiet, ` +
        'extendedRegex (did you mean script?)',
    ],
    [
      () => grepCommand({ pattern: 'a.b', fixedstrings: true } as never),
      `${PKG} grepArgv: option fixedstrings is not an option; use one of pattern, files, ` +
        'ignoreCase, invert, count, fixedStrings, extendedRegex, lineNumbers ' +
        '(did you mean fixedStrings?)',
    ],
    [
      () => grepCommand({ pattern: 'x', file: ['a'] } as never),
      `${PKG} grepArgv: option file is not an option; use one of pattern, files, ` +
        'ignoreCase, invert, count, fixedStrings, extendedRegex, lineNumbers ' +
        '(did you mean files?)',
    ],
    [
      () => awkCommand({ program: '{ print }', awkpath: '/usr/bin/gawk' } as never),
      `${PKG} awkArgv: option awkpath is not an option; use one of program, files, awkPath ` +
        '(did you mean awkPath?)',
    ],
    [
      () => checkPositional('-rf', { allowLeadingDashes: true } as never),
      `${PKG} checkPositional: option allowLeadingDashes is not an option; use one of ` +
        'allowLeadingDash, name (did you mean allowLeadingDash?)',
    ],
    [
      () => createGalaxySanitizer({ invalidchar: '' } as never),
      `${PKG} sanitizeGalaxy: option invalidchar is not an option; use one of sanitize, ` +
        'invalidChar, valid, mapping (did you mean invalidChar?)',
    ],
    [
      () => sanitizeGalaxy('x', { valid: { intial: 'none' } } as never),
      `${PKG} sanitizeGalaxy: option valid.intial is not an option; use one of initial, add, ` +
        'remove (did you mean initial?)',
    ],
  ])('refuses case %# with ERR_SHELL_ARG_OPTION and names the nearest key', (make, message) => {
    const err = thrown(make);

    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toBe(message);
  });

  it('lists the known keys without a guess when none is close', () => {
    const err = thrown(() => sedCommand({ script: 'p', sandbox: false } as never));

    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toBe(
      `${PKG} sedArgv: option sandbox is not an option; use one of script, files, quiet, ` +
        'extendedRegex',
    );
  });

  it('checks the keys before anything else, so no other error hides the typo', () => {
    const err = thrown(() => grepCommand({ patern: 'x' } as never));

    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toMatch(/option patern is not an option; .*\(did you mean pattern\?\)$/);
  });

  it('shows a key with control characters escaped, so it cannot forge a log line', () => {
    const err = thrown(() => grepCommand({ pattern: 'x', 'ignore\nCase': true } as never));

    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('option "ignore\\nCase" is not an option');
  });

  // `shape[key] !== undefined` found Object.prototype's members, so these passed unchecked.
  it.each(['constructor', 'toString', 'hasOwnProperty'])(
    'refuses the inherited name %s in sanitizer options',
    (key) => {
      for (const options of [{ [key]: 'x' }, { valid: { [key]: 'x' } }]) {
        const err = thrown(() => createGalaxySanitizer(options as never));
        expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
        expect(err.message).toMatch(new RegExp(`option (valid\\.)?${key} is not an option`));
      }
    },
  );

  it('still accepts every documented key', () => {
    const sed = { script: 'p', files: ['a'], quiet: true, extendedRegex: true };
    const grep = {
      pattern: 'x',
      files: ['a'],
      ignoreCase: true,
      invert: true,
      count: true,
      fixedStrings: true,
      extendedRegex: true,
      lineNumbers: true,
    };

    expect(sedCommand(sed)).toBe('sed --sandbox -n -E -e p -- a');
    expect(grepCommand(grep)).toBe('grep -i -v -c -F -E -n -e x -- a');
    expect(checkPositional('-x', { allowLeadingDash: true, name: 'flag' })).toBe('-x');
  });
});
