import { RESPONSE_HEADER } from './claims.js';
import { assertFunction, assertNumberInRange, optionError, ServiceAuthError } from './errors.js';
import { emit, type ServiceAuthEventHandler } from './events.js';
import type { ServiceIdentity } from './identity.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { createPeer, type Peer, type PeerOptions } from './peers.js';
import { verifyResponse } from './response-signing.js';
import { type SignedRequest, signRequest } from './sign-request.js';

/**
 * Options of {@link createServiceFetch}.
 *
 * @example
 * const call = await createServiceFetch({ identity, peer, lifetimeSeconds: 10 });
 */
export interface ServiceFetchOptions {
  /** This component, the caller. */
  identity: ServiceIdentity;
  /** The one component this wrapper calls; its keys check every answer. `routes` is ignored. */
  peer: PeerOptions;
  /** The `fetch` underneath (e.g. one with a mutual-TLS dispatcher); defaults to the global. */
  fetch?: typeof fetch;
  /** Lifetime of each request token; defaults to 30, at most 60. */
  lifetimeSeconds?: number;
  /** Clock skew allowed on the answer's `iat`/`exp`; defaults to 5, at most 30. */
  clockToleranceSeconds?: number;
  /** Largest answer body read; defaults to 10 485 760. */
  maxResponseBytes?: number;
  /**
   * `x5t#S256` of the TLS client certificate `fetch` presents, to bind each token to it.
   * Defaults to none (tokens not bound to a certificate).
   */
  certificateThumbprint?: string;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Receives `service.response-rejected` and key-fetch events; defaults to none. */
  onEvent?: ServiceAuthEventHandler;
}

/**
 * `RequestInit` with a body this wrapper can digest (the bytes must be known to sign).
 *
 * @example
 * await call(url, { method: 'POST', body: JSON.stringify(job) } satisfies ServiceRequestInit);
 */
export interface ServiceRequestInit extends Omit<RequestInit, 'body'> {
  body?: string | Uint8Array | null;
}

/**
 * A `fetch` that signs each call and verifies each answer.
 *
 * @example
 * const call: ServiceFetch = await createServiceFetch({ identity, peer });
 */
export type ServiceFetch = (input: string | URL, init?: ServiceRequestInit) => Promise<Response>;

const FETCH_OPTIONS = optionNames<ServiceFetchOptions>({
  identity: true,
  peer: true,
  fetch: true,
  lifetimeSeconds: true,
  clockToleranceSeconds: true,
  maxResponseBytes: true,
  certificateThumbprint: true,
  now: true,
  onEvent: true,
});

interface Settings {
  lifetime: number;
  tolerance: number;
  maxBytes: number;
}

// fetch upper-cases these (and only these) method names (Fetch standard, "normalize").
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function normalizeMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return NORMALIZED.has(upper) ? upper : (method as string);
}

function bodyOf(init: ServiceRequestInit): string | Uint8Array | undefined {
  const body = init.body ?? undefined;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;

  throw new ServiceAuthError(
    'ERR_SERVICE_AUTH_BODY',
    '@galaxy-harden/service-auth: a signed call needs a string or Uint8Array body (streams and ' +
      'forms cannot be digested before sending)',
  );
}

function requestHeaders(init: ServiceRequestInit, signed: SignedRequest): Headers {
  const headers = new Headers(init.headers);
  if (headers.has('authorization')) {
    const fix = 'drop it: the wrapper sets Authorization itself';
    throw optionError('init.headers.authorization', '<not shown>', 'must be absent', fix);
  }
  headers.set('authorization', signed.authorization);

  return headers;
}

/** Reads at most `max` bytes of an answer; more is refused rather than buffered. */
async function readBody(response: Response, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop by the throw cancels the stream. An explicit cancel() here failed: the
  // iterator holds the stream's lock, so the caller got a TypeError instead of this error.
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > max) {
      throw new ServiceAuthError('ERR_SERVICE_AUTH_RESPONSE', 'answer refused: body too large', {
        status: response.status,
      });
    }
    chunks.push(chunk);
  }

  return Buffer.concat(chunks);
}

function checkSettings(options: ServiceFetchOptions): Settings {
  const settings = {
    lifetime: options.lifetimeSeconds ?? 30,
    tolerance: options.clockToleranceSeconds ?? 5,
    maxBytes: options.maxResponseBytes ?? 10_485_760,
  };
  assertNumberInRange('lifetimeSeconds', settings.lifetime, 1, 60);
  assertNumberInRange('clockToleranceSeconds', settings.tolerance, 0, 30);
  assertNumberInRange('maxResponseBytes', settings.maxBytes, 1, 1 << 30);
  assertFunction('fetch', options.fetch);
  assertFunction('now', options.now);
  assertFunction('onEvent', options.onEvent);

  return settings;
}

/**
 * Makes a `fetch` for calling one peer: each call carries a fresh request-bound token, and
 * each answer must carry the peer's signature over this request's `jti`, the status and the
 * body, or the call throws `ERR_SERVICE_AUTH_RESPONSE`. Redirects are not followed.
 *
 * @example
 * const callRunner = await createServiceFetch({ identity, peer: { name: 'job-runner',
 *   algorithms: ['ES256'], jwks: runnerJwks } });
 * const res = await callRunner('http://127.0.0.1:8081/jobs', { method: 'POST', body });
 */
export async function createServiceFetch(options: ServiceFetchOptions): Promise<ServiceFetch> {
  assertKnownKeys('', options, FETCH_OPTIONS);
  if (typeof options?.identity?.name !== 'string') {
    throw optionError(
      'identity',
      '<not shown>',
      'must be a ServiceIdentity',
      'use createServiceIdentity',
    );
  }
  const settings = checkSettings(options);
  const now = options.now ?? Date.now;
  const context = { now, onEvent: options.onEvent, routesRequired: false };
  const peer = await createPeer('peer', options.peer, context);
  const call = new SignedCall(options, settings, peer, now);

  return (input, init) => call.send(input, init ?? {});
}

class SignedCall {
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly options: ServiceFetchOptions,
    private readonly settings: Settings,
    private readonly peer: Peer,
    private readonly now: () => number,
  ) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async send(input: string | URL, init: ServiceRequestInit): Promise<Response> {
    const url = new URL(input);
    if (init.redirect !== undefined && init.redirect !== 'manual') {
      const fix = 'omit it: a signed call is bound to one path';
      throw optionError('init.redirect', init.redirect, 'must be "manual"', fix);
    }
    const method = normalizeMethod(init.method);
    const body = bodyOf(init);
    const signed = await this.sign(method, url, body);

    const headers = requestHeaders(init, signed);
    const request = { ...init, method, body, headers, redirect: 'manual' as const };
    const response = await this.fetchFn(url, request);
    return this.checkAnswer(response, signed.jti);
  }

  private sign(method: string, url: URL, body: string | Uint8Array | undefined) {
    // undici sends pathname + search as the request target; the token must name exactly that.
    return signRequest(this.options.identity, {
      audience: this.peer.name,
      method,
      path: url.pathname + url.search,
      body,
      lifetimeSeconds: this.settings.lifetime,
      now: this.now,
      certificateThumbprint: this.options.certificateThumbprint,
    });
  }

  private async checkAnswer(response: Response, requestJti: string): Promise<Response> {
    const { status } = response;
    try {
      const body = await readBody(response, this.settings.maxBytes);
      await verifyResponse(response.headers.get(RESPONSE_HEADER), this.peer, {
        self: this.options.identity.name,
        requestJti,
        status,
        body,
        nowMs: this.now(),
        clockToleranceSeconds: this.settings.tolerance,
      });
      const init = { status, statusText: response.statusText, headers: response.headers };
      return new Response(NULL_BODY_STATUS.has(status) ? null : body, init);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'answer refused';
      emit(this.options.onEvent, {
        type: 'service.response-rejected',
        peer: this.peer.name,
        status,
        reason,
      });
      throw error;
    }
  }
}
