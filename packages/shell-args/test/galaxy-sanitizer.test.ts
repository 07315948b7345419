import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PYTHON_STRING_SETS } from '../src/galaxy-presets.js';
import { createGalaxySanitizer, sanitizeGalaxy } from '../src/index.js';
import { thrown } from './thrown.js';

const PRINTABLE =
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' +
  '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c';

function sorted(text: string): string {
  return [...text].sort().join('');
}

describe('sanitizeGalaxy with Galaxy defaults', () => {
  it.each([
    ['AC[TG]', 'AC__ob__TG__cb__'],
    ["c1=='chr22'", 'c1==__sq__chr22__sq__'],
    ['100.00%', '100.00X'],
    ['$rm&#!', 'XrmX__pd__!'],
    ['<>', '__lt____gt__'],
    ['a\tb\nc\r', 'a__tc__b__cn__c__cr__'],
    ['{x}@y', '__oc__x__cc____at__y'],
    ['"q"', '__dq__q__dq__'],
    [';|&$`\\~%', 'XXXXXXXX'],
    [' -=_.()/+*^,:?!', ' -=_.()/+*^,:?!'],
    ['ü', 'X'],
    ['😀', 'X'],
    ['e\u0301', 'eX'],
    ['a\u00a0b', 'aXb'],
    ['\0', 'X'],
    ['', ''],
  ])('turns %j into %j, as Galaxy does', (input, output) => {
    expect(sanitizeGalaxy(input).value).toBe(output);
  });

  it('lets a sed program through unchanged: sanitizing is no defence (1e touch x)', () => {
    expect(sanitizeGalaxy('1e touch x')).toEqual({ value: '1e touch x', changes: [] });
  });

  it('never restores mapped tokens a user typed', () => {
    expect(sanitizeGalaxy('__sq__; __dq__').value).toBe('__sq__X __dq__');
  });

  it('reports every change with its offset in the original string', () => {
    expect(sanitizeGalaxy('AC[TG]').changes).toEqual([
      { index: 2, from: '[', to: '__ob__', reason: 'mapped' },
      { index: 5, from: ']', to: '__cb__', reason: 'mapped' },
    ]);
    expect(sanitizeGalaxy('a😀b%').changes).toEqual([
      { index: 1, from: '😀', to: 'X', reason: 'invalid' },
      { index: 4, from: '%', to: 'X', reason: 'invalid' },
    ]);
  });

  it('sanitizes each list item and each object value, naming the item in changes', () => {
    expect(sanitizeGalaxy(['a b', 'c<d'])).toEqual({
      value: ['a b', 'c__lt__d'],
      changes: [{ item: 1, index: 1, from: '<', to: '__lt__', reason: 'mapped' }],
    });
    const result = sanitizeGalaxy(JSON.parse('{"x": "\'", "__proto__": "%"}'));
    expect(result.value).toEqual(JSON.parse('{"x": "__sq__", "__proto__": "X"}'));
    expect(Object.keys(result.value)).toEqual(['x', '__proto__']);
    expect(result.changes.map((change) => change.item)).toEqual(['x', '__proto__']);
  });

  it('writes only valid characters and reports a change exactly when it alters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const { value, changes } = sanitizeGalaxy(input);
        expect(value).toMatch(/^[A-Za-z0-9 \-=_.()/+*^,:?!]*$/);
        expect(changes.length === 0).toBe(value === input);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sanitizeGalaxy with <sanitizer> options', () => {
  it('reproduces Galaxy doctest 1: invalid_char="" and valid string.ascii_letters', () => {
    const options = {
      invalidChar: '',
      valid: { initial: 'string.ascii_letters' },
      mapping: { initial: 'none' },
    };
    expect(sanitizeGalaxy(sorted(PRINTABLE), options).value).toBe(
      sorted('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    );
  });

  it('reproduces Galaxy doctest 2: printable minus quote and backslash, both escaped', () => {
    const options = {
      valid: {
        initial: 'none',
        add: [{ preset: 'string.printable' }],
        remove: [{ value: '"' }, { value: '\\' }],
      },
      mapping: {
        initial: 'none',
        add: [
          { source: '"', target: '\\"' },
          { source: '\\', target: '\\\\' },
        ],
      },
    };
    expect([...sanitizeGalaxy('\\"$rm&#!', options).value]).toEqual([
      '\\',
      '\\',
      '\\',
      '"',
      '$',
      'r',
      'm',
      '&',
      '#',
      '!',
    ]);
  });

  it.each([
    [{ sanitize: false }, 'a<b%', 'a<b%'],
    [{ invalidChar: '' }, '100.00%', '100.00'],
    [{ invalidChar: '?' }, '50%', '50?'],
    [{ valid: { initial: 'string.hexdigits' } }, '0x1F g', '0X1FXX'],
    [{ valid: { initial: 'string.letters' } }, 'ab1', 'abX'],
    [{ valid: { initial: 'string.digits, string.ascii_lowercase' } }, 'aB3', 'aX3'],
    [{ valid: { initial: 'string.octdigits' } }, '0789', '07XX'],
    [{ valid: { initial: 'string.whitespace' } }, ' \t\x0bq', ' \t\x0bX'],
    [{ valid: { initial: 'string.punctuation' } }, '%a', '%X'],
    [{ valid: { remove: [{ value: '()' }] } }, 'f(x)', 'fXxX'],
    [{ valid: { add: [{ value: '@' }] } }, 'a@b', 'a@b'],
    [{ valid: { add: [{ preset: 'string.punctuation' }] } }, '[x]', '[x]'],
    [{ mapping: { add: [{ source: '%', target: 'pct' }] } }, '5%', '5pct'],
    [{ mapping: { remove: [{ source: '#' }] } }, '#x', 'Xx'],
    [{ mapping: { remove: [{ preset: 'default' }] } }, "'<", 'XX'],
    [{ mapping: { initial: 'none', add: [{ preset: 'default' }] } }, '<', '__lt__'],
  ])('applies %j', (options, input, output) => {
    expect(sanitizeGalaxy(input, options).value).toBe(output);
  });

  it('never maps a character that is in the valid set', () => {
    const options = { valid: { add: [{ value: "'" }] } };
    expect(sanitizeGalaxy("it's", options)).toEqual({ value: "it's", changes: [] });
  });

  it.each([
    [
      { valid: { initial: 'string.ascii' } },
      /valid\.initial names an unknown preset "string\.ascii"/,
    ],
    [{ valid: { add: [{ preset: 'strings' }] } }, /valid\.add names an unknown preset/],
    [{ mapping: { initial: 'html' } }, /mapping\.initial names an unknown mapping preset "html"/],
    [{ mapping: { add: [{ source: 'ab', target: 'x' }] } }, /exactly one character/],
    [{ mapping: { remove: [{ source: '' }] } }, /exactly one character/],
    [{ invalidChar: 0 }, /option invalidChar is number/],
    [{ sanitize: 'no' }, /option sanitize is string/],
  ])('refuses the bad options %j at once', (options, message) => {
    const err = thrown(() => sanitizeGalaxy('x', options as never));
    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toMatch(/^@galaxy-harden\/shell-args sanitizeGalaxy: option /);
    expect(err.message).toMatch(message);
  });

  it.each([
    [3, /^sanitizeGalaxy: value must be a string, got number/],
    [['a', null], /^sanitizeGalaxy: item 1 must be a string, got null/],
    [{ k: 1 }, /^sanitizeGalaxy: item "k" must be a string, got number/],
  ])('refuses the value %j', (value, message) => {
    const err = thrown(() => sanitizeGalaxy(value as never));
    expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(err.message).toMatch(message);
  });
});

// Bug class: preset lists Galaxy reads were refused as unknown presets, so a tool XML could
// not be translated as written (get_valid_by_name cuts each name at ';' and skips empty
// names; get_mapping_by_name takes a comma-separated list too).
describe('preset names read the way Galaxy reads them', () => {
  it.each([
    [{ valid: { initial: 'string.digits;rm -rf /' } }, 'a1;', 'X1X'],
    [{ valid: { initial: 'string.digits ; x, string.ascii_lowercase' } }, 'aB3', 'aX3'],
    [{ valid: { initial: 'string.digits,' } }, 'a1', 'X1'],
    [{ valid: { initial: '' } }, 'a1', 'XX'],
    [{ valid: { add: [{ preset: 'string.digits;x' }] } }, '%1', 'X1'],
    [{ mapping: { initial: 'none, default' } }, '<', '__lt__'],
    [{ mapping: { initial: '' } }, '<', 'X'],
    [{ mapping: { remove: [{ preset: 'none,default' }] } }, '<', 'X'],
  ])('applies %j', (options, input, output) => {
    expect(sanitizeGalaxy(input, options).value).toBe(output);
  });

  it('cuts only valid names at ";", as Galaxy does, so "html;x" is an unknown mapping', () => {
    const err = thrown(() => sanitizeGalaxy('x', { mapping: { initial: 'default,html;x' } }));
    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toMatch(/mapping\.initial names an unknown mapping preset "html;x"/);
  });
});

const python = spawnSync('python3', ['-c', 'import string'], { stdio: 'ignore' }).status === 0;

describe.runIf(python || process.env.CI)("Python 3's string module", () => {
  it('defines exactly the string.* sets the sanitizer uses', () => {
    const names = Object.keys(PYTHON_STRING_SETS).map((name) =>
      name.replace(/^string\.(letters|lowercase|uppercase)$/, 'string.ascii_$1'),
    );
    const list = JSON.stringify(names);
    const code = `import json, string\nprint(json.dumps([eval(n) for n in ${list}]))`;
    const run = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(Object.values(PYTHON_STRING_SETS));
  });
});

describe('createGalaxySanitizer', () => {
  it('checks the options once, at creation', () => {
    const err = thrown(() => createGalaxySanitizer({ valid: { initial: 'string.letter' } }));
    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toMatch(/valid\.initial names an unknown preset "string\.letter"/);
  });

  it('returns a sanitizer for strings, lists and objects', () => {
    const sanitize = createGalaxySanitizer({ invalidChar: '' });
    expect(sanitize('100.00%').value).toBe('100.00');
    expect(sanitize(['a%', 'b']).value).toEqual(['a', 'b']);
    expect(sanitize({ k: '<' }).value).toEqual({ k: '__lt__' });
  });
});
