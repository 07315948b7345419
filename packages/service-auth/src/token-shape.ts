import { isServiceAlgorithm, type ServiceAlgorithm } from './algorithms.js';
import { ServiceAuthError } from './errors.js';

/** The protected header members a service token may carry, and nothing else. */
export interface TokenHeader {
  alg: ServiceAlgorithm;
  kid: string;
  typ: string;
}

// Three non-empty base64url segments and a "Bearer" scheme (RFC 6750 section 2.1; the scheme
// is case-insensitive per RFC 9110 section 11.1). The classes exclude ".", so the match is
// linear and a header of many dots fails here, before any base64 or JSON work
// (golang-jwt CVE-2025-30204 spent quadratic time splitting such input).
const BEARER = /^bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i;

// Headers are tiny ({"alg":"ES256","kid":<43>,"typ":<~30>}): a long one is hostile.
const MAX_HEADER_SEGMENT = 512;
const KID = /^[A-Za-z0-9_-]{1,128}$/;
const ALLOWED_MEMBERS = new Set(['alg', 'kid', 'typ']);

/** The three segments of a compact JWS, after the size cap and the shape check. */
export interface TokenParts {
  token: string;
  header: string;
  payload: string;
}

function malformed(reason: string): ServiceAuthError {
  return new ServiceAuthError('ERR_SERVICE_AUTH_MALFORMED', `token refused: ${reason}`);
}

/**
 * Takes the token out of an `Authorization` header. The size cap comes first: nothing of
 * an oversized header is split, decoded or parsed.
 */
export function extractToken(authorization: unknown, maxBytes: number): TokenParts {
  if (typeof authorization !== 'string' || authorization.length === 0) {
    throw malformed('no Authorization header');
  }
  // Node hands headers over as latin1 strings, so length is the byte count.
  if (authorization.length > maxBytes) {
    throw new ServiceAuthError(
      'ERR_SERVICE_AUTH_TOO_LARGE',
      `token refused: Authorization header over ${maxBytes} bytes`,
    );
  }

  const match = BEARER.exec(authorization);
  if (match === null) throw malformed('not "Bearer" and a three-part compact JWS');
  const [, header, payload, signature] = match as unknown as [string, string, string, string];
  if (header.length > MAX_HEADER_SEGMENT) throw malformed('protected header too long');
  if (!canonical(header) || !canonical(payload) || !canonical(signature)) {
    throw malformed('a segment is not canonical base64url');
  }

  // A slice of the header string: no copy of up to 8 KiB per call.
  const token = authorization.slice(
    authorization.length - header.length - payload.length - signature.length - 2,
  );
  return { token, header, payload };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// RFC 4648 section 3.5: the spare low bits of a segment's last character must be zero. Without
// this, several spellings decode to one signature, so a tampered token string still verifies
// (harmless to the signature, but it defeats any cache or log keyed on the token text).
function canonical(segment: string): boolean {
  const spareBits = [0, -1, 4, 2][segment.length % 4] ?? -1;
  if (spareBits <= 0) return spareBits === 0;

  const last = BASE64URL.indexOf(segment.charAt(segment.length - 1));
  return (last & ((1 << spareBits) - 1)) === 0;
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw malformed(`${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${what} is not a JSON object`);
  }

  return value as Record<string, unknown>;
}

function headerError(reason: string): ServiceAuthError {
  return new ServiceAuthError('ERR_SERVICE_AUTH_HEADER', `token refused: ${reason}`);
}

/**
 * Checks a decoded protected header: only `alg`, `kid` and `typ`. Any other member is
 * refused outright: `jwk`, `jku`, `x5u` and `x5c` would let the token name its own key
 * (node-jose CVE-2018-0114), and `crit`/`b64` change how the signature is computed.
 */
export function checkHeader(header: Record<string, unknown>, expectedTyp: string): TokenHeader {
  for (const name of Object.keys(header)) {
    if (!ALLOWED_MEMBERS.has(name)) throw headerError(`header member "${name}" is not allowed`);
  }
  const { alg, kid, typ } = header;
  if (!isServiceAlgorithm(alg)) throw headerError('"alg" is not ES256 or EdDSA');
  if (typeof kid !== 'string' || !KID.test(kid)) throw headerError('"kid" missing or malformed');
  if (typeof typ !== 'string' || typ.toLowerCase() !== expectedTyp) {
    throw headerError('"typ" is not the expected token type');
  }

  return { alg, kid, typ };
}

/** Decodes a protected header segment and applies {@link checkHeader}. */
export function parseHeader(segment: string, expectedTyp: string): TokenHeader {
  return checkHeader(decodeJson(segment, 'protected header'), expectedTyp);
}

/** The unverified `iss` of a payload, used only to pick which peer's keys to try. */
export function unverifiedIssuer(segment: string): string | undefined {
  const iss = decodeJson(segment, 'payload').iss;
  return typeof iss === 'string' ? iss : undefined;
}
