import { createServiceIdentity, generateServiceKey, signRequest, createServiceVerifier, publicJwks } from '@galaxy-harden/service-auth';
import { MemoryStore } from '@galaxy-harden/store';
import { jwtVerify, importJWK } from 'jose';
const NOW = Date.now(); const POOL = 4096;
const gw = await createServiceIdentity('gateway', await generateServiceKey());
const runner = await createServiceIdentity('job-runner', await generateServiceKey());
const BODY = 'x'.repeat(100);
const calls = []; for (let i = 0; i < POOL; i++) { const s = await signRequest(gw, { audience: 'job-runner', method: 'POST', path: '/jobs', body: BODY, now: () => NOW }); calls.push({ authorization: s.authorization, method: 'POST', path: '/jobs', body: BODY, token: s.token }); }
const key = await importJWK(gw.publicJwk, 'ES256');
const peers = [{ name: 'gateway', algorithms: ['ES256'], jwks: publicJwks(gw), routes: ['POST /jobs'] }];
let v; const mk = async () => { v = await createServiceVerifier({ identity: runner, peers, store: new MemoryStore({ now: () => NOW }), now: () => NOW }); };
await mk();
const which = process.argv[2];
const c = process.cpuUsage(); const t = performance.now();
const N = 12000;
for (let i = 0; i < N; i++) {
  if (which === 'bare') await jwtVerify(calls[i % POOL].token, key, { algorithms: ['ES256'], currentDate: new Date(NOW) });
  else { if (i % POOL === 0 && i) { await v.close(); await mk(); } await v.verify(calls[i % POOL]); }
}
const d = process.cpuUsage(c);
console.log(which, ((performance.now() - t) / N * 1000).toFixed(1), 'us wall', ((d.user + d.system) / N).toFixed(1), 'cpu');
