import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectShellSignificant, quote, quoteArgs } from '../src/index.js';
import { thrown } from './thrown.js';

describe('quote', () => {
  it.each([
    ['sample_01.R1.fastq.gz'],
    ['/data/run7/reads.fa'],
    ['chr1:100-200'],
    ['user@example.org'],
    ['a,b+c'],
    ['--'],
    ['-rf'],
    ['50%'],
    ['0.05'],
  ])('leaves the safe value %j bare', (value) => {
    expect(quote(value)).toBe(value);
  });

  it.each([
    ['', "''"],
    ['a b', "'a b'"],
    ["x'; touch PWNED #", "'x'\\''; touch PWNED #'"],
    ["'", "''\\'''"],
    ['$(id)', "'$(id)'"],
    ['a\nid', "'a\nid'"],
    ['a\rb', "'a\rb'"],
    ['\x1b[31m', "'\x1b[31m'"],
    ['~root', "'~root'"],
    ['out=~/x', "'out=~/x'"],
    ['{a,b}', "'{a,b}'"],
    ['a\u00a0b', "'a\u00a0b'"],
    ['=ls', "'=ls'"],
    ['^x', "'^x'"],
    ['x#', "'x#'"],
    ['foo~bar', "'foo~bar'"],
    ['*(N)', "'*(N)'"],
    ['!!', "'!!'"],
    ['%1', "'%1'"],
    ['a=b', "'a=b'"],
    ['ü', "'ü'"],
  ])('single-quotes %j', (value, quoted) => {
    expect(quote(value)).toBe(quoted);
  });

  it('gives the empty string as one empty argument, not nothing', () => {
    expect(quoteArgs(['grep', '-e', '', '--', 'f'])).toBe("grep -e '' -- f");
  });

  it('passes leading dashes unchanged: refusing them is checkPositional', () => {
    expect(quoteArgs(['--', '-rf', '-oProxyCommand=touch x'])).toBe(
      "-- -rf '-oProxyCommand=touch x'",
    );
  });

  it.each([
    ['a\0b', 'ERR_SHELL_ARG_NUL', /NUL character at offset 1/],
    ['\0', 'ERR_SHELL_ARG_NUL', /argv cannot carry NUL/],
    ['a\ud800b', 'ERR_SHELL_ARG_ENCODING', /lone UTF-16 surrogate at offset 1/],
    ['\udc00', 'ERR_SHELL_ARG_ENCODING', /replaced by U\+FFFD/],
    ['ok\ud83d', 'ERR_SHELL_ARG_ENCODING', /offset 2/],
  ])('refuses %j instead of altering it', (value, code, message) => {
    const err = thrown(() => quote(value));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('keeps a well-formed surrogate pair', () => {
    expect(quote('😀')).toBe("'😀'");
  });

  it.each([[undefined], [null], [42], [{}], [['a']], [Symbol('s')]])(
    'refuses the non-string %s with ERR_SHELL_ARG_TYPE',
    (value) => {
      const err = thrown(() => quote(value as unknown as string));
      expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
      expect(err.message).toMatch(/^quote: value must be a string/);
    },
  );

  it('quotes 100 000 spaces then ~ in one linear pass (shescape ReDoS class)', () => {
    const value = `${' '.repeat(100_000)}~`;
    expect(quote(value)).toBe(`'${value}'`);
    const bare = `${'a'.repeat(1_000_000)}~`;
    expect(quote(bare)).toBe(`'${bare}'`);
  });

  it('leaves a value bare exactly when no character is shell-significant', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', minLength: 1 }), (value) => {
        fc.pre(!value.includes('\0'));
        const bare = quote(value) === value;
        expect(bare).toBe(detectShellSignificant(value).length === 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('quoteArgs', () => {
  it('joins quoted words with single spaces', () => {
    expect(quoteArgs(['printf', '%s\\n', 'a b', ''])).toBe("printf '%s\\n' 'a b' ''");
  });

  it('gives the empty string for no words', () => {
    expect(quoteArgs([])).toBe('');
  });

  it('names the offending item', () => {
    const err = thrown(() => quoteArgs(['a', 'b\0']));
    expect(err.code).toBe('ERR_SHELL_ARG_NUL');
    expect(err.message).toMatch(/^quoteArgs: values\[1\] contains a NUL/);
    const typed = thrown(() => quoteArgs(['a', 3 as unknown as string]));
    expect(typed.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(typed.message).toMatch(/^quoteArgs: values\[1\] must be a string, got number/);
  });

  it('refuses a non-array', () => {
    const err = thrown(() => quoteArgs('a b' as unknown as string[]));
    expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(err.message).toMatch(/must be an array of strings, got string/);
  });
});
