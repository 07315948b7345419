import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../src/express-security-headers.js';
import { noStore } from '../src/no-store.js';

describe('noStore (class: caching of auth answers)', () => {
  const app = express();
  app.use(securityHeaders());
  app.post('/login', noStore(), (_req, res) => res.status(401).json({ error: 'bad credentials' }));
  app.post('/mfa/verify', noStore(), (_req, res) => res.json({ ok: true }));
  app.post('/token', noStore(), (_req, res) => res.json({ access_token: 'eyJ...' }));

  it.each(['/login', '/mfa/verify', '/token'])('marks %s Cache-Control: no-store', async (path) => {
    const res = await request(app).post(path);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
