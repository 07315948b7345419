import { MAX_LIFETIME_SECONDS } from './claims.js';
import { assertFunction, assertNumberInRange, optionError } from './errors.js';
import type { ServiceVerifierOptions } from './verifier.js';

/** The verifier options this file checks. */
export type SettingOptions = Pick<
  ServiceVerifierOptions,
  | 'store'
  | 'maxTokenAgeSeconds'
  | 'clockToleranceSeconds'
  | 'maxAuthorizationBytes'
  | 'replayKeyPrefix'
  | 'now'
  | 'onEvent'
>;

/** Checked verifier settings, defaults applied. */
export interface VerifierSettings {
  maxAge: number;
  tolerance: number;
  maxBytes: number;
  prefix: string;
}

const PREFIX = /^[\x21-\x7e]{1,128}$/;

// A store without `setIfAbsent` would refuse every call at request time: say so at start-up.
function checkStore(store: unknown): void {
  if (store === undefined) return;
  const setIfAbsent = (store as { setIfAbsent?: unknown } | null)?.setIfAbsent;
  if (typeof setIfAbsent === 'function') return;

  const fix = 'pass a Store such as createRedisStore(...), or leave it out for memory';
  throw optionError('store', store === null ? 'null' : typeof store, 'must be a Store', fix);
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix === 'string' && PREFIX.test(prefix)) return prefix;

  const fix = 'use e.g. "service-auth:jti:" (the default)';
  throw optionError('replayKeyPrefix', prefix, 'must be 1 to 128 visible ASCII characters', fix);
}

/**
 * Checks every verifier option that is not a peer or the identity, once, at start-up.
 *
 * @example
 * const { tolerance } = checkVerifierSettings({ clockToleranceSeconds: 2 });
 */
export function checkVerifierSettings(options: SettingOptions): VerifierSettings {
  const settings = {
    maxAge: options.maxTokenAgeSeconds ?? MAX_LIFETIME_SECONDS,
    tolerance: options.clockToleranceSeconds ?? 5,
    maxBytes: options.maxAuthorizationBytes ?? 8_192,
    prefix: checkPrefix(options.replayKeyPrefix ?? 'service-auth:jti:'),
  };
  assertNumberInRange('maxTokenAgeSeconds', settings.maxAge, 1, MAX_LIFETIME_SECONDS);
  assertNumberInRange('clockToleranceSeconds', settings.tolerance, 0, 30);
  assertNumberInRange('maxAuthorizationBytes', settings.maxBytes, 512, 65_536);
  checkStore(options.store);
  assertFunction('now', options.now);
  assertFunction('onEvent', options.onEvent);

  return settings;
}
