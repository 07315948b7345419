import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pages, renderPage } from '../src/pages.js';

function appWithNonce(nonce: unknown) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = nonce;
    next();
  });
  app.use(pages());
  return app;
}

describe('pages', () => {
  it('serves the page with no inline script, style or event handler (CSP-ready)', async () => {
    const response = await request(express().use(pages())).get('/');
    const scripts = response.text.match(/<script\b[^>]*>/g) ?? [];

    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    expect(scripts).toEqual(['<script src="/static/app.js" defer>']);
    expect(response.text).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(response.text).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('puts the nonce a headers middleware set on the script tag', async () => {
    const nonce = 'AbCdEfGhIjKlMnOpQrStUv==';
    const response = await request(appWithNonce(nonce)).get('/');

    expect(response.text).toContain(`<script src="/static/app.js" defer nonce="${nonce}">`);
  });

  it.each([['"><script>alert(1)</script>'], [42], ['short']])(
    'leaves out a nonce that is not base64 of 16 characters or more: %j',
    async (nonce) => {
      const response = await request(appWithNonce(nonce)).get('/');

      expect(response.text).not.toContain('nonce=');
      expect(response.text).not.toContain('alert(1)');
    },
  );

  it('serves the browser script and stylesheet as files', async () => {
    const app = express().use(pages());
    const script = await request(app).get('/static/app.js');
    const style = await request(app).get('/static/app.css');

    expect(script.status).toBe(200);
    expect(script.type).toBe('text/javascript');
    expect(script.text).toContain("fetch('/api/jobs'");
    expect(style.type).toBe('text/css');
  });

  it('serves nothing outside the public directory', async () => {
    const app = express().use(pages());

    for (const path of ['/static/../src/pages.ts', '/static/%2e%2e/package.json', '/static/']) {
      expect((await request(app).get(path)).status).toBe(404);
    }
  });

  it('renders every form control the script reads', () => {
    const html = renderPage(undefined);

    for (const id of ['job-form', 'dataset', 'program', 'sed-options', 'grep-options', 'stdout']) {
      expect(html).toContain(`id="${id}"`);
    }
  });
});
