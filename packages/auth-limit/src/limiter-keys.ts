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

/** The constant heads of one limiter's keys, computed once. */
export interface KeyHeads {
  pair: string;
  account: string;
  known: string;
  window: string;
}

/** The heads of the keys of the limiter named `prefix`. */
export function keyHeads(prefix: string): KeyHeads {
  const tag = `{${prefix}}`;

  return { pair: `${tag}:f:`, account: `${tag}:a:`, known: `${tag}:k:`, window: `${tag}:w:` };
}

/** Builds the keys; `address` is an address key, which never contains `|`. */
export function limiterKeys(heads: KeyHeads, account: string, address: string): LimiterKeys {
  const pair = `${address}|${account}`;

  return {
    pair: heads.pair + pair,
    account: heads.account + account,
    known: heads.known + pair,
    window: heads.window + address,
  };
}
