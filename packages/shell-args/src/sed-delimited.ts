/*
 * Finds where a delimited part of a sed script ends (`/regex/`, `s/regex/replacement/`,
 * `y/src/dst/`). A backslash always takes the next character; an unescaped newline ends
 * nothing and makes the script unparseable. GNU sed 4.9 also skips delimiters inside
 * bracket expressions of regexes (`s/[/]/x/`), which older seds do not: regexes are read
 * both ways and refused when the two readings disagree, so no sed can see a different end.
 */

/** Result of scanning a delimited part: index of the closing delimiter, or a failure. */
export type PartEnd = number | 'unterminated' | 'newline' | 'ambiguous';

function bracketEnd(text: string, open: number): number {
  let k = open + 1;
  if (text[k] === '^') k++;
  if (text[k] === ']') k++;
  while (k < text.length) {
    const c = text[k];
    if (c === '\n') return -1;
    if (c === ']') return k + 1;

    const kind = text[k + 1];
    if (c === '[' && (kind === ':' || kind === '.' || kind === '=')) {
      const close = text.indexOf(`${kind}]`, k + 2);
      if (close === -1 || text.slice(k, close).includes('\n')) return -1;
      k = close + 2;
      continue;
    }
    k++;
  }
  return -1;
}

function scan(text: string, start: number, delim: string, brackets: boolean): PartEnd {
  let j = start;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') {
      if (j + 1 >= text.length) return 'unterminated';
      j += 2;
      continue;
    }
    if (c === delim) return j;
    if (c === '\n') return 'newline';
    if (brackets && c === '[') {
      const end = bracketEnd(text, j);
      if (end === -1) return 'unterminated';
      j = end;
      continue;
    }
    j++;
  }
  return 'unterminated';
}

/** End of a regex part: both bracket readings must agree. */
export function regexEnd(text: string, start: number, delim: string): PartEnd {
  const plain = scan(text, start, delim, false);
  if (delim === '[') return plain;

  const bracketed = scan(text, start, delim, true);
  return plain === bracketed ? plain : 'ambiguous';
}

/** End of a replacement or `y` part: no bracket expressions there. */
export function textEnd(text: string, start: number, delim: string): PartEnd {
  return scan(text, start, delim, false);
}
