import { randomBytes } from 'node:crypto';
import { createRedisStore, type RedisStore } from '@galaxy-harden/store';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisServer,
  redisServerInstalled,
  sharedRedisUrl,
} from '../../../test/support/redis-server.js';
import { Mfa, type VerifyOutcome } from '../src/index.js';
import { sessionCookie, testApp } from './express-app.js';
import { codeAt, enrolled, FakeClock, harness, SlowRecords, T0, testKeys } from './support.js';

// A Redis that dies between the limiter's reservation and the replay guard's write: the
// worst moment, when a slot is taken and no decision is made yet.
describe.runIf(redisServerInstalled())('Redis killed mid-verification', () => {
  let redis: RedisServer;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await RedisServer.start();
    store = createRedisStore({ url: redis.url, commandTimeoutMs: 300 });
    await store.ready();
  });

  afterAll(async () => {
    await store.close();
    await redis.close();
  });

  it('refuses with 503 and keeps the pending session (fails closed, no 500)', async () => {
    let killNext = false;
    const dying = Object.create(store) as RedisStore;
    dying.reserveAttempt = async (input) => {
      const reserved = await store.reserveAttempt(input);
      if (killNext) await redis.stop();
      return reserved;
    };
    const h = harness({ store: dying });
    const { secret } = await enrolled(h);
    const { app } = testApp(h);
    const login = await request(app)
      .post('/login')
      .send({ user: 'ana', password: 'correct horse' });
    const cookie = sessionCookie(login);

    killNext = true;
    const res = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', retry_after: 5 });
    expect(h.events.map((e) => e.type)).not.toContain('mfa.throttled');
    expect(h.events.filter((e) => e.type === 'mfa.verified')).toHaveLength(1); // enrolment

    killNext = false;
    const down = await request(app)
      .post('/mfa/verify')
      .set('Cookie', cookie)
      .send({ code: codeAt(secret, h.clock.ms) });
    expect(down.status).toBe(503);
    expect(down.headers['set-cookie']).toBeUndefined();
    expect((await request(app).get('/api/jobs').set('Cookie', cookie)).status).toBe(401);
  });
});

// Two gateway replicas: their own Redis connections, one user database.
describe.runIf(sharedRedisUrl())('two replicas on one real Redis', () => {
  const stores: RedisStore[] = [];
  const clock = new FakeClock(T0);

  beforeAll(async () => {
    const prefix = `mfa-replicas-${randomBytes(6).toString('hex')}:`;
    for (let i = 0; i < 2; i++)
      stores.push(createRedisStore({ url: sharedRedisUrl() ?? '', prefix }));
    await Promise.all(stores.map((store) => store.ready()));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  function replicas() {
    const records = new SlowRecords();
    const encryption = testKeys();
    const make = (store: RedisStore) =>
      new Mfa({ issuer: 'Galaxy', records, encryption, store, now: clock.now });
    return { records, a: make(stores[0] as RedisStore), b: make(stores[1] as RedisStore) };
  }

  async function enrol(mfa: Mfa, userId: string) {
    const start = await mfa.startEnrolment({ userId });
    const confirmed = await mfa.confirmEnrolment(userId, codeAt(start.secret, clock.ms));
    if (!confirmed.ok) throw new Error('enrolment failed');
    clock.advance(30_000);
    return { secret: start.secret, recoveryCodes: confirmed.recoveryCodes };
  }

  it('records four recovery codes used at once on two replicas (lost update)', async () => {
    const { records, a, b } = replicas();
    const userId = `eve-${randomBytes(4).toString('hex')}`;
    const { recoveryCodes } = await enrol(a, userId);
    const outcomes = await Promise.all(
      recoveryCodes.slice(0, 4).map((code, i) => (i % 2 ? a : b).verify(userId, code)),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect((await records.load(userId))?.recovery?.usedAt.filter((at) => at !== null)).toHaveLength(
      4,
    );
    expect((await a.status(userId)).recoveryCodesLeft).toBe(6);
  });

  it('refuses a future-step code replayed at its last valid ms on both replicas', async () => {
    const { a, b } = replicas();
    const userId = `fay-${randomBytes(4).toString('hex')}`;
    const { secret } = await enrol(a, userId);
    const ahead = codeAt(secret, clock.ms + 30_000); // a phone clock 30 s fast
    expect(await a.verify(userId, ahead)).toMatchObject({ ok: true, driftSteps: 1 });

    clock.advance(2 * 30_000 + 29_999); // the last millisecond of step + 2, still in the window
    const outcomes: VerifyOutcome[] = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).verify(userId, ahead, { address: `198.51.100.${i}` }),
      ),
    );
    expect(outcomes.every((outcome) => !outcome.ok && outcome.reason === 'replay')).toBe(true);
    clock.advance(1);
    expect(await b.verify(userId, codeAt(secret, clock.ms))).toMatchObject({ ok: true });
  });
});
