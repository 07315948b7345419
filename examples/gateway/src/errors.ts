/** Stable codes of {@link GatewayError}. */
export type GatewayErrorCode =
  | 'ERR_GATEWAY_CONFIG'
  | 'ERR_GATEWAY_UPSTREAM'
  | 'ERR_GATEWAY_AUTHENTICATOR'
  | 'ERR_GATEWAY_STORE';

/**
 * The one error class of the demo gateway; `code` is stable and `cause` is kept.
 *
 * @example
 * throw new GatewayError('ERR_GATEWAY_UPSTREAM', 'the job runner did not answer');
 */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }
}

/**
 * A configuration error naming the package, option, value, rule and fix.
 *
 * @example
 * throw configError('port', -1, 'must be an integer from 0 to 65535', 'use 0 for any port');
 */
export function configError(
  option: string,
  value: unknown,
  rule: string,
  fix: string,
): GatewayError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);

  return new GatewayError(
    'ERR_GATEWAY_CONFIG',
    `@galaxy-harden-examples/gateway: option ${option} ${rule}, got ${shown}; ${fix}`,
  );
}
