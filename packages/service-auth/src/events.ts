import type { ServiceAuthErrorCode } from './errors.js';

/**
 * A call was authenticated; `peer` is the verified caller.
 *
 * @example
 * onEvent: (e) => e.type === 'service.authenticated' && audit.info(e.peer, e.path)
 */
export interface AuthenticatedEvent {
  type: 'service.authenticated';
  peer: string;
  kid: string;
  jti: string;
  method: string;
  path: string;
}

/**
 * A call was refused. `code` says why; `peer` and `kid` are present once known (before the
 * signature is checked they are only what the token claims).
 *
 * @example
 * onEvent: (e) => e.type === 'service.rejected' && audit.warn(e.code, e.peer)
 */
export interface RejectedEvent {
  type: 'service.rejected';
  code: ServiceAuthErrorCode;
  reason: string;
  method: string;
  path: string;
  peer?: string;
  kid?: string;
}

/**
 * A peer's JWKS URL answered with a usable key set.
 *
 * @example
 * onEvent: (e) => e.type === 'service.keys-refreshed' && metrics.gauge('keys', e.keyCount)
 */
export interface KeysRefreshedEvent {
  type: 'service.keys-refreshed';
  peer: string;
  keyCount: number;
  /** Keys in the set this package cannot use (other algorithms, bad members), ignored. */
  skippedCount: number;
}

/**
 * A fetch of a peer's JWKS URL failed; `usingStaleKeys` tells whether last-known keys serve.
 *
 * @example
 * onEvent: (e) => e.type === 'service.keys-fetch-failed' && !e.usingStaleKeys && page()
 */
export interface KeysFetchFailedEvent {
  type: 'service.keys-fetch-failed';
  peer: string;
  reason: string;
  usingStaleKeys: boolean;
}

/**
 * An authenticated call's answer could not be signed (streamed, or headers already sent).
 *
 * @example
 * onEvent: (e) => e.type === 'service.response-unsigned' && audit.warn(e.reason)
 */
export interface ResponseUnsignedEvent {
  type: 'service.response-unsigned';
  peer: string;
  jti: string;
  reason: string;
}

/**
 * The fetch wrapper refused an answer: it did not prove it came from the expected peer.
 *
 * @example
 * onEvent: (e) => e.type === 'service.response-rejected' && audit.error(e.peer)
 */
export interface ResponseRejectedEvent {
  type: 'service.response-rejected';
  peer: string;
  status: number;
  reason: string;
}

/**
 * Every event this package reports through `onEvent`.
 *
 * @example
 * const onEvent = (event: ServiceAuthEvent) => log.write(JSON.stringify(event));
 */
export type ServiceAuthEvent =
  | AuthenticatedEvent
  | RejectedEvent
  | KeysRefreshedEvent
  | KeysFetchFailedEvent
  | ResponseUnsignedEvent
  | ResponseRejectedEvent;

/**
 * The `onEvent` callback: send events to the audit log. It must not throw.
 *
 * @example
 * const onEvent: ServiceAuthEventHandler = (event) => audit.write(event);
 */
export type ServiceAuthEventHandler = (event: ServiceAuthEvent) => void;

/** Calls `onEvent`, swallowing what it throws: a broken log sink must not change a verdict. */
export function emit(handler: ServiceAuthEventHandler | undefined, event: ServiceAuthEvent): void {
  if (handler === undefined) return;

  try {
    handler(event);
  } catch {
    // Deliberately ignored: see above.
  }
}
