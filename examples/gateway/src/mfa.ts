import { randomBytes } from 'node:crypto';
import {
  type EnforcementRule,
  MemoryMfaRecords,
  Mfa,
  type MfaRecordStore,
} from '@galaxy-harden/mfa';
import { type MfaExpress, mfaExpress, type SessionAccess } from '@galaxy-harden/mfa/express';
import { type AttemptStore, MemoryStore } from '@galaxy-harden/store';
import { type RequestHandler, Router } from 'express';
import type { EventSink } from './events.js';
import { type MfaPageName, sendMfaPage } from './mfa-pages.js';

/** Options of {@link gatewayMfa}. */
export interface GatewayMfaOptions {
  /** The login module's session, seen through the package's small interface. */
  session: SessionAccess;
  /** Path of the password login page, where a missing or ended login is sent. */
  loginPath: string;
  onEvent: EventSink;
  /** Defaults to a `MemoryMfaRecords` (the demo keeps users in memory). */
  records?: MfaRecordStore;
  /**
   * Replay markers, code counters and lockouts; defaults to a `MemoryStore` on `now`. Give
   * every replica the same Redis store.
   */
  store?: AttemptStore;
  /** AES-256 key sealing TOTP secrets; defaults to a random key made at start-up. */
  encryptionKey?: Uint8Array;
  /** Defaults to site-wide enforcement from start-up with no grace period. */
  enforcement?: readonly EnforcementRule[];
  now?: () => number;
}

/** The second factor, wired into the gateway. */
export interface GatewayMfa {
  mfa: Mfa;
  gate: MfaExpress;
  /** `GET /login`, pages under `/mfa/*` and the JSON API under `/mfa/api/*`. */
  router: Router;
  /** Second factor passed, or not (yet) required. */
  requireMfa: RequestHandler;
  /** The sensitive-action guard: a second factor at most five minutes old. */
  requireFreshMfa: RequestHandler;
}

const PAGES = { secondStep: '/mfa/code', enrol: '/mfa/enrol', stepUp: '/mfa/step-up' };

/**
 * Builds the demo's second factor: TOTP enrolment from a page with a QR code, the code step
 * after the password, site-wide enforcement, and step-up for managing the factor.
 *
 * @example
 * const second = gatewayMfa({ session, loginPath: '/login', onEvent });
 * app.use(second.router);
 * app.use('/api', second.requireMfa);
 */
export function gatewayMfa(options: GatewayMfaOptions): GatewayMfa {
  const now = options.now ?? Date.now;
  const mfa = new Mfa({
    issuer: 'galaxy-harden demo',
    records: options.records ?? new MemoryMfaRecords(),
    encryption: { keys: { demo: options.encryptionKey ?? randomBytes(32) }, currentKeyId: 'demo' },
    enforcement: options.enforcement ?? [{ enforcedSince: now(), graceSeconds: 0 }],
    now,
    onEvent: options.onEvent,
    // Always passed, never left to the package's default: where this state lives is the
    // gateway's decision (memory for one process, Redis for replicas).
    store: options.store ?? new MemoryStore({ now }),
  });
  const gate = mfaExpress({
    mfa,
    session: options.session,
    pages: { login: options.loginPath, ...PAGES },
  });

  return {
    mfa,
    gate,
    router: mfaRouter(gate),
    requireMfa: gate.requireMfa,
    requireFreshMfa: gate.requireFreshMfa({ maxAgeSeconds: 300 }),
  };
}

function mfaRouter(gate: MfaExpress): Router {
  const router = Router();
  router.use('/mfa/api', gate.routes);
  router.get('/login', (_req, res) => sendMfaPage('login', res));
  page(router, 'code', gate.requirePassword);
  page(router, 'enrol', gate.requirePassword);
  page(router, 'step-up', gate.requireMfa);
  page(router, 'settings', gate.requireMfa);

  return router;
}

function page(router: Router, name: MfaPageName, guard: RequestHandler): void {
  router.get(`/mfa/${name}`, guard, (_req, res) => sendMfaPage(name, res));
}
