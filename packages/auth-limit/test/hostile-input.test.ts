import { type AuthLimitEvent, formatAuthLogLine } from '@galaxy-harden/auth-limit';
import { type LoginLimiterOptions, loginLimiter } from '@galaxy-harden/auth-limit/express';
import { MemoryStore } from '@galaxy-harden/store';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';

/**
 * A login route that records the account each let-through request was counted under, and
 * reports every attempt as a wrong password unless `settle` says otherwise.
 */
function app(
  options: Partial<LoginLimiterOptions> = {},
  settle: 'fail' | 'forget' | 'throw' = 'fail',
) {
  const events: AuthLimitEvent[] = [];
  const accounts: string[] = [];
  const a = express();
  const limiter = loginLimiter({
    store: new MemoryStore(),
    accountFrom: (req) => req.body?.username,
    onEvent: (e) => events.push(e),
    ...options,
  });
  a.post('/login', express.json({ limit: '1mb' }), limiter, async (req, res) => {
    accounts.push(req.authLimit?.account as string);
    if (settle === 'throw') throw new Error('user lookup failed');
    if (settle === 'fail') await req.authLimit?.recordFailure();
    res.status(401).json({ error: 'invalid' });
  });
  const onError: ErrorRequestHandler = (_err, _req, res, _next) => {
    res.status(500).json({ error: 'internal' });
  };
  a.use(onError);
  const post = (body: unknown) =>
    request(a)
      .post('/login')
      .send(body as object);
  return { post, events, accounts };
}

describe('account name variants through loginLimiter', () => {
  it('counts invisible, full-width, spaced and dotless-i spellings as one account', async () => {
    const { post, accounts } = app({ accountAddress: { threshold: 3 } });
    const names = [
      'al\u200bice',
      'ＡＬＩＣＥ',
      ' alice\u00ad',
      'al\u0131ce',
      'ali\u2060ce',
      'ALICE',
    ];
    const statuses: number[] = [];
    for (const username of names) statuses.push((await post({ username, password: 'x' })).status);

    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    expect(accounts).toEqual(['alice', 'alice', 'alice']);
  });

  it('counts non-string and missing names as the empty name, never as alice', async () => {
    const { post, accounts } = app();
    const bodies = [['alice'], { name: 'alice' }, 42, null, true, undefined];
    for (const username of bodies) await post({ username, password: 'x' });
    await post({ password: 'x' });
    const alice = await post({ username: 'alice', password: 'x' });

    expect(accounts.slice(0, -1)).toEqual(Array(7).fill(''));
    expect(accounts.at(-1)).toBe('alice');
    expect(alice.status).toBe(401);
  });
});

describe('log flooding with a 100 KB account name', () => {
  it('shows the name as a digest in events and log lines; the app gets the name', async () => {
    const { post, events, accounts } = app();
    const username = 'x'.repeat(50_000) + '\u200b'.repeat(16_000);
    await post({ username, password: 'x' });
    const [failure] = events;
    const line = failure ? formatAuthLogLine(failure) : '';

    expect(accounts[0]).toHaveLength(50_000);
    expect(failure).toMatchObject({
      type: 'auth.failure',
      account: expect.stringMatching(/^sha256:/),
    });
    expect(line.length).toBeLessThan(300);
    expect(line).toMatch(/ account="sha256:[\w-]{43}"\n$/);
  });

  it('keeps a name with a forged log line on one line, after the real address', async () => {
    const { post, events } = app();
    const forged =
      '\n2026-01-01T00:00:00.000Z galaxy-harden auth-limit: auth.failure address=6.6.6.6';
    await post({ username: `mallory${forged}`, password: 'x' });
    const line = formatAuthLogLine(events[0] as AuthLimitEvent);

    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).toMatch(
      /^\S+ galaxy-harden auth-limit: auth\.failure address=(::ffff:)?127\.0\.0\.1 /,
    );
  });
});

describe('a handler that never reports the outcome', () => {
  it.each(['forget', 'throw'] as const)(
    'counts the attempt as a wrong secret (%s)',
    async (how) => {
      const { post, accounts } = app({}, how);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await post({ username: 'bob' })).status);

      expect(accounts).toHaveLength(10);
      expect(statuses.at(-1)).toBe(429);
      expect(statuses[0]).toBe(how === 'throw' ? 500 : 401);
    },
  );
});
