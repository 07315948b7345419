import { readFileSync } from 'node:fs';
import { auditHeaders, HeadersError, nginxConfig } from '@galaxy-harden/headers';
import { securityErrorHandler, securityHeaders } from '@galaxy-harden/headers/express';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';

describe('the built package, imported as a user would', () => {
  it('serves headers that its own audit passes', async () => {
    const headers = securityHeaders();
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(headers);
    app.get('/', (_req, res) => res.send('ok'));
    app.use(securityErrorHandler(headers));

    const res = await request(app).get('/').set('X-Forwarded-Proto', 'https');
    expect(
      auditHeaders({ url: 'https://galaxy.test/', status: res.status, headers: res.headers }),
    ).toEqual([]);
  });

  it('throws its own error class at start-up', () => {
    expect(() => securityHeaders({ hsts: { preload: true, includeSubDomains: false } })).toThrow(
      HeadersError,
    );
  });

  it('ships an executable audit command and the nginx generator', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const cli = readFileSync(
      new URL(`../${pkg.bin['galaxy-headers-audit']}`, import.meta.url),
      'utf8',
    );
    expect(cli.startsWith('#!/usr/bin/env node')).toBe(true);
    expect(typeof nginxConfig).toBe('function');
  });
});
