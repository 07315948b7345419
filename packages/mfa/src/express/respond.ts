import type { Request, Response } from 'express';
import { hasControlCharacter } from '../text.js';

/**
 * Why a request was stopped; also the `error` field of the JSON answer.
 *
 * @example
 * const stepUpNeeded = (body.error as DenialCode) === 'insufficient_user_authentication';
 */
export type DenialCode =
  | 'login_required'
  | 'mfa_required'
  | 'mfa_enrolment_required'
  | 'insufficient_user_authentication'
  | 'invalid_code'
  | 'too_many_attempts'
  | 'mfa_enforced'
  | 'enrolment_not_started'
  | 'enrolment_expired'
  | 'cross_site_request'
  | 'temporarily_unavailable'
  | 'invalid_request'
  | 'request_too_large';

/**
 * Where pages are redirected; JSON clients get a status code and an `error` instead.
 *
 * @example
 * const pages: MfaPages = { login: '/login', secondStep: '/login/code', enrol: '/mfa/enrol' };
 */
export interface MfaPages {
  login?: string;
  secondStep?: string;
  enrol?: string;
  stepUp?: string;
}

/** How denials are written. */
export interface Responder {
  pages: MfaPages;
  realm: string;
  scheme: string;
}

const STATUS: Record<DenialCode, number> = {
  login_required: 401,
  mfa_required: 401,
  mfa_enrolment_required: 403,
  insufficient_user_authentication: 401,
  invalid_code: 401,
  too_many_attempts: 429,
  mfa_enforced: 403,
  enrolment_not_started: 409,
  enrolment_expired: 409,
  cross_site_request: 403,
  temporarily_unavailable: 503,
  invalid_request: 400,
  request_too_large: 413,
};

const PAGE_FOR: Partial<Record<DenialCode, keyof MfaPages>> = {
  login_required: 'login',
  mfa_required: 'secondStep',
  mfa_enrolment_required: 'enrol',
  insufficient_user_authentication: 'stepUp',
};

/** A browser navigating to a page, as opposed to a script or an API client. */
function wantsPage(req: Request): boolean {
  return req.method === 'GET' && req.accepts(['json', 'html']) === 'html';
}

/**
 * Answers a denial uniformly: a redirect for page navigations when a page is configured,
 * else the status with `{ error }` and, for 401, a `WWW-Authenticate` challenge (RFC 9110
 * section 15.5.2; the step-up form is RFC 9470's `insufficient_user_authentication`).
 */
export function deny(
  responder: Responder,
  req: Request,
  res: Response,
  code: DenialCode,
  extra: { maxAgeSeconds?: number; retryAfterSeconds?: number } = {},
): void {
  const page = PAGE_FOR[code] && responder.pages[PAGE_FOR[code]];
  if (page && wantsPage(req)) {
    res.redirect(303, `${page}?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }

  const status = STATUS[code];
  if (status === 401) res.set('WWW-Authenticate', challenge(responder, code, extra.maxAgeSeconds));
  if (extra.retryAfterSeconds !== undefined)
    res.set('Retry-After', String(extra.retryAfterSeconds));

  const body: Record<string, string | number> = { error: code };
  if (extra.maxAgeSeconds !== undefined) body.max_age = extra.maxAgeSeconds;
  if (extra.retryAfterSeconds !== undefined) body.retry_after = extra.retryAfterSeconds;
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

function challenge(responder: Responder, code: DenialCode, maxAgeSeconds?: number): string {
  const params = [`realm="${responder.realm}"`, `error="${code}"`];
  if (maxAgeSeconds !== undefined) params.push(`max_age=${maxAgeSeconds}`);

  return `${responder.scheme} ${params.join(', ')}`;
}

/**
 * A same-site path to go back to after a page flow, or `/`: `next` from the query is
 * attacker-controlled, so `//evil.example` and `https:` URLs are refused (open redirect).
 *
 * @example
 * res.redirect(303, safeNext(req.query.next)); // '//evil.example' gives '/'
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';

  return value.includes('\\') || hasControlCharacter(value) ? '/' : value;
}
