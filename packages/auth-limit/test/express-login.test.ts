import { type LoginLimiterOptions, loginLimiter } from '@galaxy-harden/auth-limit/express';
import { type AttemptStore, MemoryStore } from '@galaxy-harden/store';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loginApp, stores, testClock } from './support.js';

const wrong = (username: string) => ({ username, password: 'nope' });

describe.each(stores)('loginLimiter on $name', ({ make }) => {
  let store: AttemptStore | undefined;
  afterEach(async () => store?.close());

  async function app(options: Partial<LoginLimiterOptions> = {}) {
    const clock = testClock();
    store = await make(clock.now);
    return { ...loginApp({ store, now: clock.now, ...options }), clock };
  }
  const post = (a: express.Express, body: object, from?: string) => {
    const r = request(a).post('/login').set('x-csrf', 'ok');
    return (from ? r.set('x-forwarded-for', from) : r).send(body);
  };

  it('lets at most 10 of 100 parallel wrong passwords reach the password check', async () => {
    const { app: a, checks } = await app();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => post(a, wrong('alice'), '198.51.100.1')),
    );

    expect(checks.count).toBe(10);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(90);
  });

  it('answers a refusal with 429, Retry-After, IETF RateLimit headers and no-store', async () => {
    const { app: a } = await app();
    for (let i = 0; i < 10; i++) await post(a, wrong('alice'), '198.51.100.2');
    const r = await post(a, wrong('alice'), '198.51.100.2');

    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('60');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers.ratelimit).toMatch(/^"address"; r=\d+; t=\d+, "account-address"; r=0; t=60$/);
    expect(r.headers['ratelimit-policy']).toMatch(/"address"; q=100; w=900; pk=:[\w+/=]+:/);
    expect(r.headers['ratelimit-policy']).toMatch(/"account-address"; q=10; w=43200$/);
    expect(r.body).toEqual({ error: 'too_many_attempts', retryAfterSeconds: 60 });
  });

  it('gives the same body whether the account exists, and whichever limit refused', async () => {
    const { app: a } = await app({ perAddress: { limit: 12 } });
    for (let i = 0; i < 10; i++) await post(a, wrong('alice'), '198.51.100.3');
    for (let i = 0; i < 10; i++) await post(a, wrong('nobody-by-this-name'), '198.51.100.4');
    const existing = await post(a, wrong('alice'), '198.51.100.3');
    const missing = await post(a, wrong('nobody-by-this-name'), '198.51.100.4');
    await post(a, wrong('carol'), '198.51.100.3');
    const byAddress = await post(a, wrong('dave'), '198.51.100.3');

    expect(byAddress.status).toBe(429);
    expect(Object.keys(byAddress.body)).toEqual(Object.keys(existing.body));
    expect(missing.body).toEqual(existing.body);
  });

  it('refuses 20 requests over one socket with new X-Forwarded-For values after 3', async () => {
    const { app: a, checks } = await app({ perAddress: { limit: 3 } });
    a.set('trust proxy', false);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await post(a, wrong(`user${i}`), `203.0.113.${i}`)).status);
    }

    expect(checks.count).toBe(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });

  it('keeps separate counters for two clients behind the real proxy', async () => {
    const { app: a } = await app();
    for (let i = 0; i < 10; i++) await post(a, wrong('alice'), '192.0.2.10, 203.0.113.1');
    const first = await post(a, wrong('alice'), '192.0.2.10, 203.0.113.1');
    const second = await post(a, wrong('alice'), '192.0.2.10, 203.0.113.2');

    expect(first.status).toBe(429);
    expect(second.status).toBe(401);
  });

  it('never refuses 50 successful logins in a row from one address', async () => {
    const { app: a } = await app({ perAddress: { limit: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      statuses.push(
        (await post(a, { username: 'alice', password: 'secret' }, '192.0.2.20')).status,
      );
    }

    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('does not count CSRF failures or disabled accounts as wrong secrets', async () => {
    const { app: a, checks } = await app({ perAddress: { limit: 5 } });
    for (let i = 0; i < 30; i++) {
      await request(a).post('/login').set('x-forwarded-for', '192.0.2.30').send(wrong('alice'));
      await post(a, wrong('disabled'), '192.0.2.30');
    }
    const after = await post(a, { username: 'alice', password: 'secret' }, '192.0.2.30');

    expect(after.status).toBe(200);
    expect(checks.count).toBe(1);
  });

  it('counts 1 000 addresses of one IPv6 /64 as one client with one address key', async () => {
    const { app: a, checks } = await app({ perAddress: { limit: 5 } });
    for (let i = 0; i < 1000; i++) {
      await post(a, wrong(`user${i}`), `2001:db8:0:7:${i.toString(16)}::1`);
    }

    expect(checks.count).toBe(5);
    // One address window key, plus a pair and an account counter per account checked.
    if (store instanceof MemoryStore) expect(store.size).toBe(1 + 2 * 5);
  });

  it('answers 503 with Retry-After, not a crash, when the store fails', async () => {
    const { app: a } = await app();
    await store?.close();
    const r = await post(a, wrong('alice'), '192.0.2.40');
    store = undefined;

    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toEqual({ error: 'temporarily_unavailable', retryAfterSeconds: 5 });
  });

  it('asks for a step-up from unknown addresses in step-up mode', async () => {
    const { app: a } = await app({ account: { mode: 'step-up' } });
    await post(a, { username: 'alice', password: 'secret' }, '192.0.2.50');
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 10; j++) await post(a, wrong('alice'), `203.0.113.${i}`);
    }
    const stranger = await post(a, { username: 'alice', password: 'secret' }, '192.0.2.51');
    const owner = await post(a, { username: 'alice', password: 'secret' }, '192.0.2.50');

    expect(stranger.body).toEqual({ ok: true, stepUp: true });
    expect(owner.body).toEqual({ ok: true, stepUp: false });
  });
});

describe('loginLimiter and trust proxy', () => {
  it('refuses trust proxy = true at start-up, naming hop counts and proxy addresses', () => {
    const app = express();
    app.set('trust proxy', true);
    const make = () => loginLimiter({ app, accountFrom: () => 'a' });

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_TRUST_PROXY' }));
    expect(make).toThrow(/number of proxy hops/);
    expect(make).toThrow(/proxies' addresses/);
  });

  it('refuses trust proxy = true set after start-up, at request time', async () => {
    const app = express();
    app.post('/login', loginLimiter({ accountFrom: () => 'a' }), (_req, res) => {
      res.json({ reached: true });
    });
    const codes: string[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      codes.push(err.code);
      res.status(500).end();
    };
    app.use(onError);
    app.set('trust proxy', true);
    const r = await request(app).post('/login').set('x-forwarded-for', '203.0.113.9');

    expect(r.status).toBe(500);
    expect(codes).toEqual(['ERR_AUTH_LIMIT_TRUST_PROXY']);
  });
});

describe('loginLimiter options', () => {
  const accountFrom = (): string => 'a';
  it.each<[object, RegExp]>([
    [{}, /accountFrom/],
    [{ accountFrom, perAddress: { limit: 0 } }, /perAddress\.limit/],
    [{ accountFrom, perAddress: { windowMs: 10 } }, /perAddress\.windowMs/],
    [{ accountFrom, ipv6Subnet: 96 }, /ipv6Subnet/],
  ])('refuses %o at start-up', (options, message) => {
    const make = () => loginLimiter(options as LoginLimiterOptions);

    expect(make).toThrow(message);
    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_OPTION' }));
  });
});
