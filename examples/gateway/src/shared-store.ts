import {
  type AttemptStore,
  createRedisStore,
  MemoryStore,
  type RedisStore,
} from '@galaxy-harden/store';
import { GatewayError } from './errors.js';
import type { EventSink } from './events.js';

/**
 * Options of {@link openSharedStore}.
 *
 * @example
 * const options: SharedStoreOptions = { redisUrl: 'redis://127.0.0.1:6379', prefix: 'blue:' };
 */
export interface SharedStoreOptions {
  /** `redis://` or `rediss://` URL; without it the store is a `MemoryStore`. */
  readonly redisUrl?: string;
  /** Put before every Redis key; defaults to `'gh-demo:'`. */
  readonly prefix?: string;
  /** Receives the Redis connection's `store.*` events. */
  readonly onEvent?: EventSink;
}

/**
 * The store the demo's packages share, and where it keeps its state, for the banner.
 *
 * @example
 * const { store, where } = await openSharedStore();
 * gatewayLogin({ onEvent, store });
 */
export interface SharedStore {
  readonly store: AttemptStore;
  /** `memory of this process`, or the Redis server (no password) and the key prefix. */
  readonly where: string;
}

const DEFAULT_PREFIX = 'gh-demo:';

/**
 * Reads the demo's store settings from the environment: `GALAXY_HARDEN_REDIS_URL`, else
 * `REDIS_URL`, and `GALAXY_HARDEN_REDIS_PREFIX`. Empty values count as unset.
 *
 * @example
 * const store = await openSharedStore({ ...sharedStoreSettings(process.env), onEvent });
 */
export function sharedStoreSettings(env: Readonly<Record<string, string | undefined>>): {
  redisUrl?: string;
  prefix?: string;
} {
  const redisUrl = env.GALAXY_HARDEN_REDIS_URL || env.REDIS_URL || undefined;
  const prefix = env.GALAXY_HARDEN_REDIS_PREFIX || undefined;

  return { ...(redisUrl ? { redisUrl } : {}), ...(prefix ? { prefix } : {}) };
}

/**
 * One store for the login limiter, the second factor's replay and throttle state, and the
 * job runner's replay guard: a `MemoryStore` by default, or a Redis store (so replicas share
 * counters and one-time markers) once it has connected.
 *
 * @throws GatewayError `ERR_GATEWAY_STORE` when Redis cannot be reached at start: the demo
 * would otherwise refuse every login (the packages fail closed). The message shows no
 * password.
 * @example
 * const { store, where } = await openSharedStore({ redisUrl: 'redis://127.0.0.1:6379' });
 */
export async function openSharedStore(options: SharedStoreOptions = {}): Promise<SharedStore> {
  const { redisUrl, prefix = DEFAULT_PREFIX, onEvent } = options;
  if (redisUrl === undefined) return { store: new MemoryStore(), where: 'memory of this process' };

  const store = await connectRedis(redisUrl, prefix, onEvent);
  return { store, where: `Redis at ${withoutPassword(redisUrl)}, keys under ${prefix}` };
}

// The store reconnects for ever and fails each command fast meanwhile. At start, the first
// connection error ends the wait instead: the connect timeout bounds it.
function connectRedis(url: string, prefix: string, onEvent?: EventSink): Promise<RedisStore> {
  return new Promise((resolve, reject) => {
    let connected = false;
    const store = createRedisStore({
      url,
      prefix,
      onEvent: (event) => {
        onEvent?.({ ...event });
        if (connected || event.type !== 'store.error') return;

        const error = storeError(`cannot reach Redis at ${withoutPassword(url)} (${event.error})`);
        store.close().finally(() => reject(error));
      },
    });
    store.ready().then(() => {
      connected = true;
      resolve(store);
    });
  });
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  const auth = parsed.username || parsed.password ? '***@' : '';
  const path = parsed.pathname === '/' ? '' : parsed.pathname;

  return `${parsed.protocol}//${auth}${parsed.host}${path}`;
}

function storeError(message: string): GatewayError {
  return new GatewayError('ERR_GATEWAY_STORE', `@galaxy-harden-examples/gateway: ${message}`);
}
