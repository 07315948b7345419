import { argumentError, optionError } from './errors.js';
import { assertKnownArgumentKeys, optionNames } from './option-keys.js';
import { hasControlCharacter, hasUnpairedSurrogate } from './text.js';
import type { TotpParameters } from './totp-parameters.js';

/**
 * What an `otpauth://` URI is made from.
 *
 * @example
 * const input: OtpauthUriInput = { issuer: 'Galaxy', accountName: 'ana', secret, params };
 */
export interface OtpauthUriInput {
  /** The service name shown in the app, e.g. `Galaxy (usegalaxy.example)`. */
  issuer: string;
  /** The account shown under it, e.g. the user's e-mail. */
  accountName: string;
  /** base32 secret, unpadded. */
  secret: string;
  params: Pick<TotpParameters, 'algorithm' | 'digits' | 'periodSeconds'>;
}

const INPUT_KEYS = optionNames<OtpauthUriInput>({
  issuer: true,
  accountName: true,
  secret: true,
  params: true,
});

// Control characters break QR scanners and app displays; ':' is the label separator, which
// the Key URI format forbids inside the issuer or the account name.
function forbidden(text: string): boolean {
  return text.includes(':') || hasControlCharacter(text);
}

/**
 * Builds the Key URI an authenticator scans. Issuer and account name are percent-encoded
 * (RFC 3986: a space is `%20`, never `+`), and the issuer is repeated as a parameter, which
 * apps prefer over the label prefix.
 *
 * @example
 * otpauthUri({ issuer: 'Galaxy EU', accountName: 'ana@example.org', secret, params });
 * // 'otpauth://totp/Galaxy%20EU:ana%40example.org?secret=...&issuer=Galaxy%20EU&...'
 */
export function otpauthUri(input: OtpauthUriInput): string {
  // `{ Secret }` for `{ secret }` would put `secret=undefined` into the QR code.
  assertKnownArgumentKeys('input', input, INPUT_KEYS);
  checkLabelPart('accountName', input.accountName);
  checkLabelPart('issuer', input.issuer, 64);
  const issuer = encodeURIComponent(input.issuer);
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`;
  const query = [
    `secret=${input.secret}`,
    `issuer=${issuer}`,
    `algorithm=${input.params.algorithm.toUpperCase()}`,
    `digits=${input.params.digits}`,
    `period=${input.params.periodSeconds}`,
  ];

  return `otpauth://totp/${label}?${query.join('&')}`;
}

/** Checks the configured issuer once, at construction. */
export function checkIssuer(issuer: unknown): string {
  if (typeof issuer === 'string' && hasUnpairedSurrogate(issuer)) {
    throw optionError(
      'issuer',
      issuer,
      'must be well-formed Unicode (an unpaired surrogate cannot be put in a URI)',
      'fix how the name is read or decoded',
    );
  }

  if (
    typeof issuer === 'string' &&
    issuer.length > 0 &&
    issuer.length <= 64 &&
    !forbidden(issuer)
  ) {
    return issuer;
  }

  throw optionError(
    'issuer',
    issuer,
    'must be 1 to 64 characters without ":" or control characters',
    "use your site's name, e.g. 'Galaxy EU'",
  );
}

function checkLabelPart(name: string, value: unknown, max = 128): void {
  if (typeof value === 'string' && hasUnpairedSurrogate(value)) {
    throw argumentError(name, 'must be well-formed Unicode (no unpaired surrogate)');
  }

  if (typeof value === 'string' && value.length > 0 && value.length <= max && !forbidden(value)) {
    return;
  }

  throw argumentError(name, `must be 1 to ${max} characters without ":" or control characters`);
}
