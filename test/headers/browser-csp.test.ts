import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from '@galaxy-harden/headers/express';
import express from 'express';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../examples/gateway/src/server.js';
import { freePort } from '../support/redis-server.js';

const CHROMIUM = '/usr/bin/chromium';
// Debian's Chromium as root needs --no-sandbox; the rest keeps it off the (closed) network.
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A page that reflects `name` unescaped: the XSS a CSP is there to contain. */
function vulnerablePage(name: string, nonce: string | undefined): string {
  return `<!doctype html><html><head><title>demo</title>
<script nonce="${nonce}">
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.violations.push(e.effectiveDirective + ' ' + e.disposition);
  });
  document.documentElement.dataset.nonceRan = 'yes';
</script></head>
<body><p>Hello ${name}</p></body></html>`;
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function demoApp(reportOnly: boolean): express.Express {
  const app = express();
  app.use(securityHeaders({ csp: { reportOnly } }));
  app.get('/', (req, res) =>
    res.type('html').send(vulnerablePage(String(req.query.name ?? ''), res.locals.cspNonce)),
  );
  return app;
}

// Evaluated in the page as text, so the test needs no DOM typings.
const STATE = `({
  nonceRan: document.documentElement.dataset.nonceRan ?? null,
  injected: document.documentElement.dataset.injected ?? null,
  violations: window.violations,
})`;
const FRAME_STATE = 'document.documentElement.dataset.nonceRan ?? null';

interface PageState {
  nonceRan: string | null;
  injected: string | null;
  violations: string[];
}

const INJECTED = "<script>document.documentElement.dataset.injected = 'yes'</script>";

describe.runIf(existsSync(CHROMIUM))(
  'CSP in a real browser (class: defaults break the app)',
  () => {
    let browser: Browser;
    const servers: Server[] = [];
    let enforced = '';
    let reportOnly = '';
    let otherOrigin = '';

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
      const a = await listen(demoApp(false));
      const b = await listen(demoApp(true));
      const embedder = express();
      embedder.get('/', (req, res) => res.send(`<iframe id="f" src="${req.query.src}"></iframe>`));
      const c = await listen(embedder);
      servers.push(a.server, b.server, c.server);
      [enforced, reportOnly, otherOrigin] = [a.url, b.url, c.url];
    });

    afterAll(async () => {
      await browser?.close();
      for (const server of servers) server.close();
    });

    async function visit(url: string) {
      const page = await browser.newPage();
      await page.goto(url);
      const state = (await page.evaluate(STATE)) as PageState;
      await page.close();
      return state;
    }

    it('runs the nonce-bearing script and blocks an injected inline script', async () => {
      const state = await visit(`${enforced}/?name=${encodeURIComponent(INJECTED)}`);
      expect(state).toEqual({
        nonceRan: 'yes',
        injected: null,
        violations: ['script-src-elem enforce'],
      });
    });

    it('blocks nothing but reports the script in report-only mode (rollout)', async () => {
      const state = await visit(`${reportOnly}/?name=${encodeURIComponent(INJECTED)}`);
      expect(state).toEqual({
        nonceRan: 'yes',
        injected: 'yes',
        violations: ['script-src-elem report'],
      });
    });

    it('refuses to be framed by another origin (frame-ancestors, X-Frame-Options)', async () => {
      const page = await browser.newPage();
      const refused = page.waitForEvent('console', (m) => /frame|ancestor/i.test(m.text()));
      await page.goto(`${otherOrigin}/?src=${encodeURIComponent(`${enforced}/?name=x`)}`);
      expect((await refused).text()).toContain("frame-ancestors 'self'");
      const framed = page.frames().find((f) => f !== page.mainFrame());
      const loaded = await framed?.evaluate(FRAME_STATE).catch(() => null);
      expect(loaded ?? null).toBeNull();
      await page.close();
    });
  },
);

describe.runIf(existsSync(CHROMIUM))('the demo gateway page in a real browser, over HTTPS', () => {
  let browser: Browser;
  let gateway: RunningGateway;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    // The page alone is under test; no job runner is needed behind it.
    const jobRunnerUrl = `http://127.0.0.1:${await freePort()}`;
    gateway = await startGateway({ port: 0, https: { httpPort: 0 }, jobRunnerUrl });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('runs the page script with its nonce and blocks a script injected into the page', async () => {
    // The self-signed certificate is made at start; this browser profile cannot trust it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    // Stands in for stored XSS: the real answer, headers untouched, with a script added.
    await page.route(`${gateway.url}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<main>', `<main>${INJECTED}`);
      await route.fulfill({ response, body });
    });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) violations.push(m.text());
    });

    await page.goto(`${gateway.url}/`);
    // app.js (loaded with the nonce) hides the sed options when grep is picked.
    await page.check('input[value="grep"]');
    await page.waitForSelector('#sed-options', { state: 'hidden' });
    const injected = await page.evaluate('document.documentElement.dataset.injected ?? null');
    expect(injected).toBeNull();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain("script-src 'self' 'nonce-");
    await context.close();
  });
});
