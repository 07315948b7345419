import type { Response } from 'express';

// A nonce is base64 (RFC 4648, either alphabet); anything else is not put into the page.
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/** The login pages of the demo: the password step, then the second-factor pages. */
export type MfaPageName = 'login' | 'code' | 'enrol' | 'step-up' | 'settings';

const TITLES: Record<MfaPageName, string> = {
  login: 'Log in',
  code: 'Enter your authenticator code',
  enrol: 'Set up two-step login',
  'step-up': 'Confirm it is you',
  settings: 'Two-step login settings',
};

const CODE_FORM = `<form id="code-form">
<label>Code <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric"
 size="14" maxlength="20" required autofocus></label>
<button type="submit">Continue</button>
</form>
<p>Lost your phone? Enter one of your recovery codes instead.</p>`;

const BODIES: Record<MfaPageName, string> = {
  login: `<form id="login-form">
<label>User <input id="username" name="username" autocomplete="username" required autofocus></label>
<label>Password <input id="password" name="password" type="password"
 autocomplete="current-password" required></label>
<button type="submit">Next</button>
</form>
<p>Then a code from your authenticator app (you set one up on first login).</p>`,
  code: `<p>Open your authenticator app and type the 6-digit code for this site.</p>\n${CODE_FORM}`,
  'step-up': `<p>This action needs a fresh code from your authenticator app.</p>\n${CODE_FORM}`,
  enrol: `<p>This site requires a second factor. Scan the QR code with an authenticator app
(Aegis, FreeOTP, Google Authenticator, ...), then type the code it shows.</p>
<button id="start" type="button">Show my QR code</button>
<section id="setup" hidden>
<div id="qr"></div>
<p>Cannot scan? Type this key: <code id="secret"></code></p>
<form id="confirm-form">
<label>Code <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric"
 size="14" maxlength="20" required></label>
<button type="submit">Turn on</button>
</form>
</section>
<section id="codes" hidden>
<h2>Your recovery codes</h2>
<p>Each works once if you lose your phone. They are shown only now: store them safely.</p>
<pre id="recovery-codes"></pre>
<a id="continue" href="/">Continue</a>
</section>`,
  settings: `<p id="state"></p>
<button id="new-codes" type="button">New recovery codes</button>
<button id="disable" type="button">Turn off two-step login</button>
<pre id="recovery-codes" hidden></pre>`,
};

/**
 * The HTML of one second-factor page. No inline script or style (a strict CSP fits); the
 * page's behaviour is `/static/mfa.js`, which reads `data-page`.
 *
 * @example
 * renderMfaPage('code', undefined).includes('id="code-form"'); // true
 */
export function renderMfaPage(name: MfaPageName, nonce: string | undefined): string {
  const nonceAttribute = nonce === undefined ? '' : ` nonce="${nonce}"`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${TITLES[name]}</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/mfa.js" defer${nonceAttribute}></script>
</head>
<body data-page="${name}">
<main>
<h1>${TITLES[name]}</h1>
${BODIES[name]}
<p id="message" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;
}

/** Sends a page: never cached, since the enrolment page's answers hold the secret. */
export function sendMfaPage(name: MfaPageName, res: Response): void {
  res
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(renderMfaPage(name, nonceOf(res)));
}

/** The nonce a headers middleware left in `res.locals`, when it is a real one. */
export function nonceOf(res: Response): string | undefined {
  const nonce: unknown = res.locals.cspNonce;

  return typeof nonce === 'string' && NONCE.test(nonce) ? nonce : undefined;
}
