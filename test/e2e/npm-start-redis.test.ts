import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRedisStore, type RedisStore } from '@galaxy-harden/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../mfa/support/login-flow.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import { DemoProcess, runJsonLine } from './support/demo-process.js';
import { httpsFetchTrusting } from './support/https-fetch.js';

// `GALAXY_HARDEN_REDIS_URL=... npm start`, twice on one Redis as two replicas would run:
// the login limiter, the second factor's replay and throttle state and the job runner's
// replay guard all go to Redis, under a prefix of this test's own.
const url = sharedRedisUrl() ?? '';
const prefix = `npm-start-${randomBytes(4).toString('hex')}:`;

describe.runIf(url)('npm start with Redis (GALAXY_HARDEN_REDIS_URL)', () => {
  let replicas: DemoProcess[] = [];
  let redis: RedisStore;

  beforeAll(async () => {
    const env = { GALAXY_HARDEN_REDIS_URL: url, GALAXY_HARDEN_REDIS_PREFIX: prefix };
    replicas = await Promise.all([DemoProcess.start(env), DemoProcess.start(env)]);
    redis = createRedisStore({ url, prefix });
    await redis.ready();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((demo) => demo.stop()));
    await redis?.close();
  });

  it('says where its state is, without a password', () => {
    expect(replicas[0]?.banner).toContain(
      `state:      Redis at ${url}, keys under ${prefix} ` +
        '(limits, second-factor replay, signed-call replay)',
    );
  });

  it('keeps the accepted time step and the signed call ids in Redis', async () => {
    const demo = replicas[0] as DemoProcess;
    const [login, code, sed] = demo.printedLines().map((line) => runJsonLine(line));
    const verified = await demo.nextEvent(
      (e) => e.type === 'mfa.verified' && e.purpose === 'login',
    );
    const call = await demo.nextEvent((e) => e.type === 'service.authenticated');

    expect([login, code]).toEqual([
      { ok: true, user: 'ana' },
      { ok: true, method: 'totp' },
    ]);
    expect(sed).toMatchObject({ exitCode: 0 });
    const step = Math.floor(Number(verified.at) / 30_000) + Number(verified.driftSteps);
    expect(await redis.get(`mfa:totp-step:${String(verified.credentialId)}`)).toBe(String(step));
    expect(await redis.get(`service-auth:jti:gateway:${String(call.jti)}`)).toBe('1');
  });

  it('shares failed-login counts: a lockout earned on one replica holds on the other', async () => {
    const [one, two] = replicas.map(browserFor);
    const wrong = { username: 'ben', password: 'not-bens-password' };
    let status = 0;
    for (let tries = 0; tries < 20 && status !== 429; tries++) {
      status = (await one?.call('POST', '/api/login', wrong))?.status ?? 0;
    }
    const right = await two?.call('POST', '/api/login', { ...wrong, password: 'ben-galaxy-demo' });

    expect(status).toBe(429);
    expect(right?.status).toBe(429);
    expect(right?.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

function browserFor(demo: DemoProcess): Browser {
  const text = demo.banner.join('\n');
  const base = /^Open (https:\/\/\S+)\/login /m.exec(text)?.[1] ?? '';
  const ca = readFileSync(/made at start: (\S+)$/m.exec(text)?.[1] ?? '', 'utf8');

  return new Browser(base, httpsFetchTrusting(ca));
}
