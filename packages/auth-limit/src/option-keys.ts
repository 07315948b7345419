import { optionError } from './errors.js';

/** The options `AttemptLimiter` reads. */
export const LIMITER_KEYS = [
  'store',
  'keyPrefix',
  'accountAddress',
  'account',
  'knownAddressTtlMs',
  'ipv6Subnet',
  'storeErrorPolicy',
  'storeRetryAfterSeconds',
  'now',
  'onEvent',
] as const;

/** The keys of a failure limit (`accountAddress`); `account` also takes `mode`. */
export const FAILURE_LIMIT_KEYS = ['threshold', 'waitIncrementMs', 'maxWaitMs', 'quietPeriodMs'];

/**
 * Throws unless `value` is an object (or `undefined`) whose every key is in `known`.
 * A misspelt option is otherwise ignored in silence and its default applies:
 * `accountAddress: { treshold: 3 }` keeps 10, and express-rate-limit's habit
 * `loginLimiter({ limit: 5, windowMs })` keeps 100 per 15 minutes.
 */
export function assertKnownKeys(option: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(option, value, 'must be an object', `pass { ${known.join(', ')} }`);
  }

  for (const [key, given] of Object.entries(value)) {
    if (!known.includes(key)) throw unknownKey(option, key, given, known);
  }
}

function unknownKey(option: string, key: string, given: unknown, known: readonly string[]) {
  const name = option === 'options' ? key : `${option}.${key}`;
  const near = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
  const home = near ?? (known.includes('perAddress') ? erlName(key) : undefined);
  const fix = home ? `did you mean ${home}?` : `use one of ${known.join(', ')}`;

  return optionError(name, given, 'is not an option', fix);
}

// express-rate-limit's top-level names, which users of loginLimiter carry over by habit.
function erlName(key: string): string | undefined {
  if (key === 'limit' || key === 'max') return 'perAddress.limit';
  return key === 'windowMs' ? 'perAddress.windowMs' : undefined;
}

/** Levenshtein distance, for "did you mean": option names are short. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(swap, (row[j] as number) + 1, (next[j - 1] as number) + 1));
    }
    row = next;
  }
  return row[b.length] as number;
}
