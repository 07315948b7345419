import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SecurityHeaderSet } from '@galaxy-harden/headers';
import { NoncePool } from '../packages/headers/dist/nonce.js';
const res = new ServerResponse(new IncomingMessage(new Socket()));
const set = new SecurityHeaderSet();
const p = set.csp.parts;
const pool = new NoncePool();
const pre = []; for (let i = 0; i < 256; i++) { const n = pool.next(); let s = p[0] + n + p[1] + n + p[2]; s.charCodeAt(0); pre.push(s); }
const pre2 = pre.map(s => s.split('').join(''));
const one = set.csp.withoutNonce;
let i = 0;
const tests = {
  constCsp: () => res.setHeader('Content-Security-Policy', one),
  freshCsp: () => { const n = pool.next(); res.setHeader('Content-Security-Policy', p[0] + n + p[1] + n + p[2]); },
  precomputed: () => { res.setHeader('Content-Security-Policy', pre[i++ & 255]); },
  precomputedFlat: () => { res.setHeader('Content-Security-Policy', pre2[i++ & 255]); },
  buildFlat: () => { const n = pool.next(); const s = p[0] + n + p[1] + n + p[2]; pre[i++ & 255] = s; s.charCodeAt(0); },
};
const out = Object.fromEntries(Object.keys(tests).map(k=>[k,[]]));
for (let r = 0; r < 21; r++) for (const [k, fn] of Object.entries(tests)) {
  const n = 200000; const t = process.hrtime.bigint(); for (let j = 0; j < n; j++) fn();
  out[k].push(Number(process.hrtime.bigint() - t) / n);
}
for (const [k, v] of Object.entries(out)) { v.sort((a,b)=>a-b); console.log(k, v[10].toFixed(1), 'min', v[0].toFixed(1)); }
