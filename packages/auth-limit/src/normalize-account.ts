import { createHash } from 'node:crypto';

// Longer names are replaced by a digest so that a key stays short whatever a client sends.
const MAX_KEY_CHARS = 200;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Normalises an account name once, the same way for counting and for the app's own lookup:
 * Unicode NFKC (full-width and compatibility forms fold to their plain letters), trim, then
 * a case fold. `Alice`, `alice ` and `ＡＬＩＣＥ` all give `alice`, so spelling variants of
 * one name share one counter (the rack-attack 493 class). Anything that is not a string gives
 * the empty string.
 *
 * The case fold is upper-then-lower, which folds `ß` to `ss` as Unicode full case folding
 * does; the final sigma `ς`, which lower-casing writes at the end of a word, folds to `σ`.
 *
 * @example
 * normalizeAccount('  Alice\u00a0'); // 'alice'
 */
export function normalizeAccount(name: unknown): string {
  if (typeof name !== 'string') return '';
  // Printable ASCII is its own NFKC form and has no special case mappings.
  if (PRINTABLE_ASCII.test(name)) return name.trim().toLowerCase();

  const folded = name.normalize('NFKC').trim().toUpperCase().toLowerCase();
  return folded.replaceAll('\u03c2', '\u03c3').normalize('NFKC');
}

/** The store-key form of a normalised account: the name, or a digest of a very long one. */
export function accountKey(normalized: string): string {
  if (normalized.length <= MAX_KEY_CHARS) return normalized;

  return `sha256:${createHash('sha256').update(normalized).digest('base64url')}`;
}
