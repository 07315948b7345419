// The baseline: bare Express serving the demo's routes with the same answers, minus the
// security work. By default over HTTPS with a certificate like the demo's (TLS is Node's
// work, not a package's, so the default comparison leaves it on both sides); with
// `https: false` on plain HTTP, the second, reported figure. No headers, signed calls,
// Redis or HMAC cookie; the limits and the replay refusal the demo enforces are plain
// in-memory counts, so that every stack gives the same answers (a baseline without them
// would run scrypt for every wrong password and measure nothing comparable). Passwords are
// still checked with the same scrypt hashes and jobs still run through the same job runner:
// that is the app's own work. Like the demo in the load run, it believes X-Forwarded-For
// from loopback, where the load generator stands in for the ingress.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:https';
import { generateCertificate, PUBLIC_DIR, renderPage } from '@galaxy-harden-examples/gateway';
import { startJobRunner } from '@galaxy-harden-examples/job-runner';
import express from 'express';
import { randomBase32, totp } from './totp.mjs';
import { stackUsers } from './visitors.mjs';

// The demo's figures (auth-limit and mfa defaults): 100 logins per address per window; 10
// wrong passwords per account and address; 30 per account from all addresses, after which
// addresses the account never logged in from wait; 5 failed codes per account and address
// and 10 per account, a success clearing both.
const LIMITS = { perAddress: 100, accountAddress: 10, account: 30, codes: 5, accountCodes: 10 };
const STEP_MS = 30_000;

function checkPassword(password, hash) {
  const [, n, r, p, salt, key] = hash.split('$');
  const expected = Buffer.from(key, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };

  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      Buffer.from(salt, 'base64url'),
      expected.length,
      params,
      (e, k) => (e ? reject(e) : resolve(timingSafeEqual(k, expected))),
    );
  });
}

function counter() {
  const counts = new Map();
  return {
    get: (key) => counts.get(key) ?? 0,
    add: (key, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by),
    clear: (key) => counts.delete(key),
  };
}

function sessionsOf() {
  const entries = new Map();
  const read = (req) => /gh-session=([\w-]+)/.exec(req.get('cookie') ?? '')?.[1];
  return {
    get: (req) => entries.get(read(req)),
    set(req, res, state) {
      entries.delete(read(req));
      const id = randomBytes(18).toString('base64url');
      entries.set(id, state);
      res.cookie('gh-session', id, { httpOnly: true, sameSite: 'lax', path: '/' });
    },
    end: (req) => entries.delete(read(req)),
  };
}

function loginRoute(app, sessions) {
  const users = new Map(stackUsers().map((u) => [u.username, u]));
  const decoy = [...users.values()][0].passwordHash;
  const hits = counter();
  const failures = counter();
  const known = new Set();
  const limited = (account, pair, ip) =>
    hits.get(ip) > LIMITS.perAddress ||
    failures.get(pair) >= LIMITS.accountAddress ||
    (failures.get(account) >= LIMITS.account && !known.has(pair));

  // As auth-limit counts: every attempt takes a hit in the address window and a success
  // gives it back; wrong passwords count per account and address, and per account, until
  // a success, which also makes the address the account's own.
  app.post('/api/login', express.json({ limit: '4kb' }), async (req, res) => {
    const account = String(req.body?.username ?? '')
      .trim()
      .toLowerCase();
    const pair = `${req.ip}|${account}`;
    hits.add(req.ip);
    if (limited(account, pair, req.ip)) {
      return res.status(429).json({ error: 'too_many_attempts', retryAfterSeconds: 60 });
    }

    const user = users.get(account);
    const password = String(req.body?.password ?? '');
    const right = await checkPassword(password, user?.passwordHash ?? decoy);
    if (!right || !user) {
      failures.add(pair);
      failures.add(account);
      return res.status(401).json({ error: 'invalid_credentials' });
    }
    failures.clear(pair);
    failures.clear(account);
    known.add(pair);
    hits.add(req.ip, -1);
    sessions.set(req, res, { userId: user.username });
    res.json({ ok: true, user: user.username });
  });
}

function mfaRoutes(app, sessions) {
  const secrets = new Map();
  const failures = counter();
  const lastStep = new Map();
  // The demo's replay refusal: a time step is accepted once per user.
  const rightCode = (userId, code) => {
    const secret = secrets.get(userId);
    const step = Math.floor(Date.now() / STEP_MS);
    if (!secret || code !== totp(secret, Date.now()) || lastStep.get(userId) >= step) return false;
    lastStep.set(userId, step);
    return true;
  };
  const json = express.json({ limit: '2kb' });
  const login = (req, res) =>
    sessions.get(req) ?? void res.status(401).json({ error: 'login_required' });
  const pass = (req, res, state) => {
    sessions.set(req, res, { ...state, mfaAt: Date.now() });
    res.json({ ok: true, method: 'totp' });
  };

  app.post('/mfa/api/enrolment', (req, res) => {
    const state = login(req, res);
    if (!state) return;
    const secret = randomBase32();
    secrets.set(state.userId, secret);
    res.json({ secret, uri: `otpauth://totp/demo:${state.userId}?secret=${secret}` });
  });
  app.post('/mfa/api/enrolment/confirm', json, (req, res) => {
    const state = login(req, res);
    if (!state) return;
    lastStep.set(state.userId, Math.floor(Date.now() / STEP_MS));
    pass(req, res, state);
  });
  app.post('/mfa/api/verify', json, (req, res) => {
    const state = login(req, res);
    if (!state) return;
    const { userId } = state;
    const key = `${req.ip}|${userId}`;
    if (failures.get(key) >= LIMITS.codes || failures.get(userId) >= LIMITS.accountCodes) {
      sessions.end(req);
      return res.status(429).json({ error: 'too_many_attempts' });
    }
    if (rightCode(userId, req.body?.code)) {
      failures.clear(key);
      failures.clear(userId);
      return pass(req, res, state);
    }
    failures.add(key);
    failures.add(userId);
    res.status(401).json({ error: 'invalid_code' });
  });
  app.get('/mfa/api/status', (req, res) => {
    const state = login(req, res);
    if (!state) return;
    const enforcement = { status: 'required', since: 0 };
    const passed = state.mfaAt !== undefined;
    res.json({
      enrolled: true,
      enrolment_pending: false,
      recovery_codes_left: 10,
      second_factor_passed: passed,
      enforcement,
    });
  });
}

function jobRoutes(app, sessions, runnerUrl) {
  const relay = async (res, path, init) => {
    const answer = await fetch(new URL(path, runnerUrl), init);
    res.status(answer.status).json(await answer.json());
  };
  app.use('/api', (req, res, next) => {
    const state = sessions.get(req);
    if (!state) return res.status(401).json({ error: 'login_required' });
    if (state.mfaAt === undefined) return res.status(401).json({ error: 'mfa_required' });
    next();
  });
  app.get('/api/datasets', (_req, res) => relay(res, '/datasets', {}));
  app.post('/api/jobs', express.json({ limit: '16kb' }), (req, res) => {
    const headers = { 'content-type': 'application/json' };
    return relay(res, '/jobs', { method: 'POST', headers, body: JSON.stringify(req.body) });
  });
}

/** Listens on a free loopback port, over TLS when `certificate` is given. */
async function listen(app, certificate) {
  const server = certificate ? createServer(certificate, app) : app.listen(0, '127.0.0.1');
  if (certificate) server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const scheme = certificate ? 'https' : 'http';
  return { server, url: `${scheme}://127.0.0.1:${server.address().port}` };
}

/**
 * Starts the baseline gateway and a job runner without signed calls, on free ports: over
 * HTTPS with a certificate made at start like the demo's (`info.ca`), or with
 * `https: false` on plain HTTP.
 *
 * @example
 * const stack = await startBareStack({ https: true });
 * stack.info.url; // 'https://127.0.0.1:40125'
 */
export async function startBareStack({ https = true } = {}) {
  const certificate = https ? await generateCertificate('127.0.0.1') : undefined;
  const runner = await startJobRunner({ port: 0 });
  const sessions = sessionsOf();
  const app = express();
  app.set('trust proxy', 'loopback');
  app.get('/', (_req, res) => res.type('html').send(renderPage(undefined)));
  app.use('/static', express.static(PUBLIC_DIR, { index: false }));
  loginRoute(app, sessions);
  mfaRoutes(app, sessions);
  jobRoutes(app, sessions, runner.url);
  const { server, url } = await listen(app, certificate);

  return {
    info: {
      kind: https ? 'bare' : 'bare-http',
      url,
      runnerUrl: runner.url,
      ...(certificate && { ca: certificate.cert }),
    },
    lastSignedCall: () => undefined,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await runner.close();
    },
  };
}
