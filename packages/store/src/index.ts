export type {
  AttemptStore,
  AttemptWindowSpec,
  FailureCounterSpec,
  ReserveAttemptInput,
  ReserveAttemptResult,
  SettleAttemptInput,
  SettleCounter,
  TakenCounter,
  WindowCount,
} from './attempt-types.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { hashTag } from './keys.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { EvalOptions, RedisStoreClient, RedisStoreEvent } from './redis-client.js';
export type { RedisStoreOptions } from './redis-options.js';
export { createRedisStore, RedisStore } from './redis-store.js';
export type { Counter, IncrementOptions, Store } from './types.js';
