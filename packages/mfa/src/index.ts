export type { Attempt, VerifyOutcome } from './attempt.js';
export { decodeBase32, encodeBase32 } from './base32.js';
export {
  type EnforcementRule,
  type EnforcementStatus,
  enforcementStatus,
  type MfaSubject,
} from './enforcement.js';
export type { ConfirmOutcome, EnrolmentStart } from './enrolment.js';
export { MfaError, type MfaErrorCode } from './errors.js';
export type {
  MfaEvent,
  MfaEventHandler,
  MfaFailureReason,
  MfaMethod,
  MfaPurpose,
} from './events.js';
export { type IdpIdentity, IdTokenVerifier, type IdTokenVerifierOptions } from './idp-token.js';
export { hasFreshMfa, type LoginState } from './login-state.js';
export { type AttemptOptions, Mfa, type MfaStatus } from './mfa.js';
export type { MfaOptions } from './options.js';
export { type OtpauthUriInput, otpauthUri } from './otpauth-uri.js';
export { type QrImages, qrImages } from './qr-code.js';
export {
  MemoryMfaRecords,
  type MfaRecord,
  type MfaRecordStore,
  type TotpCredential,
} from './records.js';
export type { RecoveryCodeSet } from './recovery-codes.js';
export { SecretBox, type SecretBoxOptions, type SecretContext } from './secret-box.js';
export type { AttemptGranted, AttemptLimiter, AttemptRefused } from './throttle.js';
export { normaliseTotpInput } from './token-input.js';
export {
  DEFAULT_TOTP_PARAMETERS,
  type TotpAlgorithm,
  type TotpParameters,
} from './totp-parameters.js';
export { type TotpVerdict, TotpVerifier, type TotpVerifierOptions } from './totp-verifier.js';
