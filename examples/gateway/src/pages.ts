import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, Router } from 'express';

/**
 * The browser files (`app.js`, `app.css`), served under `/static` from `examples/gateway/public/`.
 *
 * @example
 * app.use('/static', express.static(PUBLIC_DIR, { index: false }));
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

// A nonce is base64 (RFC 4648, either alphabet); anything else is not put into the page.
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/**
 * The demo page and its static files. The page has no inline script or style, so a strict
 * `Content-Security-Policy` (`script-src 'self'`) fits it. If a headers middleware mounted
 * earlier sets `res.locals.cspNonce`, the script tag carries that nonce.
 *
 * @example
 * app.use(pages());
 */
export function pages(): Router {
  const router = Router();

  router.get('/', (req, res) => {
    res.type('html').send(renderPage(nonceOf(req, res)));
  });
  router.use('/static', express.static(PUBLIC_DIR, { index: false, fallthrough: true }));

  return router;
}

/**
 * The HTML of the demo page.
 *
 * @example
 * renderPage(undefined).includes('<script src="/static/app.js"'); // true
 */
export function renderPage(nonce: string | undefined): string {
  const nonceAttribute = nonce === undefined ? '' : ` nonce="${nonce}"`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>galaxy-harden demo: sed and grep jobs</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer${nonceAttribute}></script>
</head>
<body>
<main>
<h1>Run a sed or grep job</h1>
<p>Your script or pattern is quoted into one shell word by <code>@galaxy-harden/shell-args</code>
and run by the job runner as an unprivileged user, with time and output limits.</p>
<form id="job-form">
<label>Dataset <select id="dataset" name="dataset" required></select></label>
<fieldset>
<legend>Tool</legend>
<label><input type="radio" name="tool" value="sed" checked> sed script</label>
<label><input type="radio" name="tool" value="grep"> grep pattern</label>
</fieldset>
<label>Script or pattern <input id="program" name="program" value="s/ATG/atg/g" size="40"></label>
<fieldset id="sed-options">
<legend>sed options</legend>
<label><input type="checkbox" name="quiet"> -n (quiet)</label>
<label><input type="checkbox" name="extendedRegex"> -E (extended regex)</label>
</fieldset>
<fieldset id="grep-options" hidden>
<legend>grep options</legend>
<label><input type="checkbox" name="ignoreCase"> -i</label>
<label><input type="checkbox" name="invert"> -v</label>
<label><input type="checkbox" name="count"> -c</label>
<label><input type="checkbox" name="fixedStrings"> -F</label>
<label><input type="checkbox" name="extendedRegex"> -E</label>
<label><input type="checkbox" name="lineNumbers"> -n</label>
</fieldset>
<button type="submit">Run</button>
</form>
<section aria-live="polite">
<h2>Result</h2>
<p id="status"></p>
<h3>Command</h3>
<pre id="command"></pre>
<h3>stdout</h3>
<pre id="stdout"></pre>
<h3>stderr</h3>
<pre id="stderr"></pre>
</section>
</main>
</body>
</html>
`;
}

function nonceOf(_req: Request, res: Response): string | undefined {
  const nonce: unknown = res.locals.cspNonce;

  return typeof nonce === 'string' && NONCE.test(nonce) ? nonce : undefined;
}
