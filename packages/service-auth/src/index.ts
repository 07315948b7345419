export { SERVICE_ALGORITHMS, type ServiceAlgorithm } from './algorithms.js';
export {
  MAX_LIFETIME_SECONDS,
  REQUEST_TYP,
  RESPONSE_HEADER,
  RESPONSE_TYP,
  type RequestClaims,
  type ResponseClaims,
} from './claims.js';
export { type BodyBytes, bodyDigest, certificateThumbprint } from './digest.js';
export { ServiceAuthError, type ServiceAuthErrorCode } from './errors.js';
export type {
  AuthenticatedEvent,
  KeysFetchFailedEvent,
  KeysRefreshedEvent,
  RejectedEvent,
  ResponseRejectedEvent,
  ResponseUnsignedEvent,
  ServiceAuthEvent,
  ServiceAuthEventHandler,
} from './events.js';
export {
  createServiceIdentity,
  generateServiceKey,
  type PrivateJwk,
  publicJwks,
  type ServiceIdentity,
} from './identity.js';
export type { PublicJwk, PublicJwks } from './jwk.js';
export {
  type KeyWriteMode,
  loadServiceIdentity,
  readJwksFile,
  type WriteServiceKeysOptions,
  type WrittenServiceKeys,
  writeServiceKeys,
} from './key-files.js';
export type { PeerOptions } from './peers.js';
export type { RemoteJwksOptions } from './remote-key-source.js';
export type { IncomingCall } from './request-checks.js';
export { type ResponseToSign, signResponse } from './response-signing.js';
export {
  createServiceFetch,
  type ServiceFetch,
  type ServiceFetchOptions,
  type ServiceRequestInit,
} from './service-fetch.js';
export { type SignedRequest, type SignRequestOptions, signRequest } from './sign-request.js';
export {
  type AuthenticatedPeer,
  createServiceVerifier,
  ServiceVerifier,
  type ServiceVerifierOptions,
} from './verifier.js';
