// The route mix, as autocannon request sequences, and what each route may answer. Each
// connection loops over its sequence; a loop is one visitor: pages and static files, the
// JSON API and the second-factor status with a session that passed both factors, an
// attacker's wrong password against another account, then the visitor's own login (one of
// the visitor accounts of visitors.mjs, taking turns): the right password, a mistyped code,
// the right code (the first in its 30 s step passes, later ones are replays).
// Every visitor comes from its own address: the load generator stands in for the ingress in
// front of the gateway and names the client in X-Forwarded-For, which both stacks believe
// from loopback only (`trustProxy: 'loopback'`). From one address, the per-address login
// limit would refuse every login after the first hundred, and the run would measure 429s
// instead of password checks.
// Jobs run on their own two connections, under the job runner's default of 4 at once.

import { sessionCookie } from './http.mjs';
import { ATTACKED } from './setup-user.mjs';
import { totp } from './totp.mjs';

/** The request header of every JSON body. */
export const JSON_TYPE = { 'content-type': 'application/json' };
/** The grep job of the job stream. */
export const GREP = { tool: 'grep', dataset: 'genes.tsv', pattern: 'chr1[37]' };
const SED = { tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' };

/**
 * What each route may answer when Redis is up: `ok` is the success, `refused` the outcomes
 * the security packages are there to give (a wrong password is 401, a spent limit 429, a
 * replayed code 401). Anything else is an error. While Redis is down (and until the
 * stores reconnect) `failClosed` answers are expected too: a refusal, never a pass.
 *
 * @example
 * ROUTES['login-wrong'].refused; // [401, 429]
 */
export const ROUTES = {
  page: { ok: [200], refused: [], failClosed: [], looksRight: (b) => b.includes('<main>') },
  static: { ok: [200], refused: [], failClosed: [], looksRight: (b) => b.length > 0 },
  status: { ok: [200], refused: [], failClosed: [], looksRight: (b) => b.includes('"enrolled"') },
  datasets: { ok: [200], refused: [], failClosed: [502], looksRight: (b) => b.includes('fasta') },
  job: { ok: [200], refused: [], failClosed: [502], looksRight: (b) => b.includes('"exitCode":0') },
  'login-wrong': { ok: [], refused: [401, 429], failClosed: [503], looksRight: () => true },
  'login-right': { ok: [200], refused: [429], failClosed: [503], looksRight: () => true },
  'mfa-wrong': { ok: [], refused: [401, 429], failClosed: [429, 503], looksRight: () => true },
  'mfa-right': { ok: [200], refused: [401, 429], failClosed: [429, 503], looksRight: () => true },
};

function json(body) {
  return JSON.stringify(body);
}

function rightCode(secret) {
  return totp(secret, Date.now());
}

/** A code that is never the right one: the right one plus one, modulo 10^6. */
function wrongCode(secret) {
  return String((Number(totp(secret, Date.now())) + 1) % 1_000_000).padStart(6, '0');
}

let turns = 0;

/** The visitor accounts take turns, across connections. */
function nextVisitor(visitors) {
  turns = (turns + 1) % visitors.length;
  return visitors[turns];
}

function withCookie(request, cookie) {
  return cookie === undefined ? request : { ...request, headers: { ...request.headers, cookie } };
}

let addresses = 0;

/**
 * The address of the next visitor, from 10.0.0.0/8 (16.7 million before one repeats).
 *
 * @example
 * nextVisitorAddress(); // '10.0.0.1'
 */
export function nextVisitorAddress() {
  addresses = (addresses % 0xff_ff_fe) + 1;
  return `10.${addresses >>> 16}.${(addresses >>> 8) & 0xff}.${addresses & 0xff}`;
}

/**
 * Adds the visitor's address, as the ingress would. autocannon starts every loop of a
 * connection with a fresh context, so each loop is a new visitor.
 */
function fromVisitor(request, context, visitors) {
  context.address ??= nextVisitorAddress();
  context.visitor ??= nextVisitor(visitors);
  const headers = { ...request.headers, 'x-forwarded-for': context.address };
  return { ...request, headers };
}

/**
 * The main sequence. `record(route, status, body)` is called for every answer.
 *
 * @example
 * autocannon({ url, connections: 8, requests: mainSequence({ cookie, secret, record }) });
 */
export function mainSequence({ cookie, visitors, record }) {
  const step = (route, request) => {
    const own = request.setupRequest ?? ((req) => req);
    return {
      ...request,
      setupRequest: (req, context) => own(fromVisitor(req, context, visitors), context),
      onResponse: (status, body, context, headers) => {
        record(route, status, body);
        if (route === 'login-right' && status === 200) context.half = sessionCookie(headers);
      },
    };
  };
  const full = { headers: { cookie } };
  const code = (codeOf) => ({
    method: 'POST',
    path: '/mfa/api/verify',
    headers: JSON_TYPE,
    setupRequest: (req, context) => ({
      ...withCookie(req, context.half),
      body: json({ code: codeOf(context.visitor.secret) }),
    }),
  });
  const login = (who) => ({
    method: 'POST',
    path: '/api/login',
    headers: JSON_TYPE,
    setupRequest: (req, context) => {
      const { username, password } = who ?? context.visitor;
      return { ...req, body: json({ username, password }) };
    },
  });

  return [
    step('page', { method: 'GET', path: '/' }),
    step('static', { method: 'GET', path: '/static/app.css' }),
    step('status', { method: 'GET', path: '/mfa/api/status', ...full }),
    step('datasets', { method: 'GET', path: '/api/datasets', ...full }),
    step('page', { method: 'GET', path: '/' }),
    step('login-wrong', login(ATTACKED)),
    step('static', { method: 'GET', path: '/static/app.js' }),
    step('datasets', { method: 'GET', path: '/api/datasets', ...full }),
    step('login-right', login(undefined)),
    step('mfa-wrong', code(wrongCode)),
    step('mfa-right', code(rightCode)),
    step('status', { method: 'GET', path: '/mfa/api/status', ...full }),
  ];
}

/**
 * The job sequence: a grep job and a sed job, with the session that passed both factors.
 *
 * @example
 * autocannon({ url, connections: 2, requests: jobSequence({ cookie, record }) });
 */
export function jobSequence({ cookie, record }) {
  const headers = { ...JSON_TYPE, cookie };
  const onResponse = (status, body) => record('job', status, body);

  return [
    { method: 'POST', path: '/api/jobs', headers, body: json(GREP), onResponse },
    { method: 'POST', path: '/api/jobs', headers, body: json(SED), onResponse },
  ];
}
