// One HTTP(S) call with a deadline, for the set-up, the probes and the replays (not the load:
// autocannon sends that). node:https, because the global fetch cannot take a private CA.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Sends one request and reads the whole answer; JSON bodies are parsed. Never rejects on an
 * HTTP status; rejects on a network error or after `timeoutMs`.
 *
 * @example
 * const { status, body } = await call('https://127.0.0.1:8443/api/login', {
 *   method: 'POST', json: { username: 'ana', password: '...' }, ca });
 */
export function call(url, options = {}) {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const { method = 'GET', headers = {}, json, body, ca, timeoutMs = 10_000 } = options;
  const payload = json === undefined ? body : JSON.stringify(json);
  const contentType = json === undefined ? {} : { 'content-type': 'application/json' };

  return new Promise((resolve, reject) => {
    const req = send(target, {
      method,
      headers: { ...contentType, ...headers },
      ca,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve(answer(res, Buffer.concat(chunks).toString('utf8'))));
    });
    req.end(payload);
  });
}

function answer(res, text) {
  const json = (res.headers['content-type'] ?? '').includes('application/json');
  let body = text;
  if (json && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.statusCode ?? 0, headers: res.headers, body };
}

/**
 * The `name=value` pair of the session cookie a response sets, for a `cookie` header.
 *
 * @example
 * sessionCookie({ 'set-cookie': ['gh-session=abc.def; Path=/'] }); // 'gh-session=abc.def'
 */
export function sessionCookie(headers) {
  const lines = [headers['set-cookie'] ?? headers['Set-Cookie'] ?? []].flat();
  const pair = lines.map((line) => String(line).split(';')[0]).find((p) => /session=./.test(p));

  return pair;
}
