import define from './suites/headers.mjs';
import { SecurityHeaderSet } from '@galaxy-harden/headers';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
const suite = await define();
const set = new SecurityHeaderSet();
const setNoNonce = new SecurityHeaderSet({csp:{nonce:false}});
const res = new ServerResponse(new IncomingMessage(new Socket()));
const subjects = [...suite.subjects,
 {subject:'apply-nonce', fn: () => set.apply(res, true)},
 {subject:'apply-nononce', fn: () => setNoNonce.apply(res, true)},
];
const results = Object.fromEntries(subjects.map(s=>[s.subject,[]]));
for (let round = 0; round < 15; round++) {
  for (const s of subjects) {
    const n = 100000; const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) s.fn();
    results[s.subject].push(Number(process.hrtime.bigint() - t) / n);
  }
}
for (const [k,v] of Object.entries(results)) { v.sort((a,b)=>a-b); console.log(k, v[Math.floor(v.length/2)].toFixed(0), 'min', v[0].toFixed(0)); }
