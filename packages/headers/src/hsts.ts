import { assertBooleanOption, describe, HeadersError, optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * One year: the floor of hstspreload.org and of this package.
 *
 * @example
 * hstsHeaderValue({ maxAgeSeconds: 2 * ONE_YEAR_SECONDS });
 */
export const ONE_YEAR_SECONDS = 31_536_000;

/**
 * Six months: below this, MDN's HTTP Observatory marks HSTS as too short, and so does
 * {@link auditHeaders}.
 *
 * @example
 * const parsed = parseHsts(value);
 * const tooShort = parsed.ok && parsed.maxAgeSeconds < SIX_MONTHS_SECONDS;
 */
export const SIX_MONTHS_SECONDS = 15_768_000;

/**
 * Options of the `Strict-Transport-Security` header.
 *
 * @example
 * securityHeaders({ hsts: { maxAgeSeconds: 2 * ONE_YEAR_SECONDS } satisfies HstsOptions });
 */
export interface HstsOptions {
  /** Lifetime of the browser's HTTPS-only memory, at least a year. Defaults to 31536000. */
  maxAgeSeconds?: number;
  /** Cover every subdomain too (Galaxy's interactive tools live there). Defaults to `true`. */
  includeSubDomains?: boolean;
  /**
   * Ask to be listed in browsers' preload lists. Defaults to `false`; hard to undo, so
   * opt-in only, and refused unless `includeSubDomains` holds and `maxAgeSeconds` is a year
   * or more.
   */
  preload?: boolean;
}

const HSTS_OPTION_KEYS = optionNames<HstsOptions>({
  maxAgeSeconds: true,
  includeSubDomains: true,
  preload: true,
});

/**
 * What {@link parseHsts} read from a header value.
 *
 * @example
 * const parsed: HstsParse = parseHsts(res.headers.get('strict-transport-security') ?? '');
 */
export type HstsParse =
  | { ok: true; maxAgeSeconds: number; includeSubDomains: boolean; preload: boolean }
  | { ok: false; reason: string };

/**
 * Checks HSTS options and returns the header value, e.g. `max-age=31536000; includeSubDomains`.
 *
 * @example
 * hstsHeaderValue({ preload: true }); // 'max-age=31536000; includeSubDomains; preload'
 */
export function hstsHeaderValue(options: HstsOptions = {}): string {
  assertKnownKeys('hsts', options, HSTS_OPTION_KEYS);
  const maxAge = options.maxAgeSeconds ?? ONE_YEAR_SECONDS;
  const includeSubDomains = options.includeSubDomains ?? true;
  const preload = options.preload ?? false;
  assertBooleanOption('hsts.includeSubDomains', includeSubDomains);
  assertBooleanOption('hsts.preload', preload);
  if (!Number.isSafeInteger(maxAge)) throw maxAgeError(maxAge);
  if (preload) assertPreloadable(maxAge, includeSubDomains);
  if (maxAge < ONE_YEAR_SECONDS) throw maxAgeError(maxAge);

  const parts = [`max-age=${maxAge}`];
  if (includeSubDomains) parts.push('includeSubDomains');
  if (preload) parts.push('preload');
  return parts.join('; ');
}

// The type is checked before the preload rule, so `'31536000'` (a string) is reported as
// the wrong type it is, not as a max-age that is too short for preload.
function maxAgeError(maxAge: unknown) {
  return optionError(
    'hsts.maxAgeSeconds',
    maxAge,
    `it must be a whole number of seconds of at least ${ONE_YEAR_SECONDS} (one year)`,
    `omit it for one year, or pass a larger whole number such as 63072000`,
  );
}

// hstspreload.org refuses a domain whose header lacks includeSubDomains or whose max-age is
// under a year; sending `preload` without them asks for a listing that will never happen.
function assertPreloadable(maxAge: number, includeSubDomains: boolean): void {
  const longEnough = maxAge >= ONE_YEAR_SECONDS;
  if (longEnough && includeSubDomains) return;

  const missing = longEnough ? 'includeSubDomains is false' : `maxAgeSeconds is ${maxAge}`;
  throw new HeadersError(
    'ERR_HEADERS_PRELOAD',
    `@galaxy-harden/headers: option hsts.preload is true but ${missing}; preload requires ` +
      `includeSubDomains and maxAgeSeconds >= ${ONE_YEAR_SECONDS}. Fix: drop preload, or ` +
      'serve every subdomain over HTTPS and set includeSubDomains with a one-year max-age',
  );
}

const DIRECTIVE = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s";]*))?\s*$/;

/**
 * Parses one `Strict-Transport-Security` value by RFC 6797 §6.1: `max-age` required and
 * all digits, each directive at most once, names case-insensitive. A comma means several
 * header fields were joined into one (RFC 9110 §5.3), which the audit counts as a failure.
 *
 * @example
 * parseHsts('max-age=31536000; includeSubDomains'); // { ok: true, maxAgeSeconds: 31536000, ... }
 */
export function parseHsts(value: string): HstsParse {
  if (value.includes(',')) return { ok: false, reason: 'several header fields were sent' };

  const seen = new Map<string, string | undefined>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const match = DIRECTIVE.exec(part);
    if (!match) return { ok: false, reason: `cannot parse directive ${describe(part.trim())}` };
    const name = match[1]!.toLowerCase();
    if (seen.has(name)) return { ok: false, reason: `directive ${name} appears twice` };
    seen.set(name, unquote(match[2]));
  }
  return readDirectives(seen);
}

function readDirectives(seen: Map<string, string | undefined>): HstsParse {
  const maxAge = seen.get('max-age');
  if (maxAge === undefined || !/^\d+$/.test(maxAge)) {
    return { ok: false, reason: 'max-age is missing or not a number of seconds' };
  }

  // RFC 6797 §6.1.1 puts no upper bound on the digits; a longer run is just a long time
  // (hstsHeaderValue itself accepts up to MAX_SAFE_INTEGER, 16 digits).
  return {
    ok: true,
    maxAgeSeconds: Math.min(Number(maxAge), Number.MAX_SAFE_INTEGER),
    includeSubDomains: seen.has('includesubdomains'),
    preload: seen.has('preload'),
  };
}

function unquote(raw: string | undefined): string | undefined {
  if (raw === undefined || !raw.startsWith('"')) return raw;

  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}
