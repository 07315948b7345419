export { createGatewayApp, type GatewayAppOptions } from './app.js';
export { type GatewayConfig, type GatewayOptions, resolveGatewayConfig } from './config.js';
export {
  type DemoAuthenticatorState,
  type DemoCode,
  type EnrolDemoUserOptions,
  enrolDemoUser,
  nextDemoStep,
  takeDemoCode,
  totpCode,
} from './demo-authenticator.js';
export { gatewayErrorHandler } from './error-handler.js';
export { GatewayError, type GatewayErrorCode } from './errors.js';
export {
  type EventSink,
  fanOut,
  type JsonLineSinkOptions,
  jsonLineSink,
  type SecurityEvent,
} from './events.js';
export { type GatewayCertificate, generateCertificate } from './https.js';
export {
  createJobClient,
  createSignedJobClient,
  type JobClient,
  type JobClientOptions,
  type OutgoingCall,
  type Relay,
  type RequestSigner,
  type SignedJobClientOptions,
} from './job-client.js';
export { jobsApi } from './jobs-api.js';
export {
  CookieSessions,
  type DemoUser,
  type GatewayLogin,
  type GatewayLoginOptions,
  gatewayLogin,
} from './login.js';
export { type GatewayMfa, type GatewayMfaOptions, gatewayMfa } from './mfa.js';
export { PUBLIC_DIR, pages, renderPage } from './pages.js';
export { type RunningGateway, type StartGatewayOptions, startGateway } from './server.js';
export {
  openSharedStore,
  type SharedStore,
  type SharedStoreOptions,
  sharedStoreSettings,
} from './shared-store.js';
