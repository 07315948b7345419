import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SecurityHeaderSet } from '@galaxy-harden/headers';
import { NoncePool } from '../packages/headers/dist/nonce.js';
const res = new ServerResponse(new IncomingMessage(new Socket()));
const set = new SecurityHeaderSet();
const p = set.csp.parts; const fixed = set.csp.withoutNonce;
const pool = new NoncePool();
let sink;
const tests = {
  constCsp: () => res.setHeader('Content-Security-Policy', fixed),
  freshCsp: () => { const n = pool.next(); res.setHeader('Content-Security-Policy', p[0] + n + p[1] + n + p[2]); },
  nonceOnly: () => { sink = pool.next(); },
  concatOnly: () => { const n = pool.next(); sink = p[0] + n + p[1] + n + p[2]; },
  concatFlat: () => { const n = pool.next(); sink = p[0] + n + p[1] + n + p[2]; sink = sink.charCodeAt(200); },
  short: () => res.setHeader('X-Frame-Options', 'SAMEORIGIN'),
};
const out = Object.fromEntries(Object.keys(tests).map(k=>[k,[]]));
for (let r = 0; r < 21; r++) for (const [k, fn] of Object.entries(tests)) {
  const n = 200000; const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn();
  out[k].push(Number(process.hrtime.bigint() - t) / n);
}
for (const [k, v] of Object.entries(out)) { v.sort((a,b)=>a-b); console.log(k, v[10].toFixed(1), 'min', v[0].toFixed(1)); }
