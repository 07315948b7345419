import { type AttemptKv, reserveIn, settleIn } from './attempt-logic.js';
import type {
  AttemptStore,
  ReserveAttemptInput,
  ReserveAttemptResult,
  SettleAttemptInput,
} from './attempt-types.js';
import { assertIncrement, assertKey, assertPositive, StoreError } from './errors.js';
import { assertOneSlot, assertReserveSlot, settleKeys } from './keys.js';
import {
  assertKnownOptions,
  describe,
  functionOption,
  MAX_TIMER_MS,
  storeOptionError,
  wholeOption,
} from './option-checks.js';
import type { Counter, IncrementOptions } from './types.js';

/**
 * Options of {@link MemoryStore}.
 *
 * @example
 * const options: MemoryStoreOptions = { prefix: 'gw:', maxKeys: 100_000 };
 */
export interface MemoryStoreOptions {
  /** Prefix put before every key; defaults to `''`. */
  prefix?: string;
  /**
   * Most live keys held at once; defaults to 500 000. When full after dropping expired keys,
   * writes reject with `ERR_STORE_FULL` rather than evict a live replay marker.
   */
  maxKeys?: number;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** How often expired keys are swept, in milliseconds; defaults to 60 000. */
  sweepIntervalMs?: number;
}

const OWNER = '@galaxy-harden/store MemoryStore';
const KNOWN = ['prefix', 'maxKeys', 'now', 'sweepIntervalMs'];
// A full store sweeps for room at most this often, whatever the rate of new keys.
const FULL_SWEEP_GAP_MS = 1000;

// Attempt counters keep their numbers and render the text only when `get` asks: the
// login path then never parses or formats a number.
interface Entry {
  text: string | undefined;
  numbers: number[] | undefined;
  expiresAt: number;
}

function textOf(entry: Entry): string {
  entry.text ??= (entry.numbers ?? []).join(':');
  return entry.text;
}

// Copies into the array the long-lived entry already holds: storing a fresh young array in
// an old entry on every login would make each minor GC walk the whole map.
function reuse(held: number[] | undefined, next: number[] | undefined): number[] | undefined {
  if (held === undefined || next === undefined || held.length !== next.length) return next;

  for (let i = 0; i < next.length; i++) held[i] = next[i] as number;
  return held;
}

function numbersOf(entry: Entry): readonly number[] {
  entry.numbers ??= (entry.text ?? '').split(':').map((n) => Number(n) || 0);
  return entry.numbers;
}

/**
 * The default store for one process: a Map with expiry, bounded in size. Operations finish
 * synchronously inside the promise, so each is atomic in a single Node process.
 *
 * Keys of one `reserveAttempt` or `settleAttempt` call must share a hash tag, as on Redis,
 * so that code tested against memory also runs on Redis Cluster.
 *
 * @example
 * const store = new MemoryStore({ maxKeys: 100_000 });
 * await store.setIfAbsent('jti:abc', '1', 60_000); // true, then false until it expires
 */
export class MemoryStore implements AttemptStore {
  private readonly entries = new Map<string, Entry>();
  private readonly prefix: string;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** When a full store may next sweep for room. */
  private nextFullSweep = 0;
  /** The store clock, read once per attempt operation. */
  private opNow = 0;
  // Keys were checked by the one-slot check before the attempt logic runs.
  private readonly kv: AttemptKv = {
    read: (key) => {
      const entry = this.fresh(key);
      return entry && numbersOf(entry);
    },
    has: (key) => this.fresh(key) !== undefined,
    write: (key, numbers, ttlMs) => this.put(key, undefined, numbers, this.opNow + ttlMs),
    rewrite: (key, numbers) => {
      const entry = this.key(key);
      if (!entry) return;
      entry.text = undefined;
      entry.numbers = reuse(entry.numbers, numbers);
    },
    remove: (key) => this.entries.delete(this.prefix + key),
    mark: (key, ttlMs) => this.put(key, '1', undefined, this.opNow + ttlMs),
  };

  /** Checks every option; a wrong one throws `ERR_STORE_OPTION` here. */
  constructor(options: MemoryStoreOptions = {}) {
    assertKnownOptions(OWNER, options, KNOWN);
    this.prefix = prefixOption(options.prefix);
    this.maxKeys = wholeOption(OWNER, 'maxKeys', options.maxKeys, MAX_KEYS);
    functionOption(OWNER, 'now', options.now, 'pass () => Date.now(), or omit it');
    this.now = options.now ?? Date.now;
    const sweepIntervalMs = wholeOption(OWNER, 'sweepIntervalMs', options.sweepIntervalMs, SWEEP);

    this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.timer.unref();
  }

  /** Number of live keys (expired ones are dropped first). */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  async increment(key: string, options: IncrementOptions): Promise<Counter> {
    assertIncrement(options);
    const now = this.now();
    const entry = this.live(key, now);
    const value = (entry ? Number(textOf(entry)) : 0) + (options.by ?? 1);
    const expiresAt = entry && !options.resetTtl ? entry.expiresAt : now + options.ttlMs;
    this.put(key, String(value), undefined, expiresAt);

    return { value, ttlMs: expiresAt - now };
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertPositive('@galaxy-harden/store', 'ttlMs', ttlMs);
    const now = this.now();
    if (this.live(key, now)) return false;

    this.put(key, value, undefined, now + ttlMs);
    return true;
  }

  async setIfGreater(key: string, value: number, ttlMs: number): Promise<boolean> {
    assertPositive('@galaxy-harden/store', 'ttlMs', ttlMs);
    assertFinite(value);
    const now = this.now();
    const entry = this.live(key, now);
    if (entry && !(Number(textOf(entry)) < value)) return false;

    this.put(key, String(value), undefined, now + ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.live(key, this.now());
    return entry && textOf(entry);
  }

  async delete(key: string): Promise<void> {
    this.ensureOpen();
    assertKey(key);
    this.entries.delete(this.prefix + key);
  }

  // Not async: this runs once per login request, and the answer is ready at once.
  reserveAttempt(input: ReserveAttemptInput): Promise<ReserveAttemptResult> {
    try {
      this.ensureOpen();
      assertReserveSlot(this.prefix, input);
      this.opNow = this.now();
      return Promise.resolve(reserveIn(this.kv, input));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async settleAttempt(input: SettleAttemptInput): Promise<void> {
    this.ensureOpen();
    assertOneSlot(this.prefix, settleKeys(input));
    this.opNow = this.now();
    settleIn(this.kv, input);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.entries.clear();
  }

  private live(key: string, now: number): Entry | undefined {
    this.ensureOpen();
    assertKey(key);
    const entry = this.entries.get(this.prefix + key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry;

    this.entries.delete(this.prefix + key);
    return undefined;
  }

  private put(key: string, text: string | undefined, numbers: number[] | undefined, at: number) {
    const entry = this.key(key);
    if (entry) {
      entry.text = text;
      entry.numbers = reuse(entry.numbers, numbers);
      entry.expiresAt = at;
      return;
    }
    if (this.entries.size >= this.maxKeys) this.sweepWhenFull();
    if (this.entries.size >= this.maxKeys) {
      const message = `memory store holds maxKeys (${this.maxKeys}) live keys`;
      throw new StoreError('ERR_STORE_FULL', message);
    }

    this.entries.set(this.prefix + key, { text, numbers, expiresAt: at });
  }

  /** The live entry at `key` on the operation clock; drops it when expired. */
  private fresh(key: string): Entry | undefined {
    const entry = this.entries.get(this.prefix + key);
    if (entry === undefined || entry.expiresAt > this.opNow) return entry;

    this.entries.delete(this.prefix + key);
    return undefined;
  }

  private key(key: string): Entry | undefined {
    return this.entries.get(this.prefix + key);
  }

  // Sweeping walks every key: done for each new key of a full store, 500 000 keys cost
  // milliseconds of event loop per request, which an attacker who filled it keeps paying.
  private sweepWhenFull(): void {
    const now = this.now();
    if (now < this.nextFullSweep) return;

    this.nextFullSweep = now + FULL_SWEEP_GAP_MS;
    this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('ERR_STORE_CLOSED', 'the store was closed');
  }
}

const MAX_KEYS = { fallback: 500_000, min: 1, max: Number.MAX_SAFE_INTEGER };
const SWEEP = { fallback: 60_000, min: 1, max: MAX_TIMER_MS };

function prefixOption(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;

  throw storeOptionError(OWNER, 'prefix', describe(value), 'must be a string', "omit it for ''");
}

function assertFinite(value: number): void {
  if (Number.isFinite(value)) return;

  throw new StoreError('ERR_STORE_OPTION', `setIfGreater needs a finite number, got ${value}`);
}
