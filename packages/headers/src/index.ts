export {
  type AuditCheck,
  type AuditFinding,
  type AuditSeverity,
  auditHeaders,
  type HttpAnswer,
} from './audit.js';
export { runAuditCli } from './audit-cli.js';
export { type AuditRow, formatAuditTable } from './audit-table.js';
export {
  type CompiledCsp,
  type CspDirectives,
  type CspOptions,
  compileCsp,
  GATEWAY_CSP_DIRECTIVES,
} from './csp.js';
export { HeadersError, type HeadersErrorCode } from './errors.js';
export type { HeadersEvent, OnHeadersEvent } from './events.js';
export { type AnswerChain, type FetchAnswersOptions, fetchAnswers } from './fetch-answers.js';
export type { HeaderSource } from './header-map.js';
export {
  type HstsOptions,
  type HstsParse,
  hstsHeaderValue,
  ONE_YEAR_SECONDS,
  parseHsts,
  SIX_MONTHS_SECONDS,
} from './hsts.js';
export { removeProxyHeader } from './httpoxy.js';
export {
  type HttpsRedirectOptions,
  planHttpsRedirect,
  type RedirectPlanner,
  type RedirectTarget,
} from './https-redirect-target.js';
export { type NginxConfigOptions, type NginxLocation, nginxConfig } from './nginx-config.js';
export { noStore } from './no-store.js';
export {
  GATEWAY_PERMISSIONS_POLICY,
  type PermissionsPolicy,
  permissionsPolicyValue,
} from './permissions-policy.js';
export {
  type HeaderTarget,
  type ReferrerPolicyToken,
  type SecurityHeaderOptions,
  SecurityHeaderSet,
} from './security-header-set.js';
