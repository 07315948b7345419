/**
 * Store keys of one limiter. All carry the hash tag `{keyPrefix}`, so the one script that
 * reserves an attempt touches keys of a single Redis Cluster slot.
 */
export interface LimiterKeys {
  /** Consecutive failures of the account from the address. */
  pair: string;
  /** Failures of the account from all addresses. */
  account: string;
  /** Present while the address is one the account logged in from. */
  known: string;
  /** Attempts from the address, whatever the account. */
  window: string;
}

/** Builds the keys; `address` is an address key, which never contains `|`. */
export function limiterKeys(prefix: string, account: string, address: string): LimiterKeys {
  const tag = `{${prefix}}`;

  return {
    pair: `${tag}:f:${address}|${account}`,
    account: `${tag}:a:${account}`,
    known: `${tag}:k:${address}|${account}`,
    window: `${tag}:w:${address}`,
  };
}
