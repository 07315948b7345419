import type { Response } from 'express';
import type { Blocked } from '../reservation.js';

/** What each account policy tells a client in the IETF `RateLimit-Policy` header. */
export type PolicyFigures = Record<
  'account' | 'account-address',
  { quota: number; windowSeconds: number }
>;

/**
 * Answers a refused attempt: 503 when the store failed (fail closed), else 429; always
 * `Retry-After`, `Cache-Control: no-store`, and one uniform JSON body, the same whichever
 * counter refused and whether or not the account exists. The RateLimit headers follow
 * draft-ietf-httpapi-ratelimit-headers-08; express-rate-limit has already set the
 * per-address ones, this adds the account policy that refused.
 */
export function answerBlocked(res: Response, blocked: Blocked, figures: PolicyFigures): void {
  if (res.headersSent) return;

  const unavailable = blocked.reason === 'store-unavailable';
  const seconds = String(blocked.retryAfterSeconds);
  res.status(unavailable ? 503 : 429);
  res.setHeader('Retry-After', seconds);
  res.setHeader('Cache-Control', 'no-store');
  if (blocked.reason === 'account' || blocked.reason === 'account-address') {
    appendPolicy(res, blocked, figures);
  }
  const error = unavailable ? 'temporarily_unavailable' : 'too_many_attempts';
  res.json({ error, retryAfterSeconds: blocked.retryAfterSeconds });
}

function appendPolicy(res: Response, blocked: Blocked, figures: PolicyFigures): void {
  const name = blocked.reason as keyof PolicyFigures;
  const { quota, windowSeconds } = figures[name];
  res.append('RateLimit', `"${name}"; r=0; t=${blocked.retryAfterSeconds}`);
  res.append('RateLimit-Policy', `"${name}"; q=${quota}; w=${windowSeconds}`);
}
