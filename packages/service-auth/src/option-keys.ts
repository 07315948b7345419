import { optionError } from './errors.js';

/**
 * Throws unless every own key of `value` is in `known`. A misspelt option is otherwise
 * ignored in silence and its default applies: `clockTolerance: 0` (jose's name) would keep
 * the 5 s tolerance, `jwksUrlOption: { maxStaleMs: 0 }` would keep serving stale keys.
 * Anything that is not an object is left to the caller's own type check.
 *
 * The value is shown by its type only: an unknown key may well hold a key or a token.
 */
export function assertKnownKeys(option: string, value: unknown, known: readonly string[]): void {
  const unknown = firstUnknownKey(value, known);
  if (unknown === undefined) return;

  const name = option === '' ? unknown : `${option}.${unknown}`;
  const given = (value as Record<string, unknown>)[unknown];
  const shown = given === null ? 'null' : typeof given;
  throw optionError(name, shown, 'does not exist', fixFor(unknown, known));
}

/**
 * The option names of an options type, spelt once per name: the compiler refuses a list
 * that misses a member of `T` or names one `T` does not have.
 */
export function optionNames<T>(names: Record<keyof T, true>): readonly string[] {
  return Object.freeze(Object.keys(names));
}

function firstUnknownKey(value: unknown, known: readonly string[]): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;

  return Object.keys(value).find((key) => !known.includes(key));
}

function fixFor(key: string, known: readonly string[]): string {
  const near = nearestName(key, known);
  if (near !== undefined) return `rename it to ${near}`;

  return `remove it, or use one of ${known.join(', ')}`;
}

/**
 * The known name `key` most likely meant: the same name in another case, the name with its
 * unit left off (`clockTolerance` for `clockToleranceSeconds`), or one or two typos away.
 */
export function nearestName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = known.find((name) => name.toLowerCase() === lower);
  if (same !== undefined) return same;

  const unitless = known.filter(
    (name) => lower.length >= 4 && name.toLowerCase().startsWith(lower),
  );
  if (unitless.length === 1) return unitless[0];

  const close = known.filter((name) => editDistance(lower, name.toLowerCase()) <= 2);
  return close.length === 1 ? close[0] : undefined;
}

// Levenshtein distance over two short option names (at most a few dozen characters).
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, substitution));
    }
    previous = row;
  }

  return previous[b.length] as number;
}
