import type { AttemptStore } from '@galaxy-harden/store';
import { checkIpv6Subnet } from './address-key.js';
import { optionError } from './errors.js';
import type { AuthLimitEventHandler } from './events.js';
import { assertKnownKeys, FAILURE_LIMIT_KEYS, LIMITER_KEYS } from './option-keys.js';

/**
 * Progressive waits of one failure counter (Keycloak's brute-force detection model).
 *
 * @example
 * const strict: FailureLimit = { threshold: 5, maxWaitMs: 3_600_000 };
 */
export interface FailureLimit {
  /** Wrong secrets after which waits begin; defaults to 10 (`accountAddress`), 30 (`account`). */
  threshold?: number;
  /** Wait added per `threshold` failures, in milliseconds; defaults to 60 000. */
  waitIncrementMs?: number;
  /** Longest wait, in milliseconds; defaults to 900 000 (15 minutes). */
  maxWaitMs?: number;
  /**
   * Failures are forgotten this long after the last one, in milliseconds; defaults to
   * 43 200 000 (12 hours).
   */
  quietPeriodMs?: number;
}

/**
 * The account-wide limit: a failure limit plus what it does to unknown addresses.
 *
 * @example
 * const account: AccountLimit = { threshold: 50, mode: 'step-up' };
 */
export interface AccountLimit extends FailureLimit {
  /**
   * `slow`: unknown addresses wait between attempts once the threshold is reached.
   * `step-up`: they are let through with `stepUp: true`, and the app asks for more proof.
   * Defaults to `'slow'`.
   */
  mode?: 'slow' | 'step-up';
}

/**
 * What the limiter does when its store fails; see the README's "Store failures".
 *
 * @example
 * new AttemptLimiter({ store, storeErrorPolicy: 'local-fallback' });
 */
export type StoreErrorPolicy = 'fail-closed' | 'local-fallback' | 'unsafe-fail-open';

/**
 * Options of {@link AttemptLimiter} (and of the Express `loginLimiter`).
 *
 * @example
 * const options: AttemptLimiterOptions = { keyPrefix: 'mfa', accountAddress: { threshold: 5 } };
 */
export interface AttemptLimiterOptions {
  /** Where counters live; defaults to a new `MemoryStore` (one process only). */
  store?: AttemptStore;
  /** Names this limiter's counters and events; defaults to `login`. Use `mfa` for codes. */
  keyPrefix?: string;
  /**
   * Consecutive wrong secrets per account from one address. Defaults to `{ threshold: 10 }`
   * with the {@link FailureLimit} defaults for the rest.
   */
  accountAddress?: FailureLimit;
  /**
   * Wrong secrets per account from all addresses. Defaults to `{ threshold: 30, mode: 'slow' }`
   * with the {@link FailureLimit} defaults for the rest.
   */
  account?: AccountLimit;
  /** How long a successful login marks its address as the owner's; defaults to 30 days. */
  knownAddressTtlMs?: number;
  /** IPv6 prefix length counted as one client; defaults to 56. */
  ipv6Subnet?: number;
  /** What to do when the store fails; defaults to `fail-closed`. */
  storeErrorPolicy?: StoreErrorPolicy;
  /** `Retry-After` of a refusal for a failed store, in seconds; defaults to 5. */
  storeRetryAfterSeconds?: number;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Receives the security events (`auth.failure`, `auth.blocked`, ...); defaults to none. */
  onEvent?: AuthLimitEventHandler;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  store: AttemptStore | undefined;
  keyPrefix: string;
  accountAddress: Required<FailureLimit>;
  account: Required<AccountLimit>;
  knownAddressTtlMs: number;
  ipv6Subnet: number;
  storeErrorPolicy: StoreErrorPolicy;
  storeRetryAfterSeconds: number;
  now: () => number;
  onEvent: AuthLimitEventHandler | undefined;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POLICIES: readonly StoreErrorPolicy[] = ['fail-closed', 'local-fallback', 'unsafe-fail-open'];

/**
 * Applies defaults and refuses any option that is unknown, out of range or would never
 * block. `extraKeys` are the options a caller (the Express adapter) reads itself.
 */
export function resolveOptions(
  options: AttemptLimiterOptions,
  extraKeys: readonly string[] = [],
): ResolvedOptions {
  assertKnownKeys('options', options ?? null, [...LIMITER_KEYS, ...extraKeys]);
  const accountAddress = failureLimit('accountAddress', options.accountAddress, 10);
  const account = { ...failureLimit('account', options.account, 30), mode: mode(options.account) };
  if (account.threshold < accountAddress.threshold) {
    throw optionError(
      'account.threshold',
      account.threshold,
      `must not be below accountAddress.threshold (${accountAddress.threshold})`,
      'raise it: the account-wide limit is meant for guesses spread over many addresses',
    );
  }

  return {
    store: store(options.store),
    keyPrefix: keyPrefix(options.keyPrefix),
    accountAddress,
    account,
    knownAddressTtlMs: duration('knownAddressTtlMs', options.knownAddressTtlMs, 30 * DAY),
    ipv6Subnet: checkIpv6Subnet(options.ipv6Subnet),
    storeErrorPolicy: policy(options.storeErrorPolicy),
    storeRetryAfterSeconds: seconds(options.storeRetryAfterSeconds),
    now: clock(options.now),
    onEvent: handler(options.onEvent),
  };
}

function failureLimit(name: string, limit: FailureLimit = {}, threshold: number) {
  const keys = name === 'account' ? [...FAILURE_LIMIT_KEYS, 'mode'] : FAILURE_LIMIT_KEYS;
  assertKnownKeys(name, limit, keys);

  return {
    threshold: count(`${name}.threshold`, limit.threshold, threshold),
    waitIncrementMs: duration(`${name}.waitIncrementMs`, limit.waitIncrementMs, MINUTE),
    maxWaitMs: duration(`${name}.maxWaitMs`, limit.maxWaitMs, 15 * MINUTE),
    quietPeriodMs: duration(`${name}.quietPeriodMs`, limit.quietPeriodMs, 12 * HOUR),
  };
}

function count(name: string, value: unknown, fallback: number): number {
  const n = value ?? fallback;
  if (Number.isSafeInteger(n) && (n as number) >= 1) return n as number;

  throw optionError(name, value, 'must be a whole number of at least 1', 'the default is 10');
}

// Zero, negative or infinite durations would give a limit that never blocks (Keycloak
// 30969): refused here instead of silently turning the protection off.
function duration(name: string, value: unknown, fallback: number): number {
  const n = value ?? fallback;
  if (Number.isSafeInteger(n) && (n as number) >= 1) return n as number;

  throw optionError(name, value, 'must be a whole number of milliseconds above 0', 'omit it');
}

function seconds(value: unknown): number {
  const n = value ?? 5;
  if (Number.isSafeInteger(n) && (n as number) >= 1) return n as number;

  throw optionError('storeRetryAfterSeconds', value, 'must be a whole number above 0', 'omit it');
}

function keyPrefix(value: unknown): string {
  const prefix = value ?? 'login';
  if (typeof prefix === 'string' && /^[a-z0-9][a-z0-9._-]{0,39}$/i.test(prefix)) return prefix;

  throw optionError(
    'keyPrefix',
    value,
    'must be 1 to 40 letters, digits, dots, dashes or underscores',
    "use a short name such as 'login' or 'mfa'",
  );
}

function mode(limit: AccountLimit | undefined): 'slow' | 'step-up' {
  const value = limit?.mode ?? 'slow';
  if (value === 'slow' || value === 'step-up') return value;

  throw optionError('account.mode', value, "must be 'slow' or 'step-up'", "omit it for 'slow'");
}

function policy(value: unknown): StoreErrorPolicy {
  const p = value ?? 'fail-closed';
  if (POLICIES.includes(p as StoreErrorPolicy)) return p as StoreErrorPolicy;

  throw optionError('storeErrorPolicy', value, `must be one of ${POLICIES.join(', ')}`, 'omit it');
}

// A clock that answers NaN, a Date or a function (`now: () => Date.now`) makes every wait
// compare false: the limit would never block (Keycloak 30969). Asked once, here.
function clock(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') {
    throw optionError('now', value, 'must be a function returning milliseconds', 'omit it');
  }

  const sample: unknown = value();
  if (typeof sample === 'number' && Number.isFinite(sample) && sample >= 0) {
    return value as () => number;
  }
  throw optionError('now', sample, 'must return a finite number of milliseconds', PASS_NOW);
}

const PASS_NOW = 'pass () => Date.now(), or omit it';

const STORE_METHODS = ['reserveAttempt', 'settleAttempt', 'delete'] as const;

// `null`, `{}`, a URL string or a bare Redis client would otherwise fall back to memory in
// silence (each replica limiting on its own) or fail closed on every login.
function store(value: unknown): AttemptStore | undefined {
  if (value === undefined) return undefined;
  const given = value as Record<string, unknown> | null;
  if (given !== null && typeof given === 'object') {
    if (STORE_METHODS.every((m) => typeof given[m] === 'function')) return value as AttemptStore;
  }

  throw optionError(
    'store',
    value,
    `must be an AttemptStore of @galaxy-harden/store (${STORE_METHODS.join(', ')})`,
    'pass createRedisStore({ url }) shared by every replica, or omit it for one process',
  );
}

function handler(value: unknown): AuthLimitEventHandler | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as AuthLimitEventHandler | undefined;
  }

  throw optionError('onEvent', value, 'must be a function', 'pass (event) => log(event)');
}
