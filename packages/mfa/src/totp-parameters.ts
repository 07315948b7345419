import { optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * HMAC hash of a TOTP credential (RFC 6238 section 1.2).
 *
 * @example
 * const algorithm: TotpAlgorithm = 'sha1';
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/**
 * How codes are made and checked. Defaults to SHA-1, 6 digits, 30 s, one step each side.
 * Several popular authenticator apps ignore the algorithm, digits and period in the URI,
 * so only change them when every app your users run honours them.
 *
 * @example
 * const params: TotpParameters = { ...DEFAULT_TOTP_PARAMETERS, window: 0 };
 */
export interface TotpParameters {
  /** Defaults to `'sha1'`. */
  algorithm: TotpAlgorithm;
  /** 6 or 8; defaults to 6. */
  digits: number;
  /** Seconds per time step, 15 to 120; defaults to 30. */
  periodSeconds: number;
  /** Steps accepted on each side of the current one, 0 to 3; defaults to 1. */
  window: number;
}

/**
 * The defaults: SHA-1, 6 digits, 30 s steps, one step of clock drift each side.
 *
 * @example
 * new Mfa({ ...options, totp: { ...DEFAULT_TOTP_PARAMETERS, digits: 8 } });
 */
export const DEFAULT_TOTP_PARAMETERS: Readonly<TotpParameters> = Object.freeze({
  algorithm: 'sha1',
  digits: 6,
  periodSeconds: 30,
  window: 1,
});

const ALGORITHMS: readonly string[] = ['sha1', 'sha256', 'sha512'];
const TOTP_OPTIONS = optionNames<TotpParameters>({
  algorithm: true,
  digits: true,
  periodSeconds: true,
  window: true,
});

/** Fills defaults and refuses values an app or RFC 6238 cannot work with. */
export function resolveTotpParameters(given: Partial<TotpParameters> = {}): TotpParameters {
  if (given === null || typeof given !== 'object') {
    throw optionError('totp', given, 'must be an object', 'leave it unset for the defaults');
  }

  assertKnownKeys('totp', given, TOTP_OPTIONS);
  const params = { ...DEFAULT_TOTP_PARAMETERS, ...given };
  if (!ALGORITHMS.includes(params.algorithm)) {
    const rule = "must be 'sha1', 'sha256' or 'sha512'";
    throw optionError('totp.algorithm', params.algorithm, rule, "leave it unset for 'sha1'");
  }

  checkDigits(params.digits);
  checkInteger('totp.periodSeconds', params.periodSeconds, 15, 120);
  checkInteger('totp.window', params.window, 0, 3);

  return Object.freeze(params);
}

function checkDigits(digits: unknown): void {
  checkInteger('totp.digits', digits, 6, 8);
  // RFC 4226 allows 7, but common authenticator apps show only 6 or 8 digits (some ignore the
  // URI's `digits` entirely): users would be locked out with codes they can never type.
  if (digits !== 7) return;

  const rule = 'must be 6 or 8 (authenticator apps show no 7-digit codes)';
  throw optionError('totp.digits', digits, rule, 'leave it unset for 6, or use 8');
}

function checkInteger(option: string, value: unknown, min: number, max: number): void {
  if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max) return;

  throw optionError(
    option,
    value,
    `must be an integer from ${min} to ${max}`,
    'leave it unset for the default',
  );
}
