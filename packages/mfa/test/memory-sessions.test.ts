import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MemorySessions } from '../src/express.js';
import { FakeClock, T0 } from './support.js';

function app(sessions: MemorySessions) {
  const server = express();
  server.post('/login', (req, res) => {
    sessions.set(req, res, { userId: 'ana', passwordAt: T0 });
    res.end();
  });
  server.get('/me', (req, res) => void res.json(sessions.get(req) ?? null));
  server.post('/logout', (req, res) => {
    sessions.end(req, res);
    res.end();
  });
  return server;
}

function cookieOf(res: { headers: Record<string, unknown> }): string {
  return String((res.headers['set-cookie'] as string[])[0]);
}

describe('MemorySessions', () => {
  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite=Lax by default', async () => {
    const res = await request(app(new MemorySessions())).post('/login');
    expect(cookieOf(res)).toMatch(
      /^__Host-gh-session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure$/,
    );
  });

  it('keeps the state on the server, a new id on every set (no fixation)', async () => {
    const server = app(new MemorySessions({ secure: false }));
    const first = cookieOf(await request(server).post('/login')).split(';')[0] ?? '';
    const second =
      cookieOf(await request(server).post('/login').set('Cookie', first)).split(';')[0] ?? '';
    expect(second).not.toBe(first);
    expect((await request(server).get('/me').set('Cookie', first)).body).toBeNull();
    expect((await request(server).get('/me').set('Cookie', second)).body).toEqual({
      userId: 'ana',
      passwordAt: T0,
    });
  });

  it('forgets a session after its lifetime and on end', async () => {
    const clock = new FakeClock(T0);
    const server = app(new MemorySessions({ secure: false, ttlMs: 60_000, now: clock.now }));
    const cookie = cookieOf(await request(server).post('/login')).split(';')[0] ?? '';
    clock.advance(59_999);
    expect((await request(server).get('/me').set('Cookie', cookie)).body).not.toBeNull();
    clock.advance(1);
    expect((await request(server).get('/me').set('Cookie', cookie)).body).toBeNull();

    const again = cookieOf(await request(server).post('/login')).split(';')[0] ?? '';
    const out = await request(server).post('/logout').set('Cookie', again);
    expect(cookieOf(out)).toBe('gh-session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect((await request(server).get('/me').set('Cookie', again)).body).toBeNull();
  });

  it('drops the oldest session beyond maxSessions', async () => {
    const server = app(new MemorySessions({ secure: false, maxSessions: 2 }));
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++)
      cookies.push(cookieOf(await request(server).post('/login')).split(';')[0] ?? '');
    expect(
      (
        await request(server)
          .get('/me')
          .set('Cookie', cookies[0] ?? '')
      ).body,
    ).toBeNull();
    expect(
      (
        await request(server)
          .get('/me')
          .set('Cookie', cookies[2] ?? '')
      ).body,
    ).not.toBeNull();
  });

  it.each([
    [{ cookieName: 'a b' }, 'option sessions.cookieName must be an RFC 6265 token'],
    [{ ttlMs: 0 }, 'option sessions.ttlMs must be a whole number above 0'],
    [{ maxSessions: 1.5 }, 'option sessions.maxSessions must be a whole number above 0'],
  ])('refuses %j at construction', (options, message) => {
    expect(() => new MemorySessions(options)).toThrow(`@galaxy-harden/mfa: ${message}`);
  });
});
