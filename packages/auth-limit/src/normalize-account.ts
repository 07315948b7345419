import { createHash } from 'node:crypto';

// Longer names are replaced by a digest so that a key stays short whatever a client sends.
const MAX_KEY_CHARS = 200;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// Characters that render as nothing (zero-width space and joiners, soft hyphen, word joiner,
// variation selectors, bidi marks, BOM) and control characters. LDAP's matching rules map
// them to nothing (RFC 4518 §2.2) and PRECIS refuses them in user names (RFC 8264 §9.13):
// kept, `al\u200bice` would be an endless supply of fresh counters for `alice`.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;
// Not `\s`: in JavaScript it also matches U+FEFF, which is an invisible character to strip,
// not a space to keep.
const SPACES = /\p{White_Space}+/gu;
const DOUBLE_SPACE = / {2,}/g;

/**
 * Normalises an account name once, the same way for counting and for the app's own lookup:
 * Unicode NFKC (full-width and compatibility forms fold to their plain letters), every run
 * of white space made one space, invisible and control characters dropped, trim, then a case
 * fold. `Alice`, `alice `, `ＡＬＩＣＥ` and `al\u200bice` all give `alice`, so spelling
 * variants of one name share one counter (the rack-attack 493 class). Anything that is not a
 * string gives the empty string.
 *
 * The case fold is upper-then-lower, which folds `ß` to `ss` as Unicode full case folding
 * does; the capital `ẞ`, which lower-cases to `ß`, folds to `ss` as well, and the final
 * sigma `ς`, which lower-casing writes at the end of a word, folds to `σ`.
 * Accents stay: `josé` and `jose` are two names.
 *
 * @example
 * normalizeAccount('  Alice\u00a0'); // 'alice'
 */
export function normalizeAccount(name: unknown): string {
  if (typeof name !== 'string') return '';
  // Printable ASCII is its own NFKC form and has no special case mappings.
  if (PRINTABLE_ASCII.test(name)) return name.replace(DOUBLE_SPACE, ' ').trim().toLowerCase();

  const visible = name.normalize('NFKC').replace(SPACES, ' ').replace(INVISIBLE, '');
  const folded = visible.replace(DOUBLE_SPACE, ' ').trim().toUpperCase().toLowerCase();
  return folded.replaceAll('\u00df', 'ss').replaceAll('\u03c2', '\u03c3').normalize('NFKC');
}

/** The store-key form of a normalised account: the name, or a digest of a very long one. */
export function accountKey(normalized: string): string {
  if (normalized.length <= MAX_KEY_CHARS) return normalized;

  return `sha256:${createHash('sha256').update(normalized).digest('base64url')}`;
}
