import type { RedisClientOptions } from 'redis';
import { StoreError } from './errors.js';
import { assertKnownOptions, functionOption } from './option-checks.js';
import type { RedisStoreClient, RedisStoreEvent } from './redis-client.js';

/**
 * Options of {@link createRedisStore}; give `url` or `client`, not both.
 *
 * @example
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', commandTimeoutMs: 500 };
 */
export interface RedisStoreOptions {
  /**
   * `redis://` or `rediss://` URL of the server the store connects to itself; defaults to
   * none (then `client` is required).
   */
  url?: string;
  /**
   * An existing node-redis client or cluster; you connect and close it. Defaults to none
   * (then `url` is required).
   */
  client?: RedisStoreClient;
  /** Put before every key, outside any hash tag; defaults to `'gh:'`. */
  prefix?: string;
  /** A command without a reply after this long fails, in milliseconds; defaults to 1000. */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts, in milliseconds; defaults to 2000. */
  maxReconnectDelayMs?: number;
  /** Receives connection errors and reconnections; defaults to none (the store never prints). */
  onEvent?: (event: RedisStoreEvent) => void;
}

/** Options after checks and defaults. */
export interface CheckedRedisOptions {
  client: RedisStoreClient | undefined;
  clientOptions: RedisClientOptions;
  commandOptions: { timeout: number; rejectInFlight: boolean };
  prefix: string;
  onEvent: ((event: RedisStoreEvent) => void) | undefined;
}

const PKG = '@galaxy-harden/store createRedisStore';
const KNOWN = ['url', 'client', 'prefix', 'commandTimeoutMs', 'maxReconnectDelayMs', 'onEvent'];
const CLIENT_METHODS = ['evalSha', 'eval', 'get', 'set', 'del'] as const;

/** Checks the options once, at construction, naming the option and the fix. */
export function checkRedisOptions(options: RedisStoreOptions): CheckedRedisOptions {
  assertKnownOptions(PKG, options, KNOWN);
  const { url, client } = options;
  if ((url === undefined) === (client === undefined)) {
    throw optionError('url/client', 'exactly one must be given', 'pass { url } or { client }');
  }
  checkUrl(url);
  checkClient(client);
  functionOption(PKG, 'onEvent', options.onEvent, 'pass (event) => log(event)');

  const timeout = whole('commandTimeoutMs', options.commandTimeoutMs, 1000);
  const maxDelay = whole('maxReconnectDelayMs', options.maxReconnectDelayMs, 2000);
  const commandOptions = { timeout, rejectInFlight: true };
  return {
    client,
    clientOptions: clientOptions(url, commandOptions, maxDelay),
    commandOptions,
    prefix: prefix(options.prefix),
    onEvent: options.onEvent,
  };
}

// disableOfflineQueue: while reconnecting, commands fail at once instead of piling up for
// ever; timeout with rejectInFlight bounds a command that Redis never answers.
function clientOptions(
  url: string | undefined,
  commandOptions: { timeout: number; rejectInFlight: boolean },
  maxDelay: number,
): RedisClientOptions {
  return {
    url,
    disableOfflineQueue: true,
    commandOptions,
    socket: {
      connectTimeout: commandOptions.timeout,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, maxDelay),
    },
  };
}

// The URL is never echoed: it may carry the Redis password (redis://:secret@host). The
// client's own parse error would keep it on the error object, as `input`.
function checkUrl(url: unknown): void {
  if (url === undefined) return;
  if (typeof url === 'string' && /^rediss?:\/\//.test(url) && URL.canParse(url)) return;

  throw optionError(
    'url',
    'must be a valid redis:// or rediss:// URL (not shown: it may hold a password)',
    'redis://127.0.0.1:6379',
  );
}

// A bare object or another library's client would otherwise fail on every command, and the
// limiter that uses the store would fail closed on every login.
function checkClient(client: unknown): void {
  if (client === undefined) return;
  const given = client as Record<string, unknown> | null;
  if (given !== null && typeof given === 'object') {
    if (CLIENT_METHODS.every((method) => typeof given[method] === 'function')) return;
  }

  throw optionError(
    'client',
    `must be a node-redis client or cluster (${CLIENT_METHODS.join(', ')})`,
    'pass createClient({ url }) from the redis package, or give url instead',
  );
}

function whole(option: string, value: unknown, fallback: number): number {
  const n = value ?? fallback;
  if (Number.isSafeInteger(n) && (n as number) >= 1) return n as number;

  throw optionError(
    option,
    `must be a whole number of milliseconds above 0, got ${value}`,
    'omit it',
  );
}

function prefix(value: unknown): string {
  const p = value ?? 'gh:';
  if (typeof p === 'string' && p.length <= 64) return p;

  throw optionError('prefix', 'must be a string of at most 64 characters', "use 'gh:'");
}

function optionError(option: string, rule: string, fix: string): StoreError {
  return new StoreError('ERR_STORE_OPTION', `${PKG}: option ${option} ${rule}; ${fix}`);
}
