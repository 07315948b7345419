import type { LuaScript } from './redis-scripts.js';

/**
 * Arguments of `EVAL` and `EVALSHA` in node-redis.
 *
 * @example
 * const options: EvalOptions = { keys: ['{t}:k'], arguments: ['1'] };
 */
export interface EvalOptions {
  keys: string[];
  arguments: string[];
}

/**
 * The part of a node-redis client (`createClient()`) or cluster (`createCluster()`) the
 * store uses. Lifecycle methods are optional: a client you pass in is yours to connect
 * and close.
 *
 * @example
 * const client = createClient({ url });
 * await client.connect();
 * const store = createRedisStore({ client });
 */
export interface RedisStoreClient {
  evalSha(sha1: string, options: EvalOptions): Promise<unknown>;
  eval(script: string, options: EvalOptions): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  withCommandOptions?(options: { timeout: number; rejectInFlight: boolean }): RedisStoreClient;
  on?(event: string, listener: (error: Error) => void): unknown;
  once?(event: string, listener: (error: Error) => void): unknown;
  off?(event: string, listener: (error: Error) => void): unknown;
  connect?(): Promise<unknown>;
  close?(): Promise<unknown>;
  destroy?(): unknown;
  isReady?: boolean;
  isOpen?: boolean;
}

/**
 * What the Redis connection reports through `onEvent`: errors (a dead Redis, a refused
 * connection), reconnection attempts, and each time it is ready again.
 *
 * @example
 * createRedisStore({ url, onEvent: (e) => log.warn(e) });
 */
export type RedisStoreEvent =
  | { type: 'store.error'; error: string }
  | { type: 'store.reconnecting' }
  | { type: 'store.ready' };

/** Runs a script with EVALSHA, loading it with EVAL only when Redis says NOSCRIPT. */
export function scriptRunner(client: RedisStoreClient) {
  return async (script: LuaScript, keys: string[], args: string[]): Promise<unknown> => {
    const options = { keys, arguments: args };
    try {
      return await client.evalSha(script.sha1, options);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;

      return client.eval(script.source, options);
    }
  };
}
