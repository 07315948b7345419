import { describe, expect, it } from 'vitest';
import { createGalaxySanitizer, sanitizeGalaxy } from '../src/index.js';
import { thrown } from './thrown.js';

// Bug class: sanitizer options of the wrong shape were ignored (a misspelt key, a string
// where a list goes, half a mapping) or crashed with a bare TypeError, so a tool silently
// got a different sanitizer. Each must be a configuration error at creation.
describe('sanitizer options that were silently ignored or crashed', () => {
  it.each([
    [{ invalidchar: '' }, /^option invalidchar is not an option; use one of sanitize, invalid/],
    [{ valid: 'string.digits' }, /^option valid is string; pass an object/],
    [{ valid: { initial: 5 } }, /^option valid\.initial is number; pass a string/],
    [{ valid: { Initial: 'none' } }, /^option valid\.Initial is not an option; use one of init/],
    [{ valid: { add: '%' } }, /^option valid\.add is string; pass an array of objects/],
    [{ valid: { add: ['%'] } }, /^option valid\.add\[0\] is string; pass an object/],
    [{ valid: { add: [{ value: 5 }] } }, /^option valid\.add\[0\]\.value is number; pass a st/],
    [{ valid: { remove: [{ values: '%' }] } }, /^option valid\.remove\[0\]\.values is not an/],
    [{ mapping: 'none' }, /^option mapping is string; pass an object/],
    [{ mapping: { initial: 1 } }, /^option mapping\.initial is number; pass a string/],
    [{ mapping: { add: 'x' } }, /^option mapping\.add is string; pass an array of objects/],
    [{ mapping: { add: [{ source: '%', target: 5 }] } }, /^option mapping\.add\[0\]\.target is/],
    [{ mapping: { add: [{ source: '%' }] } }, /^option mapping\.add\[0\] has only one of sou/],
    [{ mapping: { add: [{ target: 'pct' }] } }, /^option mapping\.add\[0\] has only one of sou/],
    [{ mapping: { remove: [{ source: '<', target: 'x' }] } }, /remove\[0\]\.target is not an/],
    [[], /^option object is an array; pass an options object or nothing/],
  ])('refuses %j with ERR_SHELL_ARG_OPTION', (options, message) => {
    for (const make of [
      () => sanitizeGalaxy('x', options as never),
      () => createGalaxySanitizer(options as never),
    ]) {
      const err = thrown(make);
      expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
      expect(err.message.replace('@galaxy-harden/shell-args sanitizeGalaxy: ', '')).toMatch(
        message,
      );
    }
  });

  it('still accepts every documented option', () => {
    const sanitize = createGalaxySanitizer({
      sanitize: true,
      invalidChar: '',
      valid: { initial: 'none', add: [{ preset: 'string.digits', value: '.' }], remove: [] },
      mapping: {
        initial: 'none',
        add: [{ preset: 'default' }, { source: '%', target: 'pct' }],
        remove: [{ source: '#' }, { preset: 'none' }],
      },
    });
    expect(sanitize('1.5% #<x').value).toBe('1.5pct__lt__');
  });
});
