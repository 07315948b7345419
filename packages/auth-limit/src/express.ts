export {
  type AuthLimitHandle,
  type LoginLimiter,
  type LoginLimiterOptions,
  loginLimiter,
} from './express/login-limiter.js';
export { assertTrustProxy, type SettingsReader } from './express/trust-proxy.js';
