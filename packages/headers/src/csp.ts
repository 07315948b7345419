import helmet from 'helmet';
import { capture } from './capture.js';
import { assertBooleanOption, optionError } from './errors.js';
import { assertKnownKeys, isPlainObject, optionNames } from './option-keys.js';

/**
 * CSP directives: a list of sources per directive name; `null` drops a default directive.
 *
 * @example
 * const directives: CspDirectives = { 'img-src': ["'self'", 'https:'], 'script-src-attr': null };
 */
export type CspDirectives = Readonly<Record<string, readonly string[] | null>>;

/**
 * Options of the `Content-Security-Policy` header.
 *
 * @example
 * securityHeaders({ csp: { reportOnly: true } satisfies CspOptions });
 */
export interface CspOptions {
  /**
   * Merged over {@link GATEWAY_CSP_DIRECTIVES}; a directive named here replaces that one.
   * Defaults to `{}` (the gateway directives as they are).
   */
  directives?: CspDirectives;
  /**
   * Send `Content-Security-Policy-Report-Only` instead, for rollout: browsers report
   * violations but block nothing. Defaults to `false`. Audits count a report-only policy
   * as none.
   */
  reportOnly?: boolean;
  /**
   * Add a fresh `'nonce-…'` to `script-src` (and `style-src` if set) on every answer, as
   * `res.locals.cspNonce`, so inline scripts the page means to run carry it. Defaults to
   * `true`.
   */
  nonce?: boolean;
}

/**
 * A compiled policy: the header name, its text without nonce, and where each nonce goes.
 *
 * @example
 * const { headerName, parts }: CompiledCsp = compileCsp();
 */
export interface CompiledCsp {
  headerName: 'Content-Security-Policy' | 'Content-Security-Policy-Report-Only';
  /** The policy with no nonce source, for answers that run no inline script. */
  withoutNonce: string;
  /** Joined with the answer's nonce; a single part when nonces are off. */
  parts: readonly string[];
}

/**
 * Defaults for a gateway page: own-origin resources only, no plugins, no inline event
 * handlers, no `<base>` hijack, framing and form posts kept to the same origin. Fetch
 * directives that would only repeat `default-src 'self'` (connect, font, style) are left
 * to it, which keeps the per-answer header short. Add `style-src` to give inline styles
 * the nonce too.
 *
 * @example
 * securityHeaders({ csp: { directives: { ...GATEWAY_CSP_DIRECTIVES, 'img-src': ["'self'"] } } });
 */
export const GATEWAY_CSP_DIRECTIVES: CspDirectives = Object.freeze({
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'upgrade-insecure-requests': [],
});

/** The option names of {@link CspOptions}. */
export const CSP_OPTION_KEYS = optionNames<CspOptions>({
  directives: true,
  reportOnly: true,
  nonce: true,
});

const NONCE_SLOT = 'GALAXYHARDENNONCESLOT';
const NONCE_DIRECTIVES = ['script-src', 'style-src'];

/**
 * Checks CSP options through helmet's own validation and precomputes the header text.
 *
 * @example
 * const csp = compileCsp({ reportOnly: true });
 * res.setHeader(csp.headerName, csp.parts.join(nonce));
 */
export function compileCsp(options: CspOptions = {}): CompiledCsp {
  assertKnownKeys('csp', options, CSP_OPTION_KEYS);
  const nonce = options.nonce ?? true;
  const reportOnly = options.reportOnly ?? false;
  assertBooleanOption('csp.nonce', nonce);
  assertBooleanOption('csp.reportOnly', reportOnly);
  const custom = options.directives ?? {};
  assertDirectives(custom);

  const withoutNonce = renderWithHelmet(mergeDirectives(custom, false), reportOnly);
  const text = nonce ? renderWithHelmet(mergeDirectives(custom, true), reportOnly) : withoutNonce;
  return {
    headerName: reportOnly ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy',
    withoutNonce,
    parts: text.split(NONCE_SLOT),
  };
}

function mergeDirectives(custom: CspDirectives, nonce: boolean): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const [name, value] of Object.entries({ ...GATEWAY_CSP_DIRECTIVES, ...custom })) {
    if (value === null) continue;
    assertSources(name, value);
    merged[name] = [...value];
  }
  if (!nonce) return merged;
  if (!NONCE_DIRECTIVES.some((name) => merged[name] !== undefined)) throw nowhereForNonce();

  for (const name of NONCE_DIRECTIVES) merged[name]?.push(`'nonce-${NONCE_SLOT}'`);
  return merged;
}

// Without script-src or style-src the nonce would go nowhere: res.locals.cspNonce would be
// undefined and a template would write nonce="undefined" into a page whose scripts then fail.
function nowhereForNonce() {
  return optionError(
    'csp.nonce',
    true,
    'a nonce needs a script-src or style-src directive to go into',
    "keep script-src (e.g. ['self']), or pass csp: { nonce: false }",
  );
}

function assertDirectives(value: unknown): void {
  if (isPlainObject(value)) return;

  throw optionError(
    'csp.directives',
    value,
    'it must be an object of directive names to source lists',
    `write e.g. { 'img-src': ["'self'", 'data:'] }`,
  );
}

// Printable ASCII only: a CR or LF would make every answer fail in setHeader (or split the
// header where no check runs), and CSP sources are ASCII anyway (IDN hosts as punycode).
const SOURCE = /^[\x20-\x7e]+$/;

function assertSources(name: string, value: unknown): void {
  const ok = Array.isArray(value) && value.every((source) => typeof source === 'string');
  if (ok && value.every((source: string) => SOURCE.test(source) && !source.includes(NONCE_SLOT)))
    return;

  throw optionError(
    `csp.directives[${JSON.stringify(name)}]`,
    value,
    'it must be an array of printable-ASCII source strings, or null',
    `write e.g. { ${JSON.stringify(name)}: ["'self'"] }, or null to drop the directive`,
  );
}

function renderWithHelmet(directives: Record<string, string[]>, reportOnly: boolean): string {
  try {
    const middleware = helmet.contentSecurityPolicy({ useDefaults: false, directives, reportOnly });
    const [header] = capture(middleware).set;
    return header![1];
  } catch (err) {
    throw optionError(
      'csp.directives',
      Object.keys(directives).join(' '),
      `helmet refused the policy: ${(err as Error).message}`,
      "quote keywords ('self'), keep a default-src, and avoid ; or , inside sources",
      err,
    );
  }
}
