import { type AttemptStore, MemoryStore } from '@galaxy-harden/store';
import express, { type Express } from 'express';
import type { GatewayConfig } from './config.js';
import { gatewayErrorHandler } from './error-handler.js';
import type { EventSink } from './events.js';
import { assertHeadersFirst, gatewayHeaders } from './headers.js';
import { createJobClient, type JobClient } from './job-client.js';
import { jobsApi } from './jobs-api.js';
import { type GatewayLogin, gatewayLogin } from './login.js';
import { type GatewayMfa, gatewayMfa } from './mfa.js';
import { pages } from './pages.js';

/** What the gateway app is composed from. */
export interface GatewayAppOptions {
  readonly config: GatewayConfig;
  /** Security event sink; defaults to dropping events. */
  readonly onEvent?: EventSink;
  /** The call to the job runner; defaults to an unsigned HTTP client for `config`. */
  readonly jobClient?: JobClient;
  /** Password login and sessions; defaults to `gatewayLogin` with the demo users. */
  readonly login?: GatewayLogin;
  /** Second factor on `login`'s sessions; defaults to `gatewayMfa`, enforced site-wide. */
  readonly mfa?: GatewayMfa;
  /**
   * Counters and one-time markers of the default `login` and `mfa`; defaults to one
   * `MemoryStore`. Pass a Redis store (`openSharedStore`) to share them between replicas.
   */
  readonly store?: AttemptStore;
}

/**
 * The public gateway, composed in order. Each galaxy-harden package wires itself in with its
 * own file and one line at the seam marked for it below; order matters, so keep it.
 *
 * @example
 * const app = createGatewayApp({ config: resolveGatewayConfig({ jobRunnerUrl }) });
 * app.listen(8080, '127.0.0.1');
 */
export function createGatewayApp(options: GatewayAppOptions): Express {
  const { config } = options;
  const onEvent = options.onEvent ?? (() => {});
  const jobClient = options.jobClient ?? defaultJobClient(config);
  const store = options.store ?? new MemoryStore();
  const app = express();
  app.disable('x-powered-by');
  // Before any middleware reads req.ip: the login limiter counts per client address.
  app.set('trust proxy', config.trustProxy);

  // Seam 1: security headers go first (@galaxy-harden/headers). HSTS, the HTTP to HTTPS
  // redirect and httpoxy stripping must cover every answer, errors and 404s included;
  // its CSP nonce goes to res.locals.cspNonce, which pages.ts already uses.
  const headers = gatewayHeaders(onEvent);
  app.use(headers);

  // Seam 2: login and rate limits (@galaxy-harden/auth-limit). Login routes and the
  // failed-login limiter mount here, before any route that needs a user.
  const login = options.login ?? gatewayLogin({ onEvent, store });
  app.use(login.router);
  app.use('/api', login.requireLogin);

  // Seam 3: second factor (@galaxy-harden/mfa). TOTP enrolment pages, then the middleware
  // that refuses /api/* to sessions without a passed second factor.
  const mfa =
    options.mfa ?? gatewayMfa({ session: login.sessions, loginPath: '/login', onEvent, store });
  app.use(mfa.router);
  app.use('/api', mfa.requireMfa);

  app.use(pages());
  // Seam 4: signed internal calls (@galaxy-harden/service-auth) live in job-client.ts:
  // pass a `sign` function to createJobClient; nothing changes here.
  app.use(jobsApi(jobClient, onEvent));

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'ERR_GATEWAY_NOT_FOUND', message: 'no such route' } });
  });
  // Last: errors get the security headers again, JSON for the errors the gateway knows and
  // the headers package's securityErrorHandler (no message, no stack) for all others.
  app.use(gatewayErrorHandler(headers, onEvent));
  assertHeadersFirst(app, headers);

  return app;
}

function defaultJobClient(config: GatewayConfig): JobClient {
  return createJobClient({ baseUrl: config.jobRunnerUrl, timeoutMs: config.jobRunnerTimeoutMs });
}
