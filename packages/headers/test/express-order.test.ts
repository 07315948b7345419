import express from 'express';
import { rateLimit } from 'express-rate-limit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { assertMountedFirst } from '../src/express-order.js';
import { securityHeaders } from '../src/express-security-headers.js';
import { fieldValues } from './support/http.js';
import { thrown } from './support/thrown.js';

function limitedApp(headersFirst: boolean) {
  const headers = securityHeaders();
  const limiter = rateLimit({ windowMs: 60_000, limit: 1 });
  const app = express();
  app.set('trust proxy', 'loopback');
  if (headersFirst) app.use(headers, limiter);
  else app.use(limiter, headers);
  app.get('/login', (_req, res) => res.send('form'));
  return { app, headers };
}

async function secondAnswer(app: express.Express) {
  await request(app).get('/login').set('X-Forwarded-Proto', 'https');
  return request(app).get('/login').set('X-Forwarded-Proto', 'https');
}

describe('mounting order (class: headers missing on early answers)', () => {
  it("gives a limiter's 429 the headers when securityHeaders is mounted first", async () => {
    const { app, headers } = limitedApp(true);
    const res = await secondAnswer(app);
    expect(res.status).toBe(429);
    expect(fieldValues(res, 'strict-transport-security')).toHaveLength(1);
    expect(() => assertMountedFirst(app, headers)).not.toThrow();
  });

  it('shows why: a limiter mounted first answers 429 without HSTS; check refuses', async () => {
    const { app, headers } = limitedApp(false);
    const res = await secondAnswer(app);
    expect(res.status).toBe(429);
    expect(fieldValues(res, 'strict-transport-security')).toEqual([]);

    const err = thrown(() => assertMountedFirst(app, headers));
    expect(err.code).toBe('ERR_HEADERS_ORDER');
    expect(err.message).toMatch(
      /must be the first middleware, but the first is .*Fix: call app.use/,
    );
  });

  it('refuses an app with no middleware at all', () => {
    const err = thrown(() => assertMountedFirst(express(), securityHeaders()));
    expect(err.code).toBe('ERR_HEADERS_ORDER');
    expect(err.message).toContain('the first is missing');
  });
});
