import { AttemptLimiter as AuthLimiter } from '@galaxy-harden/auth-limit';
import { type AttemptStore, MemoryStore, type Store } from '@galaxy-harden/store';
import { checkEnforcementRules, type EnforcementRule } from './enforcement.js';
import { argumentError, optionError } from './errors.js';
import type { MfaEventHandler } from './events.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { checkIssuer } from './otpauth-uri.js';
import type { MfaRecordStore } from './records.js';
import { ReplayGuard } from './replay-guard.js';
import { SecretBox, type SecretBoxOptions } from './secret-box.js';
import { checkStore } from './store-check.js';
import { hasControlCharacter, hasUnpairedSurrogate } from './text.js';
import type { AttemptLimiter } from './throttle.js';
import { resolveTotpParameters, type TotpParameters } from './totp-parameters.js';

/**
 * Options of {@link Mfa}. Only `issuer`, `records` and `encryption` are required.
 *
 * @example
 * const options: MfaOptions = { issuer: 'Galaxy', records, encryption, store: redisStore };
 */
export interface MfaOptions {
  /** The name authenticator apps show; 1 to 64 characters, no `:`. Required. */
  issuer: string;
  /** Where each user's record (sealed secret, recovery digests) is kept. Required. */
  records: MfaRecordStore;
  /** Keys that seal TOTP secrets at rest (AES-256-GCM). Required. */
  encryption: SecretBoxOptions;
  /**
   * Throttles failed codes per account. Defaults to `@galaxy-harden/auth-limit`'s
   * `AttemptLimiter` with key prefix `mfa` (never the password counters) on `store`, blocking
   * an account-and-address pair after 5 wrong codes and the account after 10, with waits
   * that grow by a minute per 5 (pair) or 10 (account) failures up to 15 minutes.
   */
  limiter?: AttemptLimiter;
  /**
   * Shared state for replay markers (last accepted time step, used recovery codes), the last
   * lockout per account, and the default limiter's counters. Defaults to a `MemoryStore` on
   * the same clock; give every replica the same Redis store. `null` or an object without the
   * Store methods throws at construction.
   */
  store?: Store | AttemptStore;
  /** Code parameters (digits 6 or 8); defaults to SHA-1, 6 digits, 30 s, one step each side. */
  totp?: Partial<TotpParameters>;
  /** Who must enrol, from when; an array, or a function read at every decision. Defaults to []. */
  enforcement?: readonly EnforcementRule[] | (() => readonly EnforcementRule[]);
  /** Recovery codes per set, 8 to 20; defaults to 10. */
  recoveryCodeCount?: number;
  /** Seconds a started enrolment may wait for its confirming code, 60 to 3600; defaults to 600. */
  enrolmentTtlSeconds?: number;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Receives security events; defaults to none. */
  onEvent?: MfaEventHandler;
}

const MFA_OPTIONS = optionNames<MfaOptions>({
  issuer: true,
  records: true,
  encryption: true,
  limiter: true,
  store: true,
  totp: true,
  enforcement: true,
  recoveryCodeCount: true,
  enrolmentTtlSeconds: true,
  now: true,
  onEvent: true,
});

/** Options after checking, shared by the parts of the package. */
export interface MfaContext {
  issuer: string;
  records: MfaRecordStore;
  box: SecretBox;
  limiter: AttemptLimiter;
  store: Store;
  replay: ReplayGuard;
  totp: TotpParameters;
  rules: () => readonly EnforcementRule[];
  recoveryCodeCount: number;
  enrolmentTtlMs: number;
  now: () => number;
  onEvent: MfaEventHandler | undefined;
}

/** Checks every option once, at construction, and fills defaults. */
export function resolveOptions(options: MfaOptions): MfaContext {
  if (options === null || typeof options !== 'object') {
    const fix = 'pass { issuer, records, encryption, limiter }';
    throw optionError('options', options, 'must be an object', fix);
  }

  assertKnownKeys('', options, MFA_OPTIONS);
  const now = checkFunction('now', options.now ?? Date.now);
  const totp = resolveTotpParameters(options.totp);
  const store = options.store === undefined ? new MemoryStore({ now }) : checkStore(options.store);

  return {
    issuer: checkIssuer(options.issuer),
    records: checkRecords(options.records),
    box: new SecretBox(options.encryption),
    limiter: limiterOf(options.limiter, store, now),
    store,
    replay: new ReplayGuard(store, totp),
    totp,
    rules: enforcementReader(options.enforcement ?? []),
    ...sizes(options),
    now,
    onEvent: options.onEvent === undefined ? undefined : checkFunction('onEvent', options.onEvent),
  };
}

function limiterOf(
  limiter: AttemptLimiter | undefined,
  store: Store | AttemptStore,
  now: () => number,
): AttemptLimiter {
  return limiter === undefined ? defaultLimiter(store, now) : checkLimiter(limiter);
}

function sizes(options: MfaOptions): Pick<MfaContext, 'recoveryCodeCount' | 'enrolmentTtlMs'> {
  const ttlSeconds = options.enrolmentTtlSeconds ?? 600;

  return {
    recoveryCodeCount: checkRange('recoveryCodeCount', options.recoveryCodeCount ?? 10, 8, 20),
    enrolmentTtlMs: checkRange('enrolmentTtlSeconds', ttlSeconds, 60, 3600) * 1000,
  };
}

/** Refuses user ids that cannot be a key or associated data safely. */
export function checkUserId(userId: unknown): string {
  if (
    typeof userId === 'string' &&
    userId.length > 0 &&
    userId.length <= 256 &&
    !hasControlCharacter(userId) &&
    !hasUnpairedSurrogate(userId)
  ) {
    return userId;
  }

  throw argumentError(
    'userId',
    'must be 1 to 256 characters of well-formed Unicode without control characters',
  );
}

function enforcementReader(
  given: readonly EnforcementRule[] | (() => readonly EnforcementRule[]),
): () => readonly EnforcementRule[] {
  if (typeof given === 'function') return () => checkEnforcementRules(given());

  const rules = checkEnforcementRules(given);
  return () => rules;
}

function checkRecords(records: MfaRecordStore): MfaRecordStore {
  if (typeof records?.load === 'function' && typeof records.save === 'function') return records;

  throw optionError(
    'records',
    records,
    'must have load(userId) and save(record)',
    'pass your user store adapter, or new MemoryMfaRecords() in tests',
  );
}

// Codes get stricter limits than passwords: 10^6 codes, three of them valid at any time.
function defaultLimiter(store: Store | AttemptStore, now: () => number): AttemptLimiter {
  if (!('reserveAttempt' in store) || !('settleAttempt' in store)) {
    throw optionError(
      'limiter',
      undefined,
      'is required when store has no reserveAttempt',
      "pass @galaxy-harden/auth-limit's AttemptLimiter with keyPrefix 'mfa'",
    );
  }

  return new AuthLimiter({
    keyPrefix: 'mfa',
    store,
    accountAddress: { threshold: 5 },
    account: { threshold: 10 },
    now,
  });
}

function checkLimiter(limiter: AttemptLimiter): AttemptLimiter {
  if (typeof limiter?.reserve === 'function') return limiter;

  throw optionError(
    'limiter',
    limiter,
    'must have reserve({ account, address })',
    "pass @galaxy-harden/auth-limit's limiter with a prefix of its own, e.g. 'mfa-code:'",
  );
}

function checkFunction<T>(option: string, value: T): T {
  if (typeof value === 'function') return value;

  throw optionError(option, value, 'must be a function', 'leave it unset for the default');
}

function checkRange(option: string, value: unknown, min: number, max: number): number {
  if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
    return value as number;

  throw optionError(
    option,
    value,
    `must be an integer from ${min} to ${max}`,
    'leave it unset for the default',
  );
}
