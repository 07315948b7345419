// WHATWG "ASCII whitespace": what a person's paste or an app's grouping adds around digits.
const ASCII_WHITESPACE = /[\t\n\f\r ]/g;
const DIGITS = /^[0-9]+$/;
// Anything longer is not a code even after whitespace; refuse before doing any work on it.
const MAX_INPUT_LENGTH = 64;

/**
 * Turns what a person typed into the exact token string, or `undefined` when it cannot be a
 * code: ASCII whitespace is stripped (`123 456`, `123456\n`); any other character, or a
 * length other than `digits`, is refused before any HMAC work. Leading zeros are kept.
 *
 * @example
 * normaliseTotpInput(' 026 920\n', 6); // '026920'
 * normaliseTotpInput('12345', 6); // undefined
 */
export function normaliseTotpInput(input: unknown, digits: number): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return undefined;

  const token = input.replace(ASCII_WHITESPACE, '');
  if (token.length !== digits || !DIGITS.test(token)) return undefined;

  return token;
}
