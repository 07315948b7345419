export { addressKey, clientAddress } from './address-key.js';
export { AttemptLimiter } from './attempt-limiter.js';
export { AuthLimitError, type AuthLimitErrorCode } from './errors.js';
export type { AuthLimitEvent, AuthLimitEventHandler, BlockReason } from './events.js';
export type { Attempt } from './limiter-core.js';
export { formatAuthLogLine } from './log-line.js';
export { normalizeAccount } from './normalize-account.js';
export type {
  AccountLimit,
  AttemptLimiterOptions,
  FailureLimit,
  StoreErrorPolicy,
} from './options.js';
export type { Blocked, Reservation, Slot } from './reservation.js';
