export { type SecurityErrorHandlerOptions, securityErrorHandler } from './express-error-handler.js';
export { type HttpsRedirectMiddlewareOptions, httpsRedirect } from './express-https-redirect.js';
export { assertMountedFirst } from './express-order.js';
export {
  type SecurityHeadersMiddleware,
  type SecurityHeadersOptions,
  securityHeaders,
} from './express-security-headers.js';
export { noStore } from './no-store.js';
