// Behaviour of the second-factor pages (/mfa/*), served as a file so a strict CSP fits.
// Codes and secrets are written with textContent; the QR code is an SVG made by the server
// from the otpauth URI alone, parsed as SVG (no script can run from it).

const page = document.body.dataset.page;
const api = '/mfa/api';

function say(text) {
  document.getElementById('message').textContent = text;
}

// Only a same-site path: `next` comes from the address bar (open redirect otherwise).
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/';
}

async function post(path, body) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

function explain(status, body) {
  const reasons = {
    invalid_code: 'That code is not right (or was already used). Try the next one.',
    invalid_credentials: 'Wrong user name or password.',
    too_many_attempts: `Too many wrong codes. Log in again in ${body.retry_after} s.`,
    login_required: 'Your login expired: log in again.',
    insufficient_user_authentication: 'Please confirm with a fresh code first.',
  };
  return reasons[body.error] ?? `Refused (${status}): ${body.error ?? 'unknown error'}`;
}

function onCodeForm(path) {
  document.getElementById('code-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { status, body } = await post(path, { code: document.getElementById('code').value });
    if (body.ok) return location.assign(nextPath());
    say(explain(status, body));
    if (body.error === 'too_many_attempts' || body.error === 'login_required') {
      setTimeout(() => location.assign('/login'), 1500);
    }
  });
}

// After the password: the code page when a factor is set up, the set-up page when the site
// requires one, else straight on.
async function afterPassword() {
  const response = await fetch(`${api}/status`, { headers: { accept: 'application/json' } });
  const state = await response.json();
  const next = encodeURIComponent(nextPath());
  if (state.enrolled) return location.assign(`/mfa/code?next=${next}`);
  if (state.enforcement.status === 'required') return location.assign(`/mfa/enrol?next=${next}`);
  location.assign(nextPath());
}

function onLogin() {
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = document.getElementById('username').value;
    const password = document.getElementById('password').value;
    const response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.ok) return afterPassword();
    const body = await response.json().catch(() => ({}));
    say(
      response.status === 429 ? 'Too many attempts: wait a while.' : explain(response.status, body),
    );
  });
}

function showQr(svgText) {
  const svg = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
  svg.setAttribute('width', '240');
  svg.setAttribute('height', '240');
  document.getElementById('qr').replaceChildren(document.importNode(svg, true));
}

function onEnrol() {
  document.getElementById('continue').href = nextPath();
  document.getElementById('start').addEventListener('click', async () => {
    const { status, body } = await post('/enrolment');
    if (status !== 200) return say(explain(status, body));
    showQr(body.qr_svg);
    document.getElementById('secret').textContent = body.secret.replace(/(.{4})/g, '$1 ').trim();
    document.getElementById('setup').hidden = false;
    document.getElementById('start').hidden = true;
  });
  document.getElementById('confirm-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = document.getElementById('code').value;
    const { status, body } = await post('/enrolment/confirm', { code });
    if (!body.ok) return say(explain(status, body));
    document.getElementById('setup').hidden = true;
    document.getElementById('recovery-codes').textContent = body.recovery_codes.join('\n');
    document.getElementById('codes').hidden = false;
    say('Two-step login is on.');
  });
}

async function onSettings() {
  const response = await fetch(`${api}/status`, { headers: { accept: 'application/json' } });
  const state = await response.json();
  document.getElementById('state').textContent = state.enrolled
    ? `Two-step login is on; ${state.recovery_codes_left} recovery codes left.`
    : 'Two-step login is off.';
  const stepUp = () => location.assign(`/mfa/step-up?next=${encodeURIComponent('/mfa/settings')}`);
  document.getElementById('new-codes').addEventListener('click', async () => {
    const { status, body } = await post('/recovery-codes');
    if (body.error === 'insufficient_user_authentication') return stepUp();
    if (status !== 200) return say(explain(status, body));
    const pre = document.getElementById('recovery-codes');
    pre.textContent = body.recovery_codes.join('\n');
    pre.hidden = false;
    say('New recovery codes: the old ones no longer work.');
  });
  document.getElementById('disable').addEventListener('click', async () => {
    const { status, body } = await post('/disable');
    if (body.error === 'insufficient_user_authentication') return stepUp();
    say(status === 204 ? 'Two-step login is off.' : explain(status, body));
  });
}

if (page === 'login') onLogin();
if (page === 'code') onCodeForm('/verify');
if (page === 'step-up') onCodeForm('/step-up');
if (page === 'enrol') onEnrol();
if (page === 'settings') onSettings();
