export { StoreError, type StoreErrorCode } from './errors.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { Counter, IncrementOptions, Store } from './types.js';
