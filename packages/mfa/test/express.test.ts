import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { mfaExpress } from '../src/express.js';
import { MemoryMfaRecords } from '../src/index.js';
import { sessionCookie, testApp } from './express-app.js';
import { codeAt, enrolled, harness, T0 } from './support.js';

async function passwordOnly(h = harness()) {
  const { secret, recoveryCodes } = await enrolled(h);
  const { app } = testApp(h);
  const login = await request(app).post('/login').send({ user: 'ana', password: 'correct horse' });
  return { h, app, secret, recoveryCodes, cookie: sessionCookie(login) };
}

async function fullyLoggedIn(h = harness()) {
  const ctx = await passwordOnly(h);
  const res = await request(ctx.app)
    .post('/mfa/verify')
    .set('Cookie', ctx.cookie)
    .send({ code: codeAt(ctx.secret, h.clock.ms) });
  expect(res.status).toBe(200);
  return { ...ctx, cookie: sessionCookie(res) };
}

describe('second step skipped', () => {
  it('answers a password-only API call 401 mfa_required with a challenge', async () => {
    const { app, cookie } = await passwordOnly();
    const res = await request(app)
      .get('/api/jobs')
      .set('Cookie', cookie)
      .set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'mfa_required' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="galaxy", error="mfa_required"');
  });

  it('redirects a page navigation to the second step', async () => {
    const { app, cookie } = await passwordOnly();
    const res = await request(app)
      .get('/dashboard')
      .set('Cookie', cookie)
      .set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/second-step?next=%2Fdashboard');
  });

  it.each([
    ['a body flag', { mfaVerified: true, mfa: { verified: true }, mfaAt: Date.now() }, {}],
    ['client headers', {}, { 'X-MFA-Verified': 'true', 'X-Forwarded-User': 'ana' }],
  ])('ignores %s claiming the second factor', async (_name, body, headers) => {
    const { app, cookie } = await passwordOnly();
    const res = await request(app).post('/api/jobs').set('Cookie', cookie).set(headers).send(body);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('mfa_required');
  });

  it.each([
    ['deleted', () => ''],
    ['edited', (c: string) => `${c}x`],
    ['replaced', () => 'gh-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    [
      'with a made-up MFA cookie added',
      (c: string) => `${c.slice(0, -2)}; mfa=1; mfa_verified=true`,
    ],
  ])('answers 401 login_required when the session cookie is %s', async (_name, edit) => {
    const { app, cookie } = await passwordOnly();
    const res = await request(app).get('/api/jobs').set('Cookie', edit(cookie));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('login_required');
  });

  it('lets the session through after a valid code, under a new session id', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, method: 'totp' });
    expect(res.headers['cache-control']).toBe('no-store');
    const fresh = sessionCookie(res);
    expect(fresh).not.toBe(cookie);
    expect((await request(app).get('/api/jobs').set('Cookie', fresh)).status).toBe(200);
    expect((await request(app).get('/api/jobs').set('Cookie', cookie)).status).toBe(401);
  });

  it('accepts a recovery code as the second step and reports the count left', async () => {
    const { app, cookie, recoveryCodes } = await passwordOnly();
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)

      .send({ code: recoveryCodes[0] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, method: 'recovery', recovery_codes_left: 9 });
  });

  it('answers a wrong code with a uniform 401 invalid_code, for a replay too', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    const wrong = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: '12345' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_code' });
    const code = codeAt(secret, h.clock.ms);
    const ok = await request(app).post('/mfa/verify').set('Cookie', cookie).send({ code });
    const replay = await request(app)
      .post('/mfa/verify')
      .set('Cookie', sessionCookie(ok))
      .send({ code });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: 'invalid_code' });
  });

  it('answers 401 login_required to the second step without a password session', async () => {
    const { app } = await passwordOnly();
    const res = await request(app).post('/mfa/verify').send({ code: '123456' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('login_required');
  });
});

describe('cross-site requests', () => {
  it.each([[{ Origin: 'https://evil.example' }], [{ 'Sec-Fetch-Site': 'cross-site' }]])(
    'refuses a state-changing call with %j before reading the code',
    async (headers) => {
      const { app, cookie, secret, h } = await passwordOnly();
      const res = await request(app)
        .post('/mfa/verify')
        .set('Cookie', cookie)
        .set(headers)
        .send({ code: codeAt(secret, h.clock.ms) });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'cross_site_request' });
      expect(h.events.filter((e) => e.type === 'mfa.verified')).toHaveLength(1); // enrolment only
    },
  );

  it('accepts the same origin', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .set('Origin', 'http://127.0.0.1')
      .set('Host', '127.0.0.1')
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(200);
  });

  it('does not parse a form body (JSON only)', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .type('form')
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_code' });
  });
});

describe('lockout leaves the half-logged-in session usable', () => {
  it('ends the pending session on lockout: after the wait, the password again', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    for (let i = 0; i < 5; i++) {
      const res = await request(app)
        .post('/mfa/verify')
        .set('Cookie', cookie)
        .send({ code: '000000' });
      expect(res.status).toBe(401);
    }
    const locked = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.body).toEqual({ error: 'too_many_attempts', retry_after: 60 });
    expect(locked.headers['set-cookie']?.[0]).toMatch(/^gh-session=; .*Max-Age=0/);

    h.clock.advance(61_000);
    const resumed = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(resumed.status).toBe(401);
    expect(resumed.body.error).toBe('login_required');
  });
});

describe('a stale session after lockout', () => {
  it('asks every login pending since before the lockout for the password again', async () => {
    const { app, cookie: locked, secret, h } = await passwordOnly();
    const login = await request(app)
      .post('/login')
      .send({ user: 'ana', password: 'correct horse' });
    const other = sessionCookie(login);
    for (let i = 0; i < 6; i++) {
      await request(app).post('/mfa/verify').set('Cookie', locked).send({ code: '000000' });
    }
    h.clock.advance(16 * 60_000);
    const resumed = await request(app)
      .post('/mfa/verify')
      .set('Cookie', other)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(resumed.status).toBe(401);
    expect(resumed.body).toEqual({ error: 'login_required' });
    expect(resumed.headers['set-cookie']?.[0]).toMatch(/^gh-session=; .*Max-Age=0/);
    expect((await request(app).get('/api/jobs').set('Cookie', other)).status).toBe(401);

    h.clock.advance(1000);
    const again = await request(app)
      .post('/login')
      .send({ user: 'ana', password: 'correct horse' });
    const fresh = await request(app)
      .post('/mfa/verify')
      .set('Cookie', sessionCookie(again))
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(fresh.status).toBe(200);
  });
});

describe('a store outage at the second step', () => {
  it('answers 503 temporarily_unavailable and keeps the pending session (no 500)', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    h.store.setIfGreater = async () => {
      throw new Error('connection reset');
    };
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({ error: 'temporarily_unavailable', retry_after: 5 });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.unavailable', userId: 'ana' });
    const api = await request(app).get('/api/jobs').set('Cookie', cookie);
    expect(api.body).toEqual({ error: 'mfa_required' });
  });
});

describe('managing MFA with a stale login (step-up)', () => {
  it.each([
    ['POST', '/admin/purge'],
    ['POST', '/mfa/recovery-codes'],
    ['POST', '/mfa/disable'],
    ['POST', '/mfa/enrolment'],
  ])(
    'refuses %s %s an hour after the last second factor, with a max_age challenge',
    async (_m, path) => {
      const { app, cookie, h } = await fullyLoggedIn();
      h.clock.advance(3600_000);
      const res = await request(app).post(path).set('Cookie', cookie);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'insufficient_user_authentication', max_age: 300 });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="galaxy", error="insufficient_user_authentication", max_age=300',
      );
    },
  );

  it('lets the action through after a fresh code at /mfa/step-up', async () => {
    const { app, cookie, secret, h } = await fullyLoggedIn();
    h.clock.advance(3600_000);
    const step = await request(app)
      .post('/mfa/step-up')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(step.status).toBe(200);
    const fresh = sessionCookie(step);
    expect((await request(app).post('/admin/purge').set('Cookie', fresh)).body).toEqual({
      purged: true,
    });
    const codes = await request(app).post('/mfa/recovery-codes').set('Cookie', fresh);
    expect(codes.body.recovery_codes).toHaveLength(10);
    expect(h.events.map((e) => e.type)).toContain('mfa.step-up.passed');
  });

  it('refuses a wrong step-up code and reports it', async () => {
    const { app, cookie, h } = await fullyLoggedIn();
    const res = await request(app)
      .post('/mfa/step-up')
      .set('Cookie', cookie)
      .send({ code: '000000' });
    expect(res.status).toBe(401);
    expect(h.events.at(-1)).toMatchObject({ type: 'mfa.step-up.failed', reason: 'invalid' });
  });

  it('refuses step-up and re-enrolment to a session that passed only the password', async () => {
    const { app, cookie, secret, h } = await passwordOnly();
    const step = await request(app)
      .post('/mfa/step-up')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(step.body.error).toBe('mfa_required');
    const enrol = await request(app).post('/mfa/enrolment').set('Cookie', cookie);
    expect(enrol.body).toEqual({ error: 'mfa_required' });
    expect(enrol.headers['www-authenticate']).toBe('Bearer realm="galaxy", error="mfa_required"');
  });

  it('disables the factor with a fresh second factor', async () => {
    const { app, cookie, h } = await fullyLoggedIn();
    expect((await request(app).post('/mfa/disable').set('Cookie', cookie)).status).toBe(204);
    expect((await h.mfa.status('ana')).enrolled).toBe(false);
  });
});

describe('enforcement through requireMfa (grace period)', () => {
  const G = 600;

  async function unenrolled() {
    const h = harness({ enforcement: [{ enforcedSince: T0, graceSeconds: G }] });
    const { app } = testApp(h);
    const login = await request(app)
      .post('/login')
      .send({ user: 'ana', password: 'correct horse' });
    return { h, app, cookie: sessionCookie(login) };
  }

  it('lets a user without a factor through until t0+G, then asks for enrolment', async () => {
    const { h, app, cookie } = await unenrolled();
    h.clock.ms = T0 + G * 1000;
    const grace = await request(app).get('/api/jobs').set('Cookie', cookie);
    expect(grace.status).toBe(200);
    expect(grace.body.grace).toBe(T0 + G * 1000);
    h.clock.ms = T0 + (G + 1) * 1000;
    const blocked = await request(app).get('/api/jobs').set('Cookie', cookie);
    expect(blocked.status).toBe(403);
    expect(blocked.body).toEqual({ error: 'mfa_enrolment_required' });
    const page = await request(app)
      .get('/dashboard')
      .set('Cookie', cookie)
      .set('Accept', 'text/html');
    expect(page.headers.location).toBe('/enrol?next=%2Fdashboard');
  });

  it('enrols with the password session, then passes', async () => {
    const { h, app, cookie } = await unenrolled();
    h.clock.ms = T0 + (G + 1) * 1000;
    const started = await request(app).post('/mfa/enrolment').set('Cookie', cookie);
    expect(started.status).toBe(200);
    expect(started.headers['cache-control']).toBe('no-store');
    expect(started.body.uri).toMatch(/^otpauth:\/\/totp\/Galaxy%20Test:ana\?secret=[A-Z2-7]{32}&/);
    expect(started.body.qr_svg).toMatch(/^<svg/);
    const secret = new URL(started.body.uri).searchParams.get('secret') ?? '';
    const confirmed = await request(app)
      .post('/mfa/enrolment/confirm')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recovery_codes).toHaveLength(10);
    expect(
      (await request(app).get('/api/jobs').set('Cookie', sessionCookie(confirmed))).status,
    ).toBe(200);
  });

  it('refuses to disable a factor the user is required to have', async () => {
    const h = harness({ enforcement: [{ enforcedSince: T0, graceSeconds: 0 }] });
    const { app, cookie } = await fullyLoggedIn(h);
    const res = await request(app).post('/mfa/disable').set('Cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('mfa_enforced');
  });

  it('answers 409 to a confirmation without a started enrolment', async () => {
    const { app, cookie } = await unenrolled();
    const res = await request(app)
      .post('/mfa/enrolment/confirm')
      .set('Cookie', cookie)
      .send({ code: '123456' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('enrolment_not_started');
  });

  it('reports the state at /mfa/status', async () => {
    const { app, cookie } = await unenrolled();
    const res = await request(app).get('/mfa/status').set('Cookie', cookie);
    expect(res.body).toEqual({
      enrolled: false,
      enrolment_pending: false,
      recovery_codes_left: 0,
      second_factor_passed: false,
      enforcement: { status: 'grace', graceEndsAt: T0 + G * 1000 },
    });
  });
});

describe('failures go to next(err), never to the route', () => {
  it('answers 500 through the app handler when the record store fails', async () => {
    const records = new MemoryMfaRecords();
    const h = harness({ records });
    const { app, cookie } = await passwordOnly(h);
    records.load = async () => {
      throw new Error('db down');
    };
    const res = await request(app).get('/api/jobs').set('Cookie', cookie);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal', code: 'ERR_MFA_STORE' });
  });

  it.each([
    [{ mfa: {} }, 'option mfa must be an Mfa instance'],
    [{ session: {} }, 'option session must have get, set and end'],
    [{ realm: 'a"b' }, 'option realm must be'],
    [{ challengeScheme: 'Bearer x' }, 'option challengeScheme must be an auth-scheme token'],
    [{ freshMaxAgeSeconds: 0 }, 'option freshMaxAgeSeconds must be an integer from 1 to 86400'],
  ])('refuses bad options at construction (%#)', (bad, message) => {
    const h = harness();
    const { sessions } = testApp(h);
    const options = { mfa: h.mfa, session: sessions, ...bad } as Parameters<typeof mfaExpress>[0];
    expect(() => mfaExpress(options)).toThrow(`@galaxy-harden/mfa: ${message}`);
  });

  it('refuses a step-up age out of range', () => {
    const h = harness();
    const { gate } = testApp(h);
    expect(() => gate.requireFreshMfa({ maxAgeSeconds: 0 })).toThrow(
      /option requireFreshMfa.maxAgeSeconds must be/,
    );
  });
});
