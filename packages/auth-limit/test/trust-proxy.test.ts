import { loginLimiter } from '@galaxy-harden/auth-limit/express';
import { MemoryStore } from '@galaxy-harden/store';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loginApp } from './support.js';

const accountFrom = () => 'a';
const appWith = (setting: unknown) => express().set('trust proxy', setting);

// express-rate-limit 134: a `trust proxy` that trusts any address makes req.ip whatever the
// client writes in X-Forwarded-For. `true` was refused; these settings act exactly like it.
describe('spoofed X-Forwarded-For: trust proxy settings that act like true', () => {
  it.each<[string, unknown, RegExp]>([
    ['a hop count of 100', 100, /\(100\) trusts any address/],
    ['ranges covering all of IPv4', '0.0.0.0/1,128.0.0.0/1', /trusts any address/],
    ['every IPv4-mapped address', '::ffff:0:0/96', /"::ffff:0:0\/96"/],
    ['a list covering all of IPv6', ['::/1', '8000::/1'], /\["::\/1","8000::\/1"\]/],
    ['a function trusting everyone', () => true, /\(a function\) trusts any address/],
  ])('refuses %s at start-up', (_name, setting, message) => {
    const make = () => loginLimiter({ app: appWith(setting), accountFrom });

    expect(make).toThrow(expect.objectContaining({ code: 'ERR_AUTH_LIMIT_TRUST_PROXY' }));
    expect(make).toThrow(/^@galaxy-harden\/auth-limit: Express 'trust proxy' /);
    expect(make).toThrow(message);
    expect(make).toThrow(/number of proxy hops/);
  });

  it.each<[string, unknown]>([
    ['false', false],
    ['one hop', 1],
    ['three hops', 3],
    ['loopback', 'loopback'],
    ['loopback and a private range', 'loopback, 10.0.0.0/8'],
    ['a proxy address', ['10.0.0.5']],
    ['a function naming the proxy', (address: string) => address === '10.0.0.5'],
  ])('accepts %s', (_name, setting) => {
    expect(() => loginLimiter({ app: appWith(setting), accountFrom })).not.toThrow();
  });

  it('refuses a trusting function set after start-up, at request time', async () => {
    const app = express();
    app.post('/login', loginLimiter({ accountFrom }), (_req, res) => {
      res.json({ reached: true });
    });
    const codes: string[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      codes.push(err.code);
      res.status(500).end();
    };
    app.use(onError);
    const before = await request(app).post('/login');
    app.set('trust proxy', () => true);
    const after = await request(app).post('/login').set('x-forwarded-for', '203.0.113.9');

    expect(before.status).toBe(200);
    expect(after.status).toBe(500);
    expect(codes).toEqual(['ERR_AUTH_LIMIT_TRUST_PROXY']);
  });
});

// The client writes the left part of X-Forwarded-For; each proxy appends the peer it saw.
describe('X-Forwarded-For chains behind real proxies', () => {
  const spoofed = async (setting: unknown, chain: (i: number) => string) => {
    const { app, checks } = loginApp({ store: new MemoryStore(), perAddress: { limit: 3 } });
    app.set('trust proxy', setting);
    for (let i = 0; i < 20; i++) {
      const body = { username: `user${i}`, password: 'nope' };
      await request(app)
        .post('/login')
        .set('x-csrf', 'ok')
        .set('x-forwarded-for', chain(i))
        .send(body);
    }
    return checks.count;
  };

  it.each<[string, unknown, (i: number) => string]>([
    ['two hops', 2, (i) => `203.0.113.${i}, 198.51.100.7, 10.0.0.5`],
    [
      'an address list',
      ['loopback', '10.0.0.0/8'],
      (i) => `203.0.113.${i}, 198.51.100.7, 10.0.0.5`,
    ],
    [
      'one hop, client mixing mapped forms',
      1,
      (i) => (i % 2 ? '::ffff:198.51.100.7' : '198.51.100.7'),
    ],
    ['one hop, IPv6 upper and lower case', 1, (i) => (i % 2 ? '2001:DB8::7' : `2001:db8::${i}`)],
    ['one hop, one /56 from a /64 walk', 1, (i) => `2001:db8:0:${(i * 7).toString(16)}::1`],
  ])('limits 20 requests with %s as one client', async (_name, setting, chain) => {
    expect(await spoofed(setting, chain)).toBe(3);
  });

  it('limits two /56 prefixes separately (no lumping of different customers)', async () => {
    const count = await spoofed(1, (i) => (i % 2 ? '2001:db8:0:100::1' : '2001:db8:0:ff::1'));

    expect(count).toBe(6);
  });
});
