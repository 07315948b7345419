// Before the load: a real user logs in, enrols an authenticator and passes the second factor,
// as the demo's pages would make a browser do. The session it ends with drives the API routes.
import { call, sessionCookie } from './http.mjs';
import { secretOfUri, totp } from './totp.mjs';

/** The demo user of examples/gateway/data/users.json (examples/README.md lists them). */
export const USER = { username: 'ana', password: 'ana-galaxy-demo' };
/** The account the wrong passwords go to: another demo user, so `ana` is never locked. */
export const ATTACKED = { username: 'ben', password: 'not-bens-password' };

function expectStatus(step, answer, status) {
  if (answer.status === status) return;

  const body = JSON.stringify(answer.body).slice(0, 200);
  throw new Error(`set-up: ${step} answered ${answer.status}, expected ${status}: ${body}`);
}

/**
 * Logs `USER` in, enrols a TOTP secret and confirms it; returns the cookie of a session that
 * passed both factors, and the secret (the load's authenticator app).
 *
 * @example
 * const { cookie, secret } = await enrolUser({ url, ca });
 */
export async function enrolUser({ url, ca }) {
  const login = await call(`${url}/api/login`, { method: 'POST', json: USER, ca });
  expectStatus('login', login, 200);
  const half = sessionCookie(login.headers);

  const started = await call(`${url}/mfa/api/enrolment`, {
    method: 'POST',
    headers: { cookie: half },
    json: {},
    ca,
  });
  expectStatus('enrolment', started, 200);
  const secret = secretOfUri(started.body.uri);

  const confirmed = await call(`${url}/mfa/api/enrolment/confirm`, {
    method: 'POST',
    headers: { cookie: half },
    json: { code: totp(secret, Date.now()) },
    ca,
  });
  expectStatus('enrolment confirm', confirmed, 200);
  const cookie = sessionCookie(confirmed.headers);

  const datasets = await call(`${url}/api/datasets`, { headers: { cookie }, ca });
  expectStatus('datasets after both factors', datasets, 200);
  return { cookie, secret };
}
