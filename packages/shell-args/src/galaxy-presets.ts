/*
 * Character sets of Galaxy's tool-parameter sanitizer (lib/galaxy/tools/parameters/
 * sanitize.py and galaxy.util), with Python 3's `string` constants spelled out exactly.
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const WHITESPACE = ' \t\n\r\x0b\x0c';

/** Python 3 `string.*` constants Galaxy accepts, by the name a tool XML uses. */
export const PYTHON_STRING_SETS: Readonly<Record<string, string>> = {
  'string.ascii_letters': LOWER + UPPER,
  'string.ascii_lowercase': LOWER,
  'string.ascii_uppercase': UPPER,
  // Galaxy rewrites the Python 2 names to their ascii_ forms before evaluating them.
  'string.letters': LOWER + UPPER,
  'string.lowercase': LOWER,
  'string.uppercase': UPPER,
  'string.digits': DIGITS,
  'string.hexdigits': `${DIGITS}abcdefABCDEF`,
  'string.octdigits': '01234567',
  'string.punctuation': PUNCTUATION,
  'string.whitespace': WHITESPACE,
  'string.printable': DIGITS + LOWER + UPPER + PUNCTUATION + WHITESPACE,
};

/** `VALID_PRESET` of Galaxy: letters, digits and 15 punctuation characters. */
export const VALID_PRESETS: Readonly<Record<string, string>> = {
  default: `${LOWER + UPPER + DIGITS} -=_.()/+*^,:?!`,
  none: '',
};

/** `galaxy.util.mapped_chars`: characters Galaxy replaces by a token instead of `X`. */
export const DEFAULT_MAPPING: Readonly<Record<string, string>> = {
  '>': '__gt__',
  '<': '__lt__',
  "'": '__sq__',
  '"': '__dq__',
  '[': '__ob__',
  ']': '__cb__',
  '{': '__oc__',
  '}': '__cc__',
  '@': '__at__',
  '\n': '__cn__',
  '\r': '__cr__',
  '\t': '__tc__',
  '#': '__pd__',
};

/** `MAPPING_PRESET` of Galaxy. */
export const MAPPING_PRESETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  default: DEFAULT_MAPPING,
  none: {},
};
