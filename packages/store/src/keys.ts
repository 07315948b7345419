import type { ReserveAttemptInput, SettleAttemptInput } from './attempt-types.js';
import { assertKey, StoreError } from './errors.js';

/**
 * The Redis Cluster hash tag of `key`: the text between the first `{` and the next `}`, or
 * the whole key when there is none or it is empty (Redis Cluster specification, "Hash tags").
 *
 * @example
 * hashTag('gh:{login}:f:192.0.2.1|ana'); // 'login'
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
  const slot = slotOf(prefix, keys[0]);
  for (const key of keys) sameSlot(prefix, key, slot);
}

/** {@link assertOneSlot} over the keys of a reservation, without gathering them first. */
export function assertReserveSlot(prefix: string, input: ReserveAttemptInput): void {
  const slot = slotOf(prefix, input.window?.key ?? input.counters[0]?.key);
  if (input.window) sameSlot(prefix, input.window.key, slot);
  for (const counter of input.counters) {
    sameSlot(prefix, counter.key, slot);
    if (counter.exemptKey !== undefined) sameSlot(prefix, counter.exemptKey, slot);
  }
}

interface Slot {
  tag: string;
  /** The literal `{tag}` every key of the slot starts with, when that alone decides. */
  head: string | undefined;
}

function slotOf(prefix: string, first: string | undefined): Slot {
  if (first === undefined) return { tag: '', head: undefined };

  assertKey(first);
  const tag = hashTag(prefix + first);
  const literal = prefix === '' && first[0] === '{' && first[tag.length + 1] === '}';
  return { tag, head: literal ? first.slice(0, tag.length + 2) : undefined };
}

function sameSlot(prefix: string, key: string, slot: Slot): void {
  assertKey(key);
  if (slot.head !== undefined && key.startsWith(slot.head)) return;
  if (hashTag(prefix + key) !== slot.tag) throw slotError();
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
