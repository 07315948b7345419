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
 * Logs `user` in, enrols a TOTP secret and confirms it, as the demo's pages would; returns
 * the cookie of the session that passed both factors and the secret (the load's
 * authenticator app).
 *
 * @example
 * const { cookie, secret } = await enrol({ url, ca }, { username, password });
 */
export async function enrol({ url, ca }, user) {
  const json = { username: user.username, password: user.password };
  const login = await call(`${url}/api/login`, { method: 'POST', json, ca });
  expectStatus(`${user.username} login`, login, 200);
  const half = sessionCookie(login.headers);

  const started = await call(`${url}/mfa/api/enrolment`, {
    method: 'POST',
    headers: { cookie: half },
    json: {},
    ca,
  });
  expectStatus(`${user.username} enrolment`, started, 200);
  const secret = secretOfUri(started.body.uri);

  const confirmed = await call(`${url}/mfa/api/enrolment/confirm`, {
    method: 'POST',
    headers: { cookie: half },
    json: { code: totp(secret, Date.now()) },
    ca,
  });
  expectStatus(`${user.username} enrolment confirm`, confirmed, 200);
  return { cookie: sessionCookie(confirmed.headers), secret };
}

/**
 * Enrols `USER` and checks that the session it ends with reaches the API: that session
 * drives the API routes of the mix.
 *
 * @example
 * const { cookie, secret } = await enrolUser({ url, ca });
 */
export async function enrolUser({ url, ca }) {
  const session = await enrol({ url, ca }, USER);
  const datasets = await call(`${url}/api/datasets`, { headers: { cookie: session.cookie }, ca });
  expectStatus('datasets after both factors', datasets, 200);
  return session;
}
