import { assertNumberInRange, optionError, ServiceAuthError } from './errors.js';
import { emit, type ServiceAuthEventHandler } from './events.js';
import { hasPrivateMembers, type ImportedKey, importPublicJwk } from './jwk.js';
import { downloadJwks, fetchFailureReason, JwksFetchError } from './jwks-download.js';
import { type KeySource, unknownKey } from './key-source.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * How a peer's JWKS URL is fetched and how long its keys serve.
 *
 * @example
 * const peer = { name: 'galaxy', algorithms: ['ES256'], jwksUrl, routes,
 *   jwksUrlOptions: { cooldownMs: 60_000, maxStaleMs: 0 } };
 */
export interface RemoteJwksOptions {
  /** Least time between two fetches, whatever asks for them; defaults to 30 000. */
  cooldownMs?: number;
  /** Age after which keys are fetched again before use; defaults to 300 000. */
  cacheMaxAgeMs?: number;
  /**
   * How long past `cacheMaxAgeMs` the last-known keys keep serving while the key server
   * fails; defaults to 900 000. Then verification fails closed. 0 fails closed at once.
   */
  maxStaleMs?: number;
  /** Time allowed for one fetch, body included; defaults to 5 000. */
  timeoutMs?: number;
  /** Largest JWKS body read; defaults to 65 536. */
  maxResponseBytes?: number;
  /** Most keys in one set; defaults to 32. */
  maxKeys?: number;
  /** The `fetch` to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Accept an `http:` URL (key substitution on the path); defaults to false. */
  unsafeAllowPlainHttp?: boolean;
}

const REMOTE_JWKS_OPTIONS = optionNames<RemoteJwksOptions>({
  cooldownMs: true,
  cacheMaxAgeMs: true,
  maxStaleMs: true,
  timeoutMs: true,
  maxResponseBytes: true,
  maxKeys: true,
  fetch: true,
  unsafeAllowPlainHttp: true,
});

interface Settings {
  cooldownMs: number;
  cacheMaxAgeMs: number;
  maxStaleMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
  maxKeys: number;
}

const DAY_MS = 86_400_000;

function checkSettings(option: string, options: RemoteJwksOptions): Settings {
  assertKnownKeys(option, options, REMOTE_JWKS_OPTIONS);
  const settings: Settings = {
    cooldownMs: options.cooldownMs ?? 30_000,
    cacheMaxAgeMs: options.cacheMaxAgeMs ?? 300_000,
    maxStaleMs: options.maxStaleMs ?? 900_000,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxResponseBytes: options.maxResponseBytes ?? 65_536,
    maxKeys: options.maxKeys ?? 32,
  };
  assertNumberInRange(`${option}.cooldownMs`, settings.cooldownMs, 1, DAY_MS);
  assertNumberInRange(`${option}.cacheMaxAgeMs`, settings.cacheMaxAgeMs, 1, DAY_MS);
  assertNumberInRange(`${option}.maxStaleMs`, settings.maxStaleMs, 0, 7 * DAY_MS);
  assertNumberInRange(`${option}.timeoutMs`, settings.timeoutMs, 1, 60_000);
  assertNumberInRange(`${option}.maxResponseBytes`, settings.maxResponseBytes, 256, 1 << 24);
  assertNumberInRange(`${option}.maxKeys`, settings.maxKeys, 1, 1_000);

  return settings;
}

// The URL itself is never echoed: it may carry a password or a token in its query.
function checkUrl(option: string, value: unknown, allowPlainHttp: boolean): URL {
  const fix = 'serve the JWKS over https (or set unsafeAllowPlainHttp for a loopback test)';
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw optionError(option, '<not shown>', 'must be an absolute URL', fix);
  }
  const allowed = url.protocol === 'https:' || (allowPlainHttp && url.protocol === 'http:');
  if (!allowed) throw optionError(option, `${url.protocol} URL`, 'must use https:', fix);
  // fetch refuses such a URL on every call, with the password in its message.
  if (url.username !== '' || url.password !== '') {
    const noCredentials = 'publish the JWKS without authentication: it is public';
    throw optionError(option, '<not shown>', 'must not hold a user or password', noCredentials);
  }

  return url;
}

/**
 * A peer's keys from a JWKS URL. The policy, in order:
 * - keys younger than `cacheMaxAgeMs` serve as they are; an unknown `kid` triggers a fetch;
 * - at most one fetch starts per `cooldownMs`, whatever asks (a flood of random `kid`
 *   values costs one request: go-oidc issue 482), and concurrent callers share it;
 * - a failed fetch is not retried before the cooldown ends; meanwhile the last-known keys
 *   serve until `cacheMaxAgeMs + maxStaleMs` after they were fetched, then every token of
 *   this peer is refused with `ERR_SERVICE_AUTH_KEYS_UNAVAILABLE` (fail closed);
 * - before the first successful fetch, nothing is accepted;
 * - a set holding private key material drops every cached key of this peer at once.
 */
export class RemoteKeySource implements KeySource {
  private readonly url: URL;
  private readonly settings: Settings;
  private readonly fetchFn: typeof fetch;
  private keys = new Map<string, ImportedKey>();
  private fetchedAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly peer: string,
    option: string,
    url: unknown,
    options: RemoteJwksOptions,
    private readonly now: () => number,
    private readonly onEvent: ServiceAuthEventHandler | undefined,
  ) {
    this.settings = checkSettings(`${option}Options`, options);
    this.url = checkUrl(option, url, options.unsafeAllowPlainHttp === true);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw optionError(
        `${option}Options.fetch`,
        typeof options.fetch,
        'must be a function',
        'pass fetch',
      );
    }
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async resolve(kid: string): Promise<ImportedKey> {
    const now = this.now();
    const cached = this.isFresh(now) ? this.keys.get(kid) : undefined;
    if (cached !== undefined) return cached;

    await this.refreshWithinCooldown(now);
    return this.usableKey(kid);
  }

  private isFresh(now: number): boolean {
    return this.fetchedAt !== undefined && now - this.fetchedAt < this.settings.cacheMaxAgeMs;
  }

  private isUsable(now: number): boolean {
    const limit = this.settings.cacheMaxAgeMs + this.settings.maxStaleMs;
    return this.fetchedAt !== undefined && now - this.fetchedAt < limit;
  }

  private usableKey(kid: string): ImportedKey {
    if (!this.isUsable(this.now())) {
      throw new ServiceAuthError(
        'ERR_SERVICE_AUTH_KEYS_UNAVAILABLE',
        `token refused: no usable keys for ${this.peer} (no clean JWKS within maxStaleMs)`,
      );
    }
    const key = this.keys.get(kid);
    if (key === undefined) throw unknownKey(this.peer);

    return key;
  }

  private refreshWithinCooldown(now: number): Promise<void> {
    if (this.inflight !== undefined) return this.inflight;
    const last = this.lastAttemptAt;
    if (last !== undefined && now - last < this.settings.cooldownMs) return Promise.resolve();

    this.lastAttemptAt = now;
    this.inflight = this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<void> {
    try {
      const { keys, skippedCount } = await this.fetchKeys();
      this.keys = new Map(keys.map((key) => [key.kid, key]));
      this.fetchedAt = this.now();
      const keyCount = keys.length;
      emit(this.onEvent, {
        type: 'service.keys-refreshed',
        peer: this.peer,
        keyCount,
        skippedCount,
      });
    } catch (error) {
      if (error instanceof JwksFetchError && error.dropKeys) this.forgetKeys();
      const reason = fetchFailureReason(error);
      const usingStaleKeys = this.isUsable(this.now());
      emit(this.onEvent, {
        type: 'service.keys-fetch-failed',
        peer: this.peer,
        reason,
        usingStaleKeys,
      });
    }
  }

  /** Fails closed until a clean set arrives: the cached keys are no longer trusted. */
  private forgetKeys(): void {
    this.keys = new Map();
    this.fetchedAt = undefined;
  }

  private async fetchKeys(): Promise<{ keys: ImportedKey[]; skippedCount: number }> {
    return this.importSet(await downloadJwks(this.fetchFn, this.url, this.settings));
  }

  private async importSet(json: unknown): Promise<{ keys: ImportedKey[]; skippedCount: number }> {
    const list = (json as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new JwksFetchError('JWKS has no "keys" array');
    if (list.length > this.settings.maxKeys) {
      throw new JwksFetchError('JWKS holds more than maxKeys keys');
    }
    // A key server that publishes a private key has made that peer's signature worthless:
    // skipping the key would keep its public half serving from the cache for maxStaleMs.
    if (list.some(hasPrivateMembers)) {
      throw new JwksFetchError('JWKS publishes private key material; all its keys dropped', true);
    }

    const where = `JWKS of ${this.peer}`;
    const settled = await Promise.allSettled(list.map((jwk) => importPublicJwk(jwk, where)));
    const keys = settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : []));
    if (keys.length === 0) throw new JwksFetchError('JWKS holds no usable ES256 or EdDSA key');

    return { keys, skippedCount: list.length - keys.length };
  }
}
