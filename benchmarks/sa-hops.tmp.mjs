import { createServiceIdentity, generateServiceKey, signRequest } from '@galaxy-harden/service-auth';
import { jwtVerify, importJWK } from 'jose';
const NOW = Date.now();
const gw = await createServiceIdentity('gateway', await generateServiceKey());
const s = await signRequest(gw, { audience: 'job-runner', method: 'POST', path: '/jobs', body: 'x', now: () => NOW });
const key = await importJWK(gw.publicJwk, 'ES256');
const bare = { algorithms: ['ES256'], currentDate: new Date(NOW) };
const noop = async () => true;
const busy = (us) => { const e = performance.now() + us / 1000; while (performance.now() < e); };
const subjects = {
  bare: () => jwtVerify(s.token, key, bare),
  hops5: async () => { await noop(); const r = await jwtVerify(s.token, key, bare); await noop(); await noop(); await noop(); await noop(); return r; },
  busy7: async () => { busy(7); return jwtVerify(s.token, key, bare); },
};
const res = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
const keys = Object.keys(subjects);
for (let r = 0; r < 40; r++) { const order = r % 2 ? keys : [...keys].reverse(); for (const k of order) { const fn = subjects[k]; const n = 200; const c = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < n; i++) await fn(); res[k].push((performance.now() - t) / n * 1000); const d = process.cpuUsage(c); cpu[k].push((d.user + d.system) / n); } }
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const k in res) console.log(k, med(res[k]).toFixed(1), 'us wall', med(cpu[k]).toFixed(1), 'us cpu');
