import helmet from 'helmet';
import { capture } from './capture.js';
import { type CompiledCsp, type CspOptions, compileCsp } from './csp.js';
import { optionError } from './errors.js';
import { type HstsOptions, hstsHeaderValue } from './hsts.js';
import { NoncePool } from './nonce.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import {
  GATEWAY_PERMISSIONS_POLICY,
  type PermissionsPolicy,
  permissionsPolicyValue,
} from './permissions-policy.js';

/**
 * `Referrer-Policy` tokens browsers understand.
 *
 * @example
 * const referrerPolicy: ReferrerPolicyToken = 'strict-origin-when-cross-origin';
 */
export type ReferrerPolicyToken = (typeof CHOICES)['referrerPolicy'][number];

/**
 * Options shared by the Express middleware and the nginx generator.
 *
 * @example
 * const options: SecurityHeaderOptions = { referrerPolicy: 'same-origin', frameOptions: 'deny' };
 */
export interface SecurityHeaderOptions {
  /** `Strict-Transport-Security`, on secure answers only. Defaults to a year, subdomains. */
  hsts?: HstsOptions;
  /** `Content-Security-Policy`. Defaults to {@link GATEWAY_CSP_DIRECTIVES}, nonces, enforced. */
  csp?: CspOptions;
  /** `Permissions-Policy`. Defaults to {@link GATEWAY_PERMISSIONS_POLICY}. */
  permissionsPolicy?: PermissionsPolicy;
  /** `Referrer-Policy`. Defaults to `'no-referrer'`. */
  referrerPolicy?: ReferrerPolicyToken;
  /** `Cross-Origin-Opener-Policy`. Defaults to `'same-origin'`. */
  crossOriginOpenerPolicy?: 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none';
  /** `Cross-Origin-Resource-Policy`. Defaults to `'same-origin'`. */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin';
  /** `X-Frame-Options`, for browsers without CSP `frame-ancestors`. Defaults to `'sameorigin'`. */
  frameOptions?: 'deny' | 'sameorigin';
}

/**
 * The minimal response surface the header set writes to.
 *
 * @example
 * const target: HeaderTarget = new Headers() as unknown as HeaderTarget;
 */
export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/**
 * The security headers, checked and rendered once at start-up; {@link apply} only copies
 * strings, plus a nonce when the policy uses one. Framework-free: any Node response works.
 *
 * @example
 * const headers = new SecurityHeaderSet({ referrerPolicy: 'same-origin' });
 * createServer((req, res) => {
 *   const nonce = headers.apply(res, req.socket.encrypted === true);
 *   res.end(`<script nonce="${nonce}">go()</script>`);
 * });
 */
export class SecurityHeaderSet {
  /** Headers every answer carries, as `[name, value]`. */
  readonly fixed: ReadonlyArray<readonly [string, string]>;
  /** Headers every answer must not carry (`X-Powered-By`). */
  readonly removed: readonly string[];
  /** The `Strict-Transport-Security` value, for secure answers only. */
  readonly hsts: string;
  /** The compiled policy. */
  readonly csp: CompiledCsp;
  /** Lower-case names of every header this set writes. */
  readonly names: ReadonlySet<string>;
  private readonly nonces: NoncePool | undefined;

  constructor(options: SecurityHeaderOptions = {}) {
    assertKnownKeys('', options, HEADER_OPTION_KEYS);
    this.hsts = hstsHeaderValue(options.hsts);
    this.csp = compileCsp(options.csp);
    const fromHelmet = helmetHeaders(options);
    const policy = options.permissionsPolicy ?? GATEWAY_PERMISSIONS_POLICY;
    this.fixed = [...fromHelmet.set, ['Permissions-Policy', permissionsPolicyValue(policy)]];
    this.removed = fromHelmet.removed;
    this.nonces = this.csp.parts.length > 1 ? new NoncePool() : undefined;
    const all = [
      ...this.fixed.map(([name]) => name),
      this.csp.headerName,
      'Strict-Transport-Security',
    ];
    this.names = new Set(all.map((name) => name.toLowerCase()));
  }

  /**
   * Writes every header to `res`; HSTS only when `secure` (RFC 6797 §7.2: a browser must
   * ignore it over plain HTTP, and sending it there only hides a misjudged scheme).
   * Returns the answer's CSP nonce, or `undefined` when nonces are off.
   */
  apply(res: HeaderTarget, secure: boolean): string | undefined {
    const fixed = this.fixed;
    for (let i = 0; i < fixed.length; i++) res.setHeader(fixed[i]![0], fixed[i]![1]);
    for (let i = 0; i < this.removed.length; i++) res.removeHeader(this.removed[i]!);
    if (secure) res.setHeader('Strict-Transport-Security', this.hsts);
    if (this.nonces === undefined) {
      res.setHeader(this.csp.headerName, this.csp.withoutNonce);
      return undefined;
    }

    const nonce = this.nonces.next();
    res.setHeader(this.csp.headerName, withNonce(this.csp.parts, nonce));
    return nonce;
  }
}

// `+` builds the string in one pass; Array#join costs several times more per answer here.
function withNonce(parts: readonly string[], nonce: string): string {
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i++) text += nonce + parts[i]!;
  return text;
}

/** The option names of {@link SecurityHeaderOptions}, checked so a misspelt one throws. */
export const HEADER_OPTION_KEYS = optionNames<SecurityHeaderOptions>({
  hsts: true,
  csp: true,
  permissionsPolicy: true,
  referrerPolicy: true,
  crossOriginOpenerPolicy: true,
  crossOriginResourcePolicy: true,
  frameOptions: true,
});

const CHOICES = {
  referrerPolicy: [
    'no-referrer',
    'no-referrer-when-downgrade',
    'same-origin',
    'origin',
    'strict-origin',
    'origin-when-cross-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
  ],
  crossOriginOpenerPolicy: ['same-origin', 'same-origin-allow-popups', 'unsafe-none'],
  crossOriginResourcePolicy: ['same-origin', 'same-site', 'cross-origin'],
  frameOptions: ['deny', 'sameorigin'],
} as const;

function choose<K extends keyof typeof CHOICES>(
  option: K,
  value: unknown,
  fallback: (typeof CHOICES)[K][number],
): (typeof CHOICES)[K][number] {
  if (value === undefined) return fallback;
  if ((CHOICES[option] as readonly unknown[]).includes(value)) return value as typeof fallback;

  throw optionError(
    option,
    value,
    `it must be one of ${CHOICES[option].join(', ')}`,
    `omit it for ${JSON.stringify(fallback)}, or pick one of the listed values`,
  );
}

// helmet renders the headers it knows (and removes X-Powered-By); this package only adds
// Galaxy's defaults and renders them once instead of once per answer. X-Download-Options
// is left out: only Internet Explorer 8 ever read it, and Galaxy supports no IE at all.
function helmetHeaders(options: SecurityHeaderOptions) {
  const middleware = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    xDownloadOptions: false,
    referrerPolicy: { policy: choose('referrerPolicy', options.referrerPolicy, 'no-referrer') },
    crossOriginOpenerPolicy: {
      policy: choose('crossOriginOpenerPolicy', options.crossOriginOpenerPolicy, 'same-origin'),
    },
    crossOriginResourcePolicy: {
      policy: choose('crossOriginResourcePolicy', options.crossOriginResourcePolicy, 'same-origin'),
    },
    xFrameOptions: { action: choose('frameOptions', options.frameOptions, 'sameorigin') },
  });
  return capture(middleware);
}
