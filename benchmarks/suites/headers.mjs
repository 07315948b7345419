// Per-request cost of the security headers middleware against bare `helmet()` in the same
// process, on the same mocked request and a real `http.ServerResponse` (so header
// validation costs the same for both). Ours does more work per answer: a fresh CSP nonce,
// a Permissions-Policy, HSTS judged by `req.secure`, and the httpoxy check.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { securityHeaders } from '@galaxy-harden/headers/express';
import helmet from 'helmet';

function mockExchange() {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/';
  // Express's req.secure is a getter; a trusted TLS request reads as true.
  Object.defineProperty(req, 'secure', { value: true });
  const res = new ServerResponse(req);
  res.locals = Object.create(null);
  return { req, res };
}

export default async function define() {
  const ours = securityHeaders();
  const theirs = helmet();
  const a = mockExchange();
  const b = mockExchange();
  const next = () => {};

  return {
    name: 'headers: security headers per request',
    subjects: [
      { subject: 'galaxy-harden', fn: () => ours(a.req, a.res, next) },
      { subject: 'helmet', fn: () => theirs(b.req, b.res, next) },
    ],
    goals: [
      {
        peer: 'helmet',
        minRatio: 0.91,
        text: 'at most 1.1x the per-request cost of bare helmet(), nonce and all',
      },
    ],
  };
}
