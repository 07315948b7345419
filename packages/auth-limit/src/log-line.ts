import type { AuthLimitEvent } from './events.js';

/**
 * Formats an event as one ASCII log line that the shipped fail2ban filter matches:
 *
 * `2026-05-04T10:00:00.000Z galaxy-harden auth-limit: auth.failure address=203.0.113.7 ...`
 *
 * The address comes first, straight after the event name, and every value a client chose
 * (the account name) comes last, JSON-quoted with everything outside printable ASCII
 * escaped: a crafted user name cannot end the line or forge another address for fail2ban
 * to ban (log injection, CWE-117).
 *
 * @example
 * onEvent: (event) => authLog.write(formatAuthLogLine(event));
 */
export function formatAuthLogLine(event: AuthLimitEvent): string {
  const time = new Date(event.at).toISOString();

  return `${time} galaxy-harden auth-limit: ${event.type} ${fields(event)}\n`;
}

function fields(event: AuthLimitEvent): string {
  switch (event.type) {
    case 'auth.failure':
      return attempt(event, `failures=${event.failures} locked_for=${event.lockedForSeconds}`);
    case 'auth.blocked':
      return `reason=${event.reason} ${attempt(event, `retry_after=${event.retryAfterSeconds}`)}`;
    case 'auth.step-up':
      return attempt(event, 'step_up=1');
    case 'auth.unblocked':
      return attempt(event, `cause=${event.cause}`);
    case 'store.error': {
      const { limiter, operation, code, policy } = event;
      return `limiter=${limiter} operation=${operation} code=${quote(code)} policy=${policy}`;
    }
    case 'limiter.warning':
      return `limiter=${event.limiter} code=${quote(event.code)} message=${quote(event.message)}`;
  }
}

function attempt(event: { address: string; limiter: string; account: string }, middle: string) {
  const address = event.address || '-';

  return `address=${address} limiter=${event.limiter} ${middle} account=${quote(event.account)}`;
}

/** JSON string syntax, then every character outside printable ASCII as `\uXXXX`. */
function quote(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
