import { randomUUID } from 'node:crypto';
import type { AuthLimitEvent } from '@galaxy-harden/auth-limit';
import { type LoginLimiterOptions, loginLimiter } from '@galaxy-harden/auth-limit/express';
import { type AttemptStore, createRedisStore, MemoryStore } from '@galaxy-harden/store';
import express from 'express';
import { sharedRedisUrl } from '../../../test/support/redis-server.js';

/** A controllable clock, shared by a limiter and its memory store. */
export function testClock(start = 1_750_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Store factories every behaviour test runs on: memory always, Redis when it is up. */
export const stores: Array<{ name: string; make: (now: () => number) => Promise<AttemptStore> }> = [
  { name: 'memory', make: async (now) => new MemoryStore({ now }) },
];
const url = sharedRedisUrl();
if (url) {
  stores.push({
    name: 'redis',
    make: async () => {
      const store = createRedisStore({ url, prefix: `al:${randomUUID()}:` });
      await store.ready();
      return store;
    },
  });
}

/**
 * A login app as a user would write it: the limiter, then a password check that counts
 * how often it runs. `secret` is every user's password; `disabled` users are refused
 * without a password verdict; the `X-CSRF` header must be `ok`.
 */
export function loginApp(options: Partial<LoginLimiterOptions> & { store: AttemptStore }) {
  const events: AuthLimitEvent[] = [];
  const app = express();
  app.set('trust proxy', 'loopback');
  const checks = { count: 0 };
  const limiter = loginLimiter({
    accountFrom: (req) => req.body?.username,
    onEvent: (e) => events.push(e),
    ...options,
  });
  app.post('/login', express.json(), limiter, async (req, res) => {
    const auth = req.authLimit;
    if (!auth) throw new Error('no authLimit on an allowed request');
    if (req.get('x-csrf') !== 'ok') {
      await auth.release();
      return res.status(403).json({ error: 'csrf' });
    }
    if (auth.account === 'disabled') {
      await auth.release();
      return res.status(403).json({ error: 'disabled' });
    }
    checks.count++;
    await new Promise((resolve) => setImmediate(resolve));
    const ok = req.body?.password === 'secret';
    await (ok ? auth.recordSuccess() : auth.recordFailure());
    res.status(ok ? 200 : 401).json(ok ? { ok: true, stepUp: auth.stepUp } : { error: 'invalid' });
  });
  return { app, checks, events, limiter };
}
