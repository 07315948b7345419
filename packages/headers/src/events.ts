import { optionError } from './errors.js';

/**
 * Security events reported through `onEvent`; the library itself never logs.
 *
 * @example
 * securityHeaders({ onEvent: (event) => auditLog.write(JSON.stringify(event)) });
 */
export type HeadersEvent =
  | {
      /** A `Proxy` request header was removed (httpoxy: CVE-2016-5385 and relatives). */
      type: 'headers.proxy-header-removed';
      at: number;
      ip: string | undefined;
      path: string;
    }
  | {
      /** `X-Forwarded-Proto: https` arrived from a peer that `trust proxy` does not trust. */
      type: 'headers.forwarded-proto-ignored';
      at: number;
      ip: string | undefined;
      path: string;
    }
  | {
      /** A plain-HTTP request named a host outside the redirect allowlist. */
      type: 'headers.host-rejected';
      at: number;
      ip: string | undefined;
      host: string;
    };

/**
 * The callback that receives {@link HeadersEvent}s. It must not throw.
 *
 * @example
 * const onEvent: OnHeadersEvent = (event) => auditLog.write(JSON.stringify(event));
 */
export type OnHeadersEvent = (event: HeadersEvent) => void;

/** An event before its timestamp is added. */
export type UnstampedEvent = HeadersEvent extends infer E
  ? E extends HeadersEvent
    ? Omit<E, 'at'>
    : never
  : never;

/** Wraps `onEvent` so callers pass events without `at`; `undefined` when nobody listens. */
export function eventReporter(
  onEvent: OnHeadersEvent | undefined,
  now: (() => number) | undefined,
): ((event: UnstampedEvent) => void) | undefined {
  if (now !== undefined && typeof now !== 'function') {
    throw optionError('now', now, 'it must be a function returning ms', 'omit it for Date.now');
  }
  if (onEvent === undefined) return undefined;
  if (typeof onEvent !== 'function') {
    throw optionError('onEvent', onEvent, 'it must be a function', 'pass (event) => log(event)');
  }

  const clock = now ?? Date.now;
  return (event) => onEvent({ ...event, at: clock() } as HeadersEvent);
}
