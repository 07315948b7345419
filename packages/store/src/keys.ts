import type { ReserveAttemptInput, SettleAttemptInput } from './attempt-types.js';
import { assertKey, StoreError } from './errors.js';

/**
 * The Redis Cluster hash tag of `key`: the text between the first `{` and the next `}`, or
 * the whole key when there is none or it is empty (Redis Cluster specification, "Hash tags").
 */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;

  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;

  return key.slice(open + 1, close);
}

/**
 * Checks the keys of one multi-key operation: each a valid key, all on one Cluster slot.
 * Enforced in every store, so a layout that would fail on Redis Cluster fails in tests too.
 */
export function assertOneSlot(prefix: string, keys: readonly string[]): void {
  let tag: string | undefined;
  for (const key of keys) {
    assertKey(key);
    const own = hashTag(prefix + key);
    if (tag === undefined) tag = own;
    if (own !== tag) throw slotError();
  }
}

function slotError(): StoreError {
  return new StoreError(
    'ERR_STORE_KEY',
    'the keys of one operation must share a hash tag such as {login}: a script may only ' +
      'touch keys of one Redis Cluster slot',
  );
}

/**
 * Every key a reservation touches, in the order of the reserve script's KEYS: the window,
 * then each counter's key and exempt key (the counter's own key again when it has none).
 */
export function reserveKeys(input: ReserveAttemptInput): string[] {
  const keys = input.window ? [input.window.key] : [];
  for (const counter of input.counters) keys.push(counter.key, counter.exemptKey ?? counter.key);
  return keys;
}

/** Every key a settlement touches, in the order of the settle script's KEYS. */
export function settleKeys(input: SettleAttemptInput): string[] {
  const keys = input.windowKey === undefined ? [] : [input.windowKey];
  for (const counter of input.counters) keys.push(counter.key);
  if (input.mark) keys.push(input.mark.key);
  return keys;
}
