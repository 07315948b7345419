import { createServiceIdentity, generateServiceKey, signRequest, createServiceVerifier, publicJwks } from '@galaxy-harden/service-auth';
import { MemoryStore } from '@galaxy-harden/store';
import { jwtVerify, importJWK } from 'jose';
const NOW = Date.now(); const POOL = 4096;
const gw = await createServiceIdentity('gateway', await generateServiceKey());
const runner = await createServiceIdentity('job-runner', await generateServiceKey());
const BODY = 'x'.repeat(100);
const calls = []; for (let i = 0; i < POOL; i++) { const s = await signRequest(gw, { audience: 'job-runner', method: 'POST', path: '/jobs', body: BODY, now: () => NOW }); calls.push({ authorization: s.authorization, method: 'POST', path: '/jobs', body: BODY, token: s.token }); }
const key = await importJWK(gw.publicJwk, 'ES256');
const bare = { algorithms: ['ES256'], currentDate: new Date(NOW) };
const full = { algorithms: ['ES256'], issuer: 'gateway', subject: 'gateway', audience: 'job-runner', typ: 'galaxy-service-request+jwt', requiredClaims: ['iat','exp','jti','htm','htp','hbd'], maxTokenAge: 60, clockTolerance: 5 };
const fake = { setIfAbsent: async () => true, close: async () => {} };
const peers = [{ name: 'gateway', algorithms: ['ES256'], jwks: publicJwks(gw), routes: ['POST /jobs'] }];
const vFake = await createServiceVerifier({ identity: runner, peers, store: fake, now: () => NOW });
let vReal; const mkReal = async () => { vReal = await createServiceVerifier({ identity: runner, peers, store: new MemoryStore({ now: () => NOW }), now: () => NOW }); };
await mkReal();
const idx = { bare: 0, full: 0, fake: 0, real: 0, fullOursKey: 0, fullCons: 0 };
const { StaticKeySource } = await import('../packages/service-auth/dist/key-source.js');
const src = await StaticKeySource.create('gateway', publicJwks(gw), 'x');
const ourKey = [...src.keys.values()][0].key;
const re = /^bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i;
const subjects = {
  bare: () => jwtVerify(calls[idx.bare++ % POOL].token, key, bare),
  full: () => jwtVerify(calls[idx.full++ % POOL].token, key, { ...full, currentDate: new Date(NOW) }),
  fullOursKey: () => jwtVerify(calls[idx.fullOursKey++ % POOL].token, ourKey, { ...full, currentDate: new Date(NOW) }),
  fullCons: () => { const m = re.exec(calls[idx.fullCons++ % POOL].authorization); return jwtVerify(`${m[1]}.${m[2]}.${m[3]}`, key, { ...full, currentDate: new Date(NOW) }); },
  fake: () => vFake.verify(calls[idx.fake++ % POOL]),
  real: async () => { if (idx.real === POOL) { idx.real = 0; await vReal.close(); await mkReal(); } return vReal.verify(calls[idx.real++]); },
};
const res = Object.fromEntries(Object.keys(subjects).map((k) => [k, []])); const cpu = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
const keys = Object.keys(subjects);
for (let r = 0; r < 40; r++) { const order = r % 2 ? keys : [...keys].reverse(); for (const k of order) { const fn = subjects[k]; const n = 200; const c = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < n; i++) await fn(); res[k].push((performance.now() - t) / n * 1000); const d = process.cpuUsage(c); cpu[k].push((d.user + d.system) / n); } }
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const k in res) console.log(k, med(res[k]).toFixed(1), 'us', med(cpu[k]).toFixed(1), 'cpu');
