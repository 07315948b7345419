/*
 * Unknown option keys. A misspelt flag (`{ ignorecase: true }`, `{ allowLeadingdash: true }`)
 * would otherwise be dropped in silence and its safer or looser default would apply, so every
 * helper refuses keys it does not read, and names the nearest one it does.
 */
import { showValue } from './errors.js';

// Identifier-like keys are shown as written; anything else JSON-escaped, so a key holding a
// newline or control character cannot forge a line in the log that records the error.
function shownKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : showValue(key);
}

/** Levenshtein distance between two short names, case folded. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const replace = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min(replace, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[y.length] as number;
}

/** The known name closest to `key` (at most two edits away, case aside), if any. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = distance(key, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * The first key of `options` not in `known`, as `[shown key, fix]`; `undefined` when all
 * are known. The fix lists the known names and, when one is close, suggests it.
 */
export function unknownKey(
  options: object,
  known: readonly string[],
): [key: string, fix: string] | undefined {
  const key = Object.keys(options).find((name) => !known.includes(name));
  if (key === undefined) return undefined;

  const near = nearestKey(key, known);
  const list = `use one of ${known.join(', ')}`;
  return [shownKey(key), near === undefined ? list : `${list} (did you mean ${near}?)`];
}
