import { ShellArgError, type ShellCharCategory, type ShellSignificantChar } from './errors.js';

const CATEGORY_OF: ReadonlyArray<[string, ShellCharCategory]> = [
  ['\'"', 'quote'],
  ['\\', 'escape'],
  ['$`', 'expansion'],
  [';&|\n', 'separator'],
  ['<>', 'redirection'],
  ['*?[]^', 'glob'],
  ['()', 'grouping'],
  [' \t', 'whitespace'],
  ['#', 'comment'],
  ['~', 'tilde'],
  ['{}', 'brace'],
  ['!', 'history'],
  ['=', 'assignment'],
];

// One entry per ASCII code: the category, or undefined for characters `quote` leaves bare.
const TABLE: ReadonlyArray<ShellCharCategory | undefined> = (() => {
  const table: Array<ShellCharCategory | undefined> = new Array(128).fill(undefined);
  for (let code = 0; code < 32; code++) table[code] = 'control';
  table[127] = 'control';
  for (const [chars, category] of CATEGORY_OF) {
    for (const c of chars) table[c.charCodeAt(0)] = category;
  }
  return table;
})();

function categoryOf(c: string, index: number): ShellCharCategory | undefined {
  const code = c.codePointAt(0)!;
  if (code >= 128) return 'non-ascii';
  // `%1` names a job in bash, zsh and ksh; elsewhere `%` is ordinary.
  if (c === '%') return index === 0 ? 'job' : undefined;

  return TABLE[code];
}

/**
 * Lists every character of `value` that a POSIX-family shell would treat specially if the
 * value were left unquoted, with its offset and what it does: for audit events, and for
 * strict endpoints that reject such values instead of quoting them. Exactly the characters
 * that make `quote` add quotes. Never throws on content (NUL and lone surrogates are listed).
 *
 * @example
 * detectShellSignificant('a;b'); // [{ index: 1, char: ';', category: 'separator' }]
 */
export function detectShellSignificant(value: string): ShellSignificantChar[] {
  if (typeof value !== 'string') {
    throw new ShellArgError('ERR_SHELL_ARG_TYPE', 'detectShellSignificant: value must be a string');
  }

  const found: ShellSignificantChar[] = [];
  let index = 0;
  for (const char of value) {
    const category = categoryOf(char, index);
    if (category !== undefined) found.push({ index, char, category });
    index += char.length;
  }
  return found;
}

function describe(finding: ShellSignificantChar): string {
  return `${JSON.stringify(finding.char)} at ${finding.index} (${finding.category})`;
}

/**
 * Throws `ERR_SHELL_ARG_SIGNIFICANT` when `value` holds any shell-significant character; the
 * error's `findings` lists them all. For endpoints that accept only plain values.
 *
 * @example
 * assertNoShellSignificant(sampleName); // throws for 'a b' (whitespace at 1)
 */
export function assertNoShellSignificant(value: string): string {
  const findings = detectShellSignificant(value);
  if (findings.length === 0) return value;

  const shown = findings.slice(0, 5).map(describe).join(', ');
  const more = findings.length > 5 ? `, and ${findings.length - 5} more` : '';
  throw new ShellArgError(
    'ERR_SHELL_ARG_SIGNIFICANT',
    `value has ${findings.length} shell-significant character(s): ${shown}${more}; reject it, ` +
      'or quote it (quote, sh) if such values are legitimate',
    { findings },
  );
}
