// Per-request cost of the login limiter against a bare express-rate-limit per-address
// limiter in the same process, both called directly with the same kind of mocked request
// and response, both on in-memory stores. Ours does more per request: the same
// express-rate-limit middleware (draft-8 headers, IPv6 keying), plus account
// normalisation and an atomic reservation of three counters (address window, account and
// address, account) before the password check, and the wrong-password report after it.
// Limits are set high so that every request takes the allowed path of both.
import { loginLimiter } from '@galaxy-harden/auth-limit/express';
import { MemoryStore } from '@galaxy-harden/store';
import { rateLimit } from 'express-rate-limit';

const HIGH = 1_000_000_000;
const app = { get: () => false };

function exchange(username) {
  const headers = new Map();
  const res = {
    headersSent: false,
    writableEnded: false,
    statusCode: 200,
    setHeader: (name, value) => headers.set(name.toLowerCase(), value),
    append: (name, value) => headers.set(name.toLowerCase(), value),
    getHeader: (name) => headers.get(name.toLowerCase()),
    status(code) {
      this.statusCode = code;
      return this;
    },
    json() {},
    send() {},
  };
  const req = { ip: '198.51.100.7', app, body: { username }, headers: {}, method: 'POST' };
  return { req, res, reset: () => headers.clear() };
}

function run(middleware, exchange, after) {
  exchange.reset();
  return new Promise((resolve, reject) => {
    middleware(exchange.req, exchange.res, (error) => (error ? reject(error) : resolve(after())));
  });
}

export default async function define() {
  const store = new MemoryStore();
  const ours = loginLimiter({
    store,
    accountFrom: (req) => req.body.username,
    perAddress: { limit: HIGH },
    accountAddress: { threshold: HIGH },
    account: { threshold: HIGH },
  });
  const theirs = rateLimit({
    limit: HIGH,
    windowMs: 15 * 60_000,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
  });
  const a = exchange('Alice');
  const b = exchange('Alice');

  return {
    name: 'auth-limit: login limiter per request',
    subjects: [
      {
        subject: 'galaxy-harden',
        fn: () => run(ours, a, () => a.req.authLimit.recordFailure()),
      },
      { subject: 'express-rate-limit', fn: () => run(theirs, b, () => undefined) },
    ],
    goals: [
      {
        peer: 'express-rate-limit',
        minRatio: 0.77,
        text: 'at most 1.3x the per-request cost of a bare express-rate-limit per-address limit',
      },
    ],
    teardown: async () => store.close(),
  };
}
