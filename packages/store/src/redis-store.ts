import { createClient } from 'redis';
import type {
  AttemptStore,
  ReserveAttemptInput,
  ReserveAttemptResult,
  SettleAttemptInput,
} from './attempt-types.js';
import { assertIncrement, assertKey, assertPositive, StoreError } from './errors.js';
import { assertOneSlot, reserveKeys, settleKeys } from './keys.js';
import { type RedisStoreClient, type RedisStoreEvent, scriptRunner } from './redis-client.js';
import { checkRedisOptions, type RedisStoreOptions } from './redis-options.js';
import { reserveArgs, reserveReply, settleArgs } from './redis-replies.js';
import {
  INCREMENT,
  type LuaScript,
  RESERVE_ATTEMPT,
  SET_IF_GREATER,
  SETTLE_ATTEMPT,
} from './redis-scripts.js';
import type { Counter, IncrementOptions } from './types.js';

/**
 * A store in Redis (or Valkey), shared by every replica. Each operation is one round trip:
 * a single command or one Lua script (EVALSHA, falling back to EVAL once after NOSCRIPT).
 * Commands never queue while Redis is away: they fail at once, or after
 * `commandTimeoutMs` when Redis hangs, with `ERR_STORE_UNAVAILABLE`; the client reconnects
 * by itself with a bounded backoff, and the next operation after that succeeds.
 *
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'gh:' });
 * await store.ready();
 * await store.setIfAbsent('jti:abc', '1', 60_000); // true, then false until it expires
 */
export class RedisStore implements AttemptStore {
  private readonly client: RedisStoreClient;
  private readonly raw: RedisStoreClient;
  private readonly prefix: string;
  private readonly run: (script: LuaScript, keys: string[], args: string[]) => Promise<unknown>;
  private readonly connecting: Promise<void>;
  private readonly owned: boolean;
  private readonly detach: () => void;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    const checked = checkRedisOptions(options);
    this.prefix = checked.prefix;
    this.timeoutMs = checked.commandOptions.timeout;
    this.owned = checked.client === undefined;
    const client = checked.client ?? (createClient(checked.clientOptions) as RedisStoreClient);
    this.raw = client;
    this.detach = listen(client, checked.onEvent);
    this.client = client.withCommandOptions?.(checked.commandOptions) ?? client;
    this.run = scriptRunner(this.client);
    this.connecting = this.owned ? connect(client) : Promise.resolve();
  }

  /** Resolves once the first connection is up (at once for a client you passed in). */
  ready(): Promise<void> {
    return this.connecting;
  }

  async increment(key: string, options: IncrementOptions): Promise<Counter> {
    assertIncrement(options);
    const args = [String(options.by ?? 1), ttl(options.ttlMs), options.resetTtl ? '1' : '0'];
    const [value, ttlMs] = (await this.call('increment', INCREMENT, [key], args)) as number[];

    return { value: Number(value), ttlMs: Number(ttlMs) };
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertPositive('@galaxy-harden/store', 'ttlMs', ttlMs);
    const full = this.key(key);
    const reply = await this.guard('setIfAbsent', () => {
      return this.client.set(full, value, { NX: true, PX: Number(ttl(ttlMs)) });
    });

    return reply === 'OK';
  }

  async setIfGreater(key: string, value: number, ttlMs: number): Promise<boolean> {
    assertPositive('@galaxy-harden/store', 'ttlMs', ttlMs);
    if (!Number.isFinite(value)) {
      throw new StoreError('ERR_STORE_OPTION', `setIfGreater needs a finite number, got ${value}`);
    }

    const args = [String(value), ttl(ttlMs)];
    return (await this.call('setIfGreater', SET_IF_GREATER, [key], args)) === 1;
  }

  async get(key: string): Promise<string | undefined> {
    const full = this.key(key);
    const reply = await this.guard('get', () => this.client.get(full));

    return reply === null || reply === undefined ? undefined : String(reply);
  }

  async delete(key: string): Promise<void> {
    const full = this.key(key);
    await this.guard('delete', () => this.client.del(full));
  }

  async reserveAttempt(input: ReserveAttemptInput): Promise<ReserveAttemptResult> {
    const keys = reserveKeys(input);
    assertOneSlot(this.prefix, keys);
    const reply = await this.call('reserveAttempt', RESERVE_ATTEMPT, keys, reserveArgs(input));

    return reserveReply(reply as number[], input.counters.length);
  }

  async settleAttempt(input: SettleAttemptInput): Promise<void> {
    const keys = settleKeys(input);
    assertOneSlot(this.prefix, keys);
    await this.call('settleAttempt', SETTLE_ATTEMPT, keys, settleArgs(input));
  }

  /** Closes the connection this store opened; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.closed) return;

    this.closed = true;
    this.detach();
    if (this.owned) await closeClient(this.raw, this.timeoutMs);
  }

  private key(key: string): string {
    if (this.closed) throw new StoreError('ERR_STORE_CLOSED', 'the store was closed');
    assertKey(key);

    return this.prefix + key;
  }

  private call(operation: string, script: LuaScript, keys: string[], args: string[]) {
    const full = keys.map((key) => this.key(key));

    return this.guard(operation, () => this.run(script, full, args));
  }

  private async guard<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      if (this.closed) throw new StoreError('ERR_STORE_CLOSED', 'the store was closed', { cause });

      const name = cause instanceof Error ? cause.name : 'error';
      const message = `redis store: ${operation} failed (${name}); Redis is down or too slow`;
      throw new StoreError('ERR_STORE_UNAVAILABLE', message, { cause });
    }
  }
}

/**
 * Creates a {@link RedisStore} from a URL or an existing node-redis client or cluster.
 *
 * @example
 * const store = createRedisStore({ url: process.env.REDIS_URL, commandTimeoutMs: 500 });
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options);
}

function ttl(ttlMs: number): string {
  return String(Math.max(1, Math.ceil(ttlMs)));
}

// The first connection may fail too; the reconnect strategy keeps trying, and 'ready'
// settles this promise. Until then commands fail fast (offline queue disabled).
function connect(client: RedisStoreClient): Promise<void> {
  return new Promise((resolve) => {
    client.once?.('ready', () => resolve());
    client.connect?.().catch(() => {});
  });
}

// Without an 'error' listener an EventEmitter throws, and a dead Redis would end the process.
function listen(client: RedisStoreClient, onEvent?: (event: RedisStoreEvent) => void) {
  const report = (event: RedisStoreEvent) => {
    try {
      const result: unknown = onEvent?.(event);
      // An async sink's rejection would otherwise be unhandled, and end the process.
      if (typeof (result as { then?: unknown } | null)?.then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, () => {});
      }
    } catch {
      // An audit sink must not break the store.
    }
  };
  const onError = (error: Error) => report({ type: 'store.error', error: describe(error) });
  const onReady = () => report({ type: 'store.ready' });
  const onReconnecting = () => report({ type: 'store.reconnecting' });
  client.on?.('error', onError);
  client.on?.('ready', onReady);
  client.on?.('reconnecting', onReconnecting);

  return () => {
    client.off?.('error', onError);
    client.off?.('ready', onReady);
    client.off?.('reconnecting', onReconnecting);
    client.on?.('error', () => {});
  };
}

function describe(error: Error): string {
  return `${error.name}: ${error.message}`;
}

// A graceful close waits for pending replies; a Redis that never answers must not hold
// the shutdown, so it is cut short after one command timeout.
async function closeClient(client: RedisStoreClient, timeoutMs: number): Promise<void> {
  if (client.isReady && client.close) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([client.close().catch(() => {}), late]);
    clearTimeout(timer);
  }
  if (client.isOpen !== false) client.destroy?.();
}
