import { describe, expect, it } from 'vitest';
import { normaliseTotpInput } from '../src/index.js';

describe('normaliseTotpInput', () => {
  it.each([
    ['123 456', '123456'],
    [' 123456 ', '123456'],
    ['123456\n', '123456'],
    ['\t123\r\n456\f', '123456'],
    ['026920', '026920'],
  ])(
    'accepts %j after stripping ASCII whitespace (token with spaces or a newline)',
    (input, token) => {
      expect(normaliseTotpInput(input, 6)).toBe(token);
    },
  );

  it.each(['', '1', '12', '123', '1234', '12345', '1234567', '123456789'])(
    'refuses %j: a short or long token is not a code',
    (input) => {
      expect(normaliseTotpInput(input, 6)).toBeUndefined();
    },
  );

  it.each([
    ['123456\u00a0', 'no-break space is not ASCII whitespace'],
    ['１２３４５６', 'full-width digits'],
    ['١٢٣٤٥٦', 'Arabic-Indic digits'],
    ['12345a', 'a letter'],
    ['+12345', 'a sign'],
    ['12\u000b3456', 'a vertical tab'],
    ['1'.repeat(100), 'an overlong paste'],
  ])('refuses %j (%s)', (input) => {
    expect(normaliseTotpInput(input, 6)).toBeUndefined();
  });

  it.each([[123456], [null], [undefined], [{ code: '123456' }], [['123456']]])(
    'refuses the non-string %j',
    (input) => {
      expect(normaliseTotpInput(input, 6)).toBeUndefined();
    },
  );

  it('keeps the leading zeros of an 8-digit code', () => {
    expect(normaliseTotpInput('0708 1804', 8)).toBe('07081804');
  });
});
