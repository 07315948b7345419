import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../src/app.js';
import { resolveGatewayConfig } from '../src/config.js';
import type { DemoUser } from '../src/login.js';

// `npm start` prints each user's `demoPassword` from this file: it must be the password the
// hash was made from, or a newcomer's first login fails.
const { users } = JSON.parse(
  readFileSync(new URL('../data/users.json', import.meta.url), 'utf8'),
) as { users: DemoUser[] };

describe('the demo users file', () => {
  const app = createGatewayApp({
    config: resolveGatewayConfig({ jobRunnerUrl: 'http://127.0.0.1:9' }),
  });

  it.each(users)('logs $username in with the demo password it lists', async (user) => {
    const answer = await request(app)
      .post('/api/login')
      .send({ username: user.username, password: user.demoPassword });

    if (user.disabled) {
      expect([answer.status, answer.body]).toEqual([403, { error: 'account_disabled' }]);
      return;
    }
    expect([answer.status, answer.body]).toEqual([200, { ok: true, user: user.username }]);
  });

  it('lists the three documented users, one of them disabled', () => {
    expect(users.map((user) => [user.username, user.disabled === true])).toEqual([
      ['ana', false],
      ['ben', false],
      ['old', true],
    ]);
  });
});
