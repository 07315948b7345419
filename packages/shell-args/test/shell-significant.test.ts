import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertNoShellSignificant, detectShellSignificant, quote } from '../src/index.js';
import { thrown } from './thrown.js';

describe('detectShellSignificant', () => {
  it.each([
    ["'", 'quote'],
    ['"', 'quote'],
    ['\\', 'escape'],
    ['$', 'expansion'],
    ['`', 'expansion'],
    [';', 'separator'],
    ['&', 'separator'],
    ['|', 'separator'],
    ['\n', 'separator'],
    ['<', 'redirection'],
    ['>', 'redirection'],
    ['*', 'glob'],
    ['?', 'glob'],
    ['[', 'glob'],
    [']', 'glob'],
    ['^', 'glob'],
    ['(', 'grouping'],
    [')', 'grouping'],
    [' ', 'whitespace'],
    ['\t', 'whitespace'],
    ['\r', 'control'],
    ['\x1b', 'control'],
    ['\x7f', 'control'],
    ['\0', 'control'],
    ['#', 'comment'],
    ['~', 'tilde'],
    ['{', 'brace'],
    ['}', 'brace'],
    ['!', 'history'],
    ['=', 'assignment'],
    ['%', 'job'],
    ['\u00a0', 'non-ascii'],
    ['😀', 'non-ascii'],
    ['\ud800', 'non-ascii'],
  ])('classifies %j as %s', (char, category) => {
    expect(detectShellSignificant(char)).toEqual([{ index: 0, char, category }]);
  });

  it('lists every finding with its UTF-16 offset', () => {
    expect(detectShellSignificant('a b;😀$')).toEqual([
      { index: 1, char: ' ', category: 'whitespace' },
      { index: 3, char: ';', category: 'separator' },
      { index: 4, char: '😀', category: 'non-ascii' },
      { index: 6, char: '$', category: 'expansion' },
    ]);
  });

  it('treats % as a job spec only at the start', () => {
    expect(detectShellSignificant('50%')).toEqual([]);
  });

  it.each(['sample_01.R1.fastq.gz', '/data/x', 'a,b+c:d@e', '-rf', '', '50%'])(
    'finds nothing in %j',
    (value) => {
      expect(detectShellSignificant(value)).toEqual([]);
    },
  );

  it('flags a value exactly when quote would quote it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (value) => {
        fc.pre(!value.includes('\0'));
        expect(detectShellSignificant(value).length > 0).toBe(quote(value) !== value);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a non-string', () => {
    expect(thrown(() => detectShellSignificant(1 as never)).code).toBe('ERR_SHELL_ARG_TYPE');
  });
});

describe('assertNoShellSignificant', () => {
  it('returns a plain value unchanged', () => {
    expect(assertNoShellSignificant('sample_01')).toBe('sample_01');
  });

  it('throws ERR_SHELL_ARG_SIGNIFICANT with every finding attached', () => {
    const err = thrown(() => assertNoShellSignificant('a b;c'));
    expect(err.code).toBe('ERR_SHELL_ARG_SIGNIFICANT');
    expect(err.message).toBe(
      'value has 2 shell-significant character(s): " " at 1 (whitespace), ";" at 3 ' +
        '(separator); reject it, or quote it (quote, sh) if such values are legitimate',
    );
    expect(err.findings).toEqual(detectShellSignificant('a b;c'));
  });

  it('shows five findings and counts the rest', () => {
    const err = thrown(() => assertNoShellSignificant(';'.repeat(8)));
    expect(err.message).toMatch(/8 shell-significant .*, and 3 more;/);
    expect(err.findings).toHaveLength(8);
  });
});
