// Route by route: each route of the mix alone against the demo and bare Express over HTTPS,
// in alternating slices, so that a maintainer sees where the demo's cost is (the mix's
// ratio averages it away, and password checks, the same scrypt work on both sides, weigh
// heavily in it). Reported, not judged.
import autocannon from 'autocannon';
import { counts, JOB_CONNECTIONS } from './drive.mjs';
import { GREP, JSON_TYPE, nextVisitorAddress } from './scenario.mjs';
import { ATTACKED } from './setup-user.mjs';

/**
 * The routes measured alone, with the tally route their answers count under. The wrong
 * password comes from a new address each time, as in the mix, so it is the account-wide
 * limit that refuses it (429).
 *
 * @example
 * ROUTE_PROBES.map((p) => p.name); // ['page', 'static', ...]
 */
export const ROUTE_PROBES = [
  { name: 'page', route: 'page', request: () => ({ method: 'GET', path: '/' }) },
  { name: 'static', route: 'static', request: () => ({ method: 'GET', path: '/static/app.css' }) },
  {
    name: 'status',
    route: 'status',
    request: (cookie) => ({ method: 'GET', path: '/mfa/api/status', headers: { cookie } }),
  },
  {
    name: 'datasets (signed call)',
    route: 'datasets',
    request: (cookie) => ({ method: 'GET', path: '/api/datasets', headers: { cookie } }),
  },
  {
    name: 'wrong password, refused',
    route: 'login-wrong',
    request: () => ({
      method: 'POST',
      path: '/api/login',
      headers: JSON_TYPE,
      body: JSON.stringify(ATTACKED),
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'x-forwarded-for': nextVisitorAddress() },
      }),
    }),
  },
  {
    name: 'job (signed call)',
    route: 'job',
    connections: JOB_CONNECTIONS,
    request: (cookie) => ({
      method: 'POST',
      path: '/api/jobs',
      headers: { ...JSON_TYPE, cookie },
      body: JSON.stringify(GREP),
    }),
  },
];

function measure(run, side, probe, seconds) {
  const { stack, tally, session } = run[side];
  const request = probe.request(session.cookie);
  const onResponse = (status, body) => tally.record(probe.route, status, body);
  const options = {
    url: stack.info.url,
    duration: seconds,
    connections: probe.connections ?? run.options.connections,
    timeout: 10,
    tlsOptions: { ca: stack.info.ca },
    requests: [{ ...request, onResponse }],
  };
  return new Promise((resolve, reject) => {
    const running = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    const handle = { stop: () => running.stop() };
    run.owned.drives.add(handle);
    running.once('done', () => run.owned.drives.delete(handle));
  }).then((result) => {
    tally.countTransport({ main: counts(result), jobs: { requests: 0, errors: 0, timeouts: 0 } });
    return result.requests.total / (result.duration || seconds);
  });
}

/**
 * Measures every probe on the demo and on bare Express over HTTPS, `seconds` per slice, in
 * `order` (by default bare, demo, demo, bare: drift in the machine's load falls on both).
 *
 * @example
 * const routes = await measureRoutes(run, 2);
 * routes.datasets.ratio; // 0.4
 */
export async function measureRoutes(run, seconds, order = ['bare', 'demo', 'demo', 'bare']) {
  const results = [];
  for (const side of ['demo', 'bare']) run[side].tally.phase = 'routes';
  for (const probe of ROUTE_PROBES) {
    const rates = { demo: [], bare: [] };
    for (const side of order) {
      rates[side].push(await measure(run, side, probe, seconds));
    }
    const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
    const demoRps = mean(rates.demo);
    const bareRps = mean(rates.bare);
    const ratio = bareRps > 0 ? demoRps / bareRps : 0;
    const round = (n, digits) => Number(n.toFixed(digits));
    results.push({
      route: probe.name,
      demoRps: round(demoRps, 1),
      bareRps: round(bareRps, 1),
      ratio: round(ratio, 3),
    });
    run.log(`route ${probe.name}: demo ${demoRps.toFixed(0)}/s, bare ${bareRps.toFixed(0)}/s`);
  }
  return results;
}
