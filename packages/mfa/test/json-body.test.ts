import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MemorySessions, mfaExpress } from '../src/express.js';
import { sessionCookie } from './express-app.js';
import { codeAt, enrolled, harness } from './support.js';

// An app as a gateway developer writes it: routes mounted with or without app-wide parsers,
// and an error handler that logs what it is given.
async function app(appWide: 'none' | 'json' | 'urlencoded' = 'none') {
  const h = harness();
  const { secret, recoveryCodes } = await enrolled(h);
  const sessions = new MemorySessions({ secure: false, now: h.clock.now });
  const gate = mfaExpress({ mfa: h.mfa, session: sessions });
  const logged: unknown[] = [];
  const server = express();
  if (appWide === 'json') server.use(express.json());
  if (appWide === 'urlencoded') server.use(express.urlencoded({ extended: false }));
  server.post('/login', async (req, res) => {
    await sessions.set(req, res, { userId: 'ana', passwordAt: h.clock.ms });
    res.json({ ok: true });
  });
  server.use('/mfa', gate.routes);
  server.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    logged.push({ ...err, message: err.message });
    res.status(500).json({ error: 'internal' });
  });
  const cookie = sessionCookie(await request(server).post('/login'));

  return { h, server, cookie, secret, recoveryCodes, logged };
}

describe('request bodies of the JSON routes', () => {
  it('answers a malformed body 400 itself, raw body kept (code in an error log)', async () => {
    const { server, cookie, recoveryCodes, logged } = await app();
    const res = await request(server)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .type('json')
      .send(`{"code":"${recoveryCodes[0]}" x}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(logged).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(recoveryCodes[0]);
  });

  it('answers a 1 MB body 413 request_too_large without reading a code from it', async () => {
    const { h, server, cookie, logged } = await app();
    const res = await request(server)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: '1'.repeat(1 << 20) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'request_too_large' });
    expect(logged).toEqual([]);
    expect(h.events.filter((e) => e.type === 'mfa.failure')).toEqual([]);
  });

  it.each([
    ['a number', (code: string) => Number(code)],
    ['an array', (code: string) => [code]],
    ['an object', (code: string) => ({ code })],
    ['Arabic-Indic digits', (code: string) => toDigits(code, 0x0660)],
    ['fullwidth digits', (code: string) => toDigits(code, 0xff10)],
  ])('refuses the valid code sent as %s with 401 invalid_code, never a 500', async (_n, shape) => {
    const { h, server, cookie, secret } = await app();
    const res = await request(server)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: shape(codeAt(secret, h.clock.ms)) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_code' });
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.failure', reason: 'malformed' });
  });

  it('ignores a code in a form body from an app-wide urlencoded parser (JSON only)', async () => {
    const { h, server, cookie, secret } = await app('urlencoded');
    const res = await request(server)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .type('form')
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_code' });
  });

  it('still accepts the code when an app-wide JSON parser ran first', async () => {
    const { h, server, cookie, secret } = await app('json');
    const res = await request(server)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(200);
  });
});

function toDigits(code: string, zero: number): string {
  return code.replace(/\d/g, (digit) => String.fromCharCode(zero + Number(digit)));
}
