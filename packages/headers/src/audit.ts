import { type HeaderMap, type HeaderSource, toHeaderMap } from './header-map.js';
import { ONE_YEAR_SECONDS, parseHsts, SIX_MONTHS_SECONDS } from './hsts.js';

/**
 * One HTTP answer to audit.
 *
 * @example
 * const answer: HttpAnswer = { url: res.url, status: res.status, headers: res.headers };
 */
export interface HttpAnswer {
  /** The URL asked for; its scheme decides which checks apply. */
  url: string;
  status: number;
  headers: HeaderSource;
}

/**
 * What each finding is about.
 *
 * @example
 * const hstsProblems = findings.filter((f) => f.check === ('hsts' satisfies AuditCheck));
 */
export type AuditCheck =
  | 'transport'
  | 'hsts'
  | 'csp'
  | 'framing'
  | 'nosniff'
  | 'referrer-policy'
  | 'corp'
  | 'coop'
  | 'powered-by'
  | 'server';

/**
 * `fail` breaks the audit (the CLI exits non-zero); `warn` is worth fixing.
 *
 * @example
 * const failed = findings.some((f) => f.severity === ('fail' satisfies AuditSeverity));
 */
export type AuditSeverity = 'fail' | 'warn';

/**
 * One problem found in an answer, with the change that removes it.
 *
 * @example
 * const findings: AuditFinding[] = auditHeaders(answer);
 * for (const { check, message, fix } of findings) report(check, message, fix);
 */
export interface AuditFinding {
  check: AuditCheck;
  severity: AuditSeverity;
  message: string;
  fix: string;
}

interface Answer {
  https: boolean;
  status: number;
  headers: HeaderMap;
}

type Check = (answer: Answer) => AuditFinding | undefined;

/**
 * Audits one answer's security headers and returns what is wrong, with the fix; an empty
 * array means it passes. HTTPS answers get every check; plain-HTTP answers are checked
 * for a redirect to HTTPS and for leaked software versions only, since anything else on
 * them can be stripped in transit.
 *
 * @example
 * const res = await fetch('https://usegalaxy.example/', { redirect: 'manual' });
 * const findings = auditHeaders({ url: res.url, status: res.status, headers: res.headers });
 */
export function auditHeaders(answer: HttpAnswer): AuditFinding[] {
  const https = new URL(answer.url).protocol === 'https:';
  const normalized: Answer = { https, status: answer.status, headers: toHeaderMap(answer.headers) };
  const checks = https ? HTTPS_CHECKS : HTTP_CHECKS;

  return checks.map((check) => check(normalized)).filter((f) => f !== undefined);
}

const fail = (check: AuditCheck, message: string, fix: string): AuditFinding => ({
  check,
  severity: 'fail',
  message,
  fix,
});
const warn = (check: AuditCheck, message: string, fix: string): AuditFinding => ({
  check,
  severity: 'warn',
  message,
  fix,
});

function single(answer: Answer, name: string): string | undefined {
  return answer.headers.get(name)?.join(', ');
}

const checkTransport: Check = ({ status, headers }) => {
  const location = headers.get('location')?.[0];
  const redirect = status >= 300 && status < 400 && location !== undefined;
  if (redirect && location.toLowerCase().startsWith('https://')) return undefined;

  const fix = 'answer every plain-HTTP request with 301 (GET, HEAD) or 308 to https://';
  if (redirect) return fail('transport', `redirects to ${location}, not to HTTPS`, fix);
  return fail('transport', `served over plain HTTP with status ${status}`, fix);
};

const checkHstsOverHttp: Check = ({ headers }) => {
  if (!headers.has('strict-transport-security')) return undefined;

  return warn(
    'hsts',
    'Strict-Transport-Security sent over plain HTTP, where browsers ignore it (RFC 6797 §7.2)',
    'send HSTS on HTTPS answers only; check how the app decides a request is secure',
  );
};

const HSTS_FIX =
  "one field: Strict-Transport-Security: max-age=31536000; includeSubDomains (nginx: 'always')";

const checkHsts: Check = ({ headers }) => {
  const fields = headers.get('strict-transport-security');
  if (fields === undefined) return fail('hsts', 'Strict-Transport-Security is missing', HSTS_FIX);
  if (fields.length > 1) return fail('hsts', `${fields.length} HSTS fields were sent`, HSTS_FIX);

  const parsed = parseHsts(fields[0]!);
  if (!parsed.ok) return fail('hsts', `HSTS does not parse: ${parsed.reason}`, HSTS_FIX);
  if (parsed.maxAgeSeconds < SIX_MONTHS_SECONDS) {
    return fail('hsts', `HSTS max-age=${parsed.maxAgeSeconds} is under six months`, HSTS_FIX);
  }
  if (parsed.maxAgeSeconds < ONE_YEAR_SECONDS) {
    return warn('hsts', `HSTS max-age=${parsed.maxAgeSeconds} is under a year`, HSTS_FIX);
  }
  if (!parsed.includeSubDomains) return warn('hsts', 'HSTS lacks includeSubDomains', HSTS_FIX);
  return undefined;
};

/** Directives of each enforced policy (several fields or comma-joined policies allowed). */
function enforcedPolicies(answer: Answer): Array<Map<string, string[]>> {
  const fields = answer.headers.get('content-security-policy') ?? [];

  return fields.flatMap((field) => field.split(',')).map(parsePolicy);
}

function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

const checkCsp: Check = (answer) => {
  const policies = enforcedPolicies(answer);
  const fix =
    "send an enforced Content-Security-Policy (default-src 'self'; object-src 'none'; ...)";
  if (policies.length === 0 && answer.headers.has('content-security-policy-report-only')) {
    return fail('csp', 'CSP is report-only, which blocks nothing', `${fix} once reports are clean`);
  }
  if (policies.length === 0) return fail('csp', 'Content-Security-Policy is missing', fix);

  const scripts = policies.map((p) => p.get('script-src') ?? p.get('default-src'));
  if (!scripts.some((sources) => sources !== undefined)) {
    return warn('csp', 'CSP restricts no scripts: no script-src or default-src', fix);
  }
  const loose = scripts.every((sources) => sources === undefined || allowsInline(sources));
  if (loose) return warn('csp', "CSP allows 'unsafe-inline' scripts", 'use nonces or hashes');
  return undefined;
};

// CSP3 §6.7.3.3: 'unsafe-inline' is ignored once a nonce, a hash or 'strict-dynamic' is listed.
function allowsInline(sources: readonly string[]): boolean {
  const lower = sources.map((s) => s.toLowerCase());
  const overridden = lower.some((s) => /^'(nonce-|sha(256|384|512)-|strict-dynamic')/.test(s));
  return lower.includes("'unsafe-inline'") && !overridden;
}

const checkFraming: Check = (answer) => {
  if (enforcedPolicies(answer).some((policy) => policy.has('frame-ancestors'))) return undefined;
  const xfo = single(answer, 'x-frame-options')?.trim().toUpperCase();
  if (xfo === 'DENY' || xfo === 'SAMEORIGIN') return undefined;

  return fail(
    'framing',
    'no CSP frame-ancestors and no valid X-Frame-Options: the page can be framed (clickjacking)',
    "add frame-ancestors 'self' to the CSP and X-Frame-Options: SAMEORIGIN",
  );
};

const checkNosniff: Check = (answer) => {
  if (single(answer, 'x-content-type-options')?.trim().toLowerCase() === 'nosniff')
    return undefined;

  return fail(
    'nosniff',
    'X-Content-Type-Options: nosniff is missing',
    'send X-Content-Type-Options: nosniff',
  );
};

const LEAKY_REFERRER = new Set(['unsafe-url', 'no-referrer-when-downgrade']);
const REFERRER_FIX = 'send Referrer-Policy: no-referrer (or strict-origin-when-cross-origin)';

const checkReferrer: Check = (answer) => {
  const value = single(answer, 'referrer-policy');
  if (value === undefined)
    return fail('referrer-policy', 'Referrer-Policy is missing', REFERRER_FIX);

  // The last token a browser knows wins (Referrer Policy §8.1); leaky ones send full URLs.
  const last =
    value
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean)
      .at(-1) ?? '';
  if (!LEAKY_REFERRER.has(last)) return undefined;
  return fail('referrer-policy', `Referrer-Policy ${last} leaks full URLs`, REFERRER_FIX);
};

const checkCorp: Check = (answer) => {
  if (answer.headers.has('cross-origin-resource-policy')) return undefined;

  return fail(
    'corp',
    'Cross-Origin-Resource-Policy is missing: other sites can embed this answer',
    'send Cross-Origin-Resource-Policy: same-origin',
  );
};

const checkCoop: Check = (answer) => {
  const value = single(answer, 'cross-origin-opener-policy')?.trim().toLowerCase();
  if (value === undefined) {
    return fail(
      'coop',
      'Cross-Origin-Opener-Policy is missing',
      'send Cross-Origin-Opener-Policy: same-origin',
    );
  }
  if (value !== 'unsafe-none') return undefined;
  return warn('coop', 'Cross-Origin-Opener-Policy is unsafe-none', 'use same-origin');
};

const checkPoweredBy: Check = (answer) => {
  const value = single(answer, 'x-powered-by');
  if (value === undefined) return undefined;

  return fail(
    'powered-by',
    `X-Powered-By: ${value} names the software`,
    "remove it (Express: app.disable('x-powered-by'); nginx: proxy_hide_header X-Powered-By)",
  );
};

const checkServer: Check = (answer) => {
  const value = single(answer, 'server');
  if (value === undefined || !/\d/.test(value)) return undefined;

  return fail('server', `Server: ${value} reveals a version`, 'nginx: server_tokens off;');
};

const HTTP_CHECKS: readonly Check[] = [
  checkTransport,
  checkHstsOverHttp,
  checkPoweredBy,
  checkServer,
];
const HTTPS_CHECKS: readonly Check[] = [
  checkHsts,
  checkCsp,
  checkFraming,
  checkNosniff,
  checkReferrer,
  checkCorp,
  checkCoop,
  checkPoweredBy,
  checkServer,
];
