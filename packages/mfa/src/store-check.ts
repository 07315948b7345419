import type { Store } from '@galaxy-harden/store';
import { optionError } from './errors.js';

const METHODS = ['increment', 'setIfAbsent', 'setIfGreater', 'get', 'delete'] as const;

/**
 * Refuses a `store` that is given but is not a `@galaxy-harden/store` Store (a URL string, a
 * bare Redis client, `null`, `{}`) at construction. Without this check such a value either
 * fell back silently to a per-process memory store (replicas then accept one code each) or
 * failed only at the first login.
 */
export function checkStore(store: unknown): Store {
  const given = store as Record<string, unknown> | null;
  if (given !== null && typeof given === 'object') {
    if (METHODS.every((method) => typeof given[method] === 'function')) return store as Store;
  }

  throw optionError(
    'store',
    store,
    `must be a @galaxy-harden/store Store (${METHODS.join(', ')})`,
    'pass createRedisStore({ url }) shared by every replica, or leave it unset for one process',
  );
}
